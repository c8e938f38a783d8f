#include "float_control.h"

#if defined(__x86_64__) || defined(__i386__)
#include <xmmintrin.h>
#define FLUSH_TO_ZERO 0x8000u
#define DENORMALS_ARE_ZERO 0x0040u

int float_control_flush_subnormals(void) {
    _mm_setcsr(_mm_getcsr() | FLUSH_TO_ZERO | DENORMALS_ARE_ZERO);
    return 1;
}

int float_control_flushes_subnormals(void) {
    return (_mm_getcsr() & (FLUSH_TO_ZERO | DENORMALS_ARE_ZERO)) == (FLUSH_TO_ZERO | DENORMALS_ARE_ZERO);
}
#else
int float_control_flush_subnormals(void) { return 0; }
int float_control_flushes_subnormals(void) { return 0; }
#endif

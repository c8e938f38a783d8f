#include "float_control.h"

#if defined(__x86_64__) || defined(__i386__)
#include <xmmintrin.h>
#define FLUSH_BITS 0x8040u /* FTZ (bit 15) and DAZ (bit 6) */

int float_control_set_flush_subnormals(int enabled) {
    unsigned int csr = _mm_getcsr();
    int before = (csr & FLUSH_BITS) == FLUSH_BITS;
    _mm_setcsr(enabled ? (csr | FLUSH_BITS) : (csr & ~FLUSH_BITS));
    return before;
}
#else
int float_control_set_flush_subnormals(int enabled) { (void)enabled; return -1; }
#endif

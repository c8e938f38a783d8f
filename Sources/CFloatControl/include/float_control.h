#ifndef FLOAT_CONTROL_H
#define FLOAT_CONTROL_H

/// Makes this thread's SSE arithmetic treat subnormal numbers as zero (the MXCSR flags FTZ and
/// DAZ). Returns 1 where the CPU has these flags, 0 elsewhere.
int float_control_flush_subnormals(void);

/// Whether this thread currently flushes subnormal numbers to zero.
int float_control_flushes_subnormals(void);

#endif

#ifndef FLOAT_CONTROL_H
#define FLOAT_CONTROL_H

/// Sets whether this thread's SSE arithmetic treats subnormal numbers as zero (the MXCSR flags
/// FTZ and DAZ) and returns whether it did before. Where the CPU has no such flags, does nothing
/// and returns -1.
int float_control_set_flush_subnormals(int enabled);

#endif

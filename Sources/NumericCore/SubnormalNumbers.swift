import CFloatControl

/// Subnormal numbers (below about 1e-38 in Float32) take the CPU a slow microcode path, up to a
/// hundred times slower per operation. In training they appear by themselves: Adam's first moment
/// decays by 0.9 per step, so the moment of a weight whose gradient has gone quiet (a pixel that
/// is almost always blank) sinks into that range after a few hundred steps and then slows every
/// step (measured here: the Adam update went from a tenth to a quarter of the training step).
/// Treating them as zero, as GPUs do, changes no result that matters at this precision.
public enum SubnormalNumbers {
    /// Flushes subnormal results and inputs to zero on the calling thread (the setting is per thread).
    @discardableResult
    public static func flushToZeroOnThisThread() -> Bool { float_control_flush_subnormals() != 0 }

    /// Whether the calling thread flushes subnormals to zero.
    public static var areFlushedOnThisThread: Bool { float_control_flushes_subnormals() != 0 }
}

import CFloatControl

/// Subnormal numbers (below about 1e-38 in Float32) take the CPU a slow microcode path, up to a
/// hundred times slower per operation. In training they appear by themselves: Adam's first moment
/// decays by 0.9 per step, so the moment of a weight whose gradient has gone quiet (a pixel that
/// is almost always blank) sinks into that range after a few hundred steps and then slows every
/// step (measured here: the Adam update went from a tenth to a quarter of the training step).
/// Treating them as zero, as GPUs do, changes no result that matters at this precision.
public enum SubnormalNumbers {
    /// Runs `body` with subnormal numbers flushed to zero (`flush == true`) or kept, then restores
    /// the calling thread's previous setting. The setting is per thread and new threads inherit it,
    /// so it is never left changed behind the caller's back.
    public static func flushingToZero<Result>(_ flush: Bool = true, _ body: () throws -> Result) rethrows -> Result {
        let before = float_control_set_flush_subnormals(flush ? 1 : 0)
        defer { if before >= 0 { float_control_set_flush_subnormals(before) } }
        return try body()
    }
}

import CBLAS
import Dispatch
import NumericCore

/// How fast this machine multiplies matrices, measured when asked: the limit that a chapter's cost
/// ledger sets its own speed against.
public enum MachineSpeed {
    /// Single-threaded sgemm on `size` × `size` matrices, in GFLOP/s: the best of `repeats`
    /// products after one to warm up (noise from the rest of the machine only ever adds time).
    public static func sgemm(size: Int = 1024, repeats: Int = 5) -> Double {
        let threads = openblas_get_num_threads()
        openblas_set_num_threads(1)
        defer { openblas_set_num_threads(threads) }
        let backend = CPUBackend<Float>()
        let a = Matrix<Float>(rows: size, columns: size, repeating: 0.5), c = Matrix<Float>(rows: size, columns: size)
        backend.multiply(a, a, into: c)
        let best = (0..<repeats).map { _ -> UInt64 in
            let start = DispatchTime.now().uptimeNanoseconds
            backend.multiply(a, a, into: c)
            return DispatchTime.now().uptimeNanoseconds - start
        }.min()!
        return 2 * Double(size * size * size) / Double(max(best, 1))
    }
}

import CBLAS
import Foundation

/// How this process uses OpenBLAS: which kernels, how many threads, and a line for provenance.
///
/// Debian's OpenBLAS 0.3.21 does not recognise recent AVX-512 Xeons and falls back to its SSE3
/// "Prescott" kernels, about four times slower. It reads `OPENBLAS_CORETYPE` only while loading,
/// before `main` runs, so the fix is to restart the process once with the variable set, and only
/// when the CPU really has every instruction the SkylakeX kernels use.
public enum BLASRuntime {
    static let coreTypeVariable = "OPENBLAS_CORETYPE"
    static let threadsVariable = "OPENBLAS_NUM_THREADS"
    static let restartMarker = "LEARNING_TECHNIQUES_BLAS_RESTARTED"
    static let skylakeXFeatures = ["avx2", "fma", "avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"]
    static let avx512KernelNames: Set<String> = ["skylakex", "cooperlake", "sapphirerapids"]

    /// Selects the fast kernels (restarting the process if needed) and one BLAS thread per run.
    /// Call it first thing in `main`; it returns normally when nothing needs to change.
    public static func configure() {
        restartWithFastKernelsIfUseful()
        useOneThreadPerRun()
    }

    /// One BLAS thread per product, unless the user's `OPENBLAS_NUM_THREADS` says otherwise. At
    /// this project's shapes two threads on one product gain little or lose, and they round
    /// differently from one (the split changes the order of the sums): independent runs side by
    /// side use the cores instead, and the numbers do not depend on how many run at once.
    /// Tests that compare numbers call it too.
    public static func useOneThreadPerRun() {
        if ProcessInfo.processInfo.environment[threadsVariable] == nil {
            openblas_set_num_threads(1)
        }
    }

    /// The kernel family OpenBLAS selected when it loaded ("SkylakeX", "Prescott", ...).
    public static var kernelName: String {
        guard let name = openblas_get_corename() else { return "unknown" }
        return String(cString: name).trimmingCharacters(in: .whitespaces)
    }

    /// OpenBLAS's own build description ("OpenBLAS 0.3.21 DYNAMIC_ARCH ...").
    public static var configuration: String {
        guard let config = openblas_get_config() else { return "OpenBLAS (unknown build)" }
        return String(cString: config).trimmingCharacters(in: .whitespaces)
    }

    public static var threadCount: Int { Int(openblas_get_num_threads()) }

    /// What decides how a product rounds, for the run cache's key: the library, its kernels, and
    /// how many threads split a product (a split changes the order of the sums).
    public static var arithmetic: String {
        "\(configuration); \(kernelName); \(threadCount == 1 ? "1 thread" : "\(threadCount) threads")"
    }

    /// One line for a report's provenance.
    public static var summary: String {
        let threads = threadCount == 1 ? "1 thread" : "\(threadCount) threads"
        return "\(configuration); kernel \(kernelName) (\(origin(environment: ProcessInfo.processInfo.environment))); \(threads) per run"
    }

    /// Who chose the kernels: this project (after restarting), the user, or OpenBLAS itself.
    static func origin(environment: [String: String]) -> String {
        if environment[restartMarker] != nil { return "selected by this project for an AVX-512 CPU" }
        if environment[coreTypeVariable] != nil { return "set by the user's \(coreTypeVariable)" }
        return "detected by OpenBLAS"
    }

    /// The x86-64 kernel families of OpenBLAS 0.3.21's dynamic builds, as `openblas_get_corename` names them.
    static let x86KernelNames: Set<String> = ["prescott", "core2", "penryn", "dunnington", "nehalem", "atom", "sandybridge",
                                              "haswell", "skylakex", "cooperlake", "sapphirerapids", "opteron", "barcelona",
                                              "bobcat", "bulldozer", "piledriver", "steamroller", "excavator", "zen", "katmai",
                                              "coppermine", "northwood", "athlon", "nano", "banias", "opteron_sse3"]

    /// The CPU feature flags the kernel reports, from /proc/cpuinfo (empty where unreadable).
    static func cpuFlags() -> Set<String> {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("flags") }),
              let colon = line.firstIndex(of: ":") else { return [] }
        return Set(line[line.index(after: colon)...].split(separator: " ").map(String.init))
    }

    /// Whether to restart with the SkylakeX kernels: only when the user has not chosen a core type,
    /// no restart has happened yet, OpenBLAS did not already pick an AVX-512 kernel, and the CPU
    /// has every instruction set those kernels use.
    static func shouldSelectSkylakeX(environment: [String: String], kernel: String, cpuFlags: Set<String>) -> Bool {
        environment[coreTypeVariable] == nil && environment[restartMarker] == nil
            && !avx512KernelNames.contains(kernel.lowercased())
            && skylakeXFeatures.allSatisfy(cpuFlags.contains)
    }

    static func restartWithFastKernelsIfUseful() {
        guard shouldSelectSkylakeX(environment: ProcessInfo.processInfo.environment, kernel: kernelName, cpuFlags: cpuFlags())
        else { return }
        setenv(coreTypeVariable, "SkylakeX", 1)
        setenv(restartMarker, "1", 1)
        execv("/proc/self/exe", CommandLine.unsafeArgv)
        // Only reached when the restart failed: carry on with the slower kernels.
        unsetenv(coreTypeVariable)
        unsetenv(restartMarker)
    }
}

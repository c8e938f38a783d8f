import Foundation
import Testing
@testable import Engine

struct BLASRuntimeTests {
    static let avx512: Set<String> = ["sse2", "avx", "avx2", "fma", "avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"]

    @Test func picksSkylakeXOnlyWhereItHelpsAndIsSafe() {
        // Debian's OpenBLAS fell back to SSE3 on a CPU with AVX-512: switch.
        #expect(BLASRuntime.shouldSelectSkylakeX(environment: [:], kernel: "Prescott", cpuFlags: Self.avx512))
        // The user chose a core type: respect it.
        #expect(!BLASRuntime.shouldSelectSkylakeX(environment: ["OPENBLAS_CORETYPE": "Haswell"], kernel: "Haswell", cpuFlags: Self.avx512))
        // Already restarted once: never loop.
        #expect(!BLASRuntime.shouldSelectSkylakeX(environment: ["LEARNING_TECHNIQUES_BLAS_RESTARTED": "1"], kernel: "Prescott", cpuFlags: Self.avx512))
        // OpenBLAS already runs AVX-512 kernels.
        #expect(!BLASRuntime.shouldSelectSkylakeX(environment: [:], kernel: "SkylakeX", cpuFlags: Self.avx512))
        #expect(!BLASRuntime.shouldSelectSkylakeX(environment: [:], kernel: "Cooperlake", cpuFlags: Self.avx512))
        // A CPU without every AVX-512 subset those kernels use: never select them.
        var partial = Self.avx512
        partial.remove("avx512bw")
        #expect(!BLASRuntime.shouldSelectSkylakeX(environment: [:], kernel: "Haswell", cpuFlags: partial))
        #expect(!BLASRuntime.shouldSelectSkylakeX(environment: [:], kernel: "Prescott", cpuFlags: []))
    }

    @Test func theSummarySaysWhoChoseTheKernels() {
        #expect(BLASRuntime.origin(environment: ["LEARNING_TECHNIQUES_BLAS_RESTARTED": "1", "OPENBLAS_CORETYPE": "SkylakeX"])
                == "selected by this project for an AVX-512 CPU")
        #expect(BLASRuntime.origin(environment: ["OPENBLAS_CORETYPE": "Haswell"]) == "set by the user's OPENBLAS_CORETYPE")
        #expect(BLASRuntime.origin(environment: ["PATH": "/usr/bin"]) == "detected by OpenBLAS")
    }

    @Test func theLibraryInUseIsOpenBLASWithAKnownKernel() {
        #expect(BLASRuntime.configuration.hasPrefix("OpenBLAS 0."))
        // The name comes from the library itself: a family its dynamic build really has.
        #expect(BLASRuntime.x86KernelNames.contains(BLASRuntime.kernelName.lowercased()), "kernel \(BLASRuntime.kernelName)")
        #expect(BLASRuntime.threadCount >= 1)
    }
}

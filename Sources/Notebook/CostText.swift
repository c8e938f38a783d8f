import Analysis
import Claims
import Foundation
import NumericCore
import Runs
import Statistics

extension TrainingCost {
    /// The ledger as numbers, for `provenance.json`: counts, operations, core-seconds, the speed per
    /// core, and the share of single-thread sgemm (measured where each run was trained) it reached.
    public var numbers: [String: Double] {
        ["networks": Double(networks), "iterations": Double(iterations), "epochs": epochs,
         "training_flops": trainingFlops, "evaluation_flops": evaluationFlops, "core_seconds": seconds,
         "gflops_per_core": gigaflopsPerSecond, "sgemm_gflops_one_thread": sgemm, "share_of_limit": shareOfLimit]
    }

    /// "36 networks, 72,000 iterations (2,323 epochs); matrix products 4.62 TFLOP training, 0.05 TFLOP
    /// evaluation; 78.2 core-seconds: 59 GFLOP/s per core, 65% of single-thread sgemm (91.5 GFLOP/s where trained)"
    public var summary: String {
        "\(networks.formatted()) networks, \(iterations.formatted()) iterations (\(Int(epochs.rounded()).formatted()) epochs); "
            + String(format: "matrix products %.2f TFLOP training, %.2f TFLOP evaluation; %.1f core-seconds: %.0f GFLOP/s per core, "
                     + "%.0f%% of single-thread sgemm (%.1f GFLOP/s, 1024³, measured where the runs were trained)",
                     trainingFlops / 1e12, evaluationFlops / 1e12, seconds, gigaflopsPerSecond, 100 * shareOfLimit, sgemm)
    }
}

extension CostLedger {
    /// What the runs trained in this process cost in wall time: "trained here: 12 networks in 40.1 s
    /// on 2 cores, busy 93% of the time". Nil when nothing was trained.
    public var trainedHereSummary: String? {
        let here = trainedHere
        guard here.networks > 0 else { return nil }
        return "trained here: \(here.networks.formatted()) networks in " + String(format: "%.1f s of wall time, the cores busy %.0f%% of it", wallSeconds, 100 * busyShare)
    }
}

import Analysis
import Claims
import Foundation
import NumericCore
import Runs
import Statistics

extension TrainingCost {
    /// The ledger as numbers, for `provenance.json`: counts, operations, seconds, the speed, and the
    /// machine's limit (`cores` × single-thread sgemm, measured in the same run) it is set against.
    public func numbers(sgemm: Double, cores: Int) -> [String: Double] {
        ["networks": Double(networks), "iterations": Double(iterations), "epochs": epochs,
         "training_flops": trainingFlops, "evaluation_flops": evaluationFlops, "training_seconds": seconds,
         "gflops_per_second": gigaflopsPerSecond, "sgemm_gflops_one_thread": sgemm, "cores": Double(cores),
         "share_of_limit": share(sgemm: sgemm, cores: cores)]
    }

    /// Achieved speed over what `cores` cores at single-thread sgemm speed would do.
    public func share(sgemm: Double, cores: Int) -> Double {
        sgemm > 0 && cores > 0 ? gigaflopsPerSecond / (sgemm * Double(cores)) : 0
    }

    /// "36 networks, 72,000 iterations (2,323 epochs); matrix products 4.62 TFLOP training, 0.05 TFLOP
    /// evaluation; 39.1 s: 119 GFLOP/s, 65% of 2 cores × 91.5 GFLOP/s (single-thread sgemm, this run)"
    public func summary(sgemm: Double, cores: Int) -> String {
        "\(networks.formatted()) networks, \(iterations.formatted()) iterations (\(Int(epochs.rounded()).formatted()) epochs); "
            + String(format: "matrix products %.2f TFLOP training, %.2f TFLOP evaluation; %.1f s: %.0f GFLOP/s, %.0f%% of %d cores × %.1f GFLOP/s",
                     trainingFlops / 1e12, evaluationFlops / 1e12, seconds, gigaflopsPerSecond, 100 * share(sgemm: sgemm, cores: cores), cores, sgemm)
            + " (single-thread sgemm, 1024³, measured in this run)"
    }
}

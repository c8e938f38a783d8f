import Dispatch
import Foundation
import NeuralNet
import NumericCore

/// What training cost: how many networks, how many steps and epochs, the floating-point operations
/// of their matrix products (training and evaluation counted apart), and the seconds it took.
///
/// Operations are counted from the shapes of the products actually computed, not timed: in the
/// usual form a step of a network with layer widths n₀, n₁, … on a batch of B is 2B Σ nᵢnᵢ₊₁ for
/// the forward pass, as much again for the weight gradients, and as much once more less the first
/// layer's share for the input gradients; measuring N images is 2N Σ nᵢnᵢ₊₁; the dual form of SGD
/// counts its own, smaller products (see `DualFirstLayers`). Everything else a step does
/// (activations, the loss, the optimizer, copying the batch) is left out: it is what the ledger's
/// speed falls short by.
public struct TrainingCost: Sendable, Codable, Equatable {
    public var networks = 0
    public var iterations = 0
    /// Steps over steps per epoch, summed over networks (an iteration-based run counts its share).
    public var epochs = 0.0
    public var trainingFlops = 0.0
    public var evaluationFlops = 0.0
    /// Wall time of the training calls that did this work.
    public var seconds = 0.0

    public init() {}

    public var flops: Double { trainingFlops + evaluationFlops }
    /// The speed achieved: operations per second of wall time, in GFLOP/s.
    public var gigaflopsPerSecond: Double { seconds > 0 ? flops / seconds / 1e9 : 0 }

    public static func + (a: TrainingCost, b: TrainingCost) -> TrainingCost {
        var sum = a
        sum.networks += b.networks; sum.iterations += b.iterations; sum.epochs += b.epochs
        sum.trainingFlops += b.trainingFlops; sum.evaluationFlops += b.evaluationFlops; sum.seconds += b.seconds
        return sum
    }
}

/// The running total of a program's training costs: every training call adds what it trained
/// (runs read from the cache cost nothing) and how long it took. Safe to add to from any thread.
public final class CostLedger: @unchecked Sendable {
    private let lock = NSLock()
    private var cost = TrainingCost()

    public init() {}

    public var total: TrainingCost { lock.lock(); defer { lock.unlock() }; return cost }

    public func add(_ more: TrainingCost) {
        lock.lock(); cost = cost + more; lock.unlock()
    }

    /// Times `body` and adds its wall time.
    public func timing<T>(_ body: () throws -> T) rethrows -> T {
        let start = DispatchTime.now().uptimeNanoseconds
        defer {
            var elapsed = TrainingCost()
            elapsed.seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            add(elapsed)
        }
        return try body()
    }
}

extension TrainingCost {
    /// The run-by-run part of a finished run's cost: one network, its steps (up to where it
    /// diverged), and the forward passes of its probes. The products of training and measuring
    /// come from the trainer that ran them (`Trainer.flops`), which knows their form.
    init(of result: RunResult, trainingImages: Int, testImages: Int, probes: [Probe]) {
        let setup = result.run.setup, network = setup.network
        networks = 1
        iterations = result.history.losses.count
        epochs = Double(iterations) / Double(Trainer<Float>.iterationsPerEpoch(trainingCount: trainingImages, batchSize: setup.batchSize))
        for probe in probes {
            // Monte Carlo passes share one first-layer product; the layers above run once per pass.
            if case let .monteCarlo(passes) = probe.kind, network.dropoutRatio != nil {
                let first = 2 * Double(network.inputSize * (network.hiddenSizes.first ?? network.outputSize))
                evaluationFlops += Double(testImages) * (first + Double(passes.max() ?? 0) * (network.forwardFlopsPerSample - first))
            }
            if case .heldOut = probe.kind, let images = result.measurements[.heldOutImages] {
                evaluationFlops += images * network.forwardFlopsPerSample
            }
            if case let .disjointSets(unseen) = probe.kind, result.measurements[.unseenAccuracy] != nil {
                evaluationFlops += Double(testImages + unseen) * network.forwardFlopsPerSample
            }
            if case let .unseen(count) = probe.kind, result.measurements[.unseenAccuracy] != nil {
                evaluationFlops += Double(count) * network.forwardFlopsPerSample
            }
        }
    }
}

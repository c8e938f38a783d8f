import Dispatch
import Engine
import Foundation

/// What training cost: how many networks, how many steps and epochs, the floating-point operations
/// of their matrix products (training and evaluation counted apart), the seconds it took and what
/// the machine could have done in them.
///
/// Operations are counted by the backend where each product is computed (`ComputeBackend.operations`),
/// 2 per multiply-add; everything else a step does (activations, the loss, the optimizer, copying
/// the batch) is left out: it is what the ledger's speed falls short by. Seconds are each run's own,
/// on its core; `limitFlops` is what single-thread sgemm, measured in the process that trained
/// the run, would have computed in them, so that costs add up across runs, processes and machines.
public struct TrainingCost: Sendable, Codable, Equatable {
    public var networks = 0
    public var iterations = 0
    /// Steps over steps per epoch, summed over networks (an iteration-based run counts its share).
    public var epochs = 0.0
    public var trainingFlops = 0.0
    public var evaluationFlops = 0.0
    /// The runs' seconds, each on its own core, added up: core-seconds.
    public var seconds = 0.0
    /// The operations single-thread sgemm would have done in those seconds.
    public var limitFlops = 0.0

    public init() {}

    public var flops: Double { trainingFlops + evaluationFlops }
    /// The speed achieved on one core: operations per core-second, in GFLOP/s.
    public var gigaflopsPerSecond: Double { seconds > 0 ? flops / seconds / 1e9 : 0 }
    /// The share of the limit achieved: the operations over what single-thread sgemm would have done.
    public var shareOfLimit: Double { limitFlops > 0 ? flops / limitFlops : 0 }
    /// The single-thread sgemm speed the limit was set by (GFLOP/s; an average where runs were trained apart).
    public var sgemm: Double { seconds > 0 ? limitFlops / seconds / 1e9 : 0 }

    public static func + (a: TrainingCost, b: TrainingCost) -> TrainingCost {
        var sum = a
        sum.networks += b.networks; sum.iterations += b.iterations; sum.epochs += b.epochs
        sum.trainingFlops += b.trainingFlops; sum.evaluationFlops += b.evaluationFlops
        sum.seconds += b.seconds; sum.limitFlops += b.limitFlops
        return sum
    }
}

/// The running total of a program's training costs, safe to add to from any thread.
///
/// `total` is what every run the program used cost when it was trained, whether trained now or read
/// back from the cache with the cost stored beside it: a report made from a warm cache still
/// carries its cold ledger. `trainedHere` is the part trained in this process, with the wall time
/// of its training calls and the cores they had: how much of that time the cores were busy.
public final class CostLedger: @unchecked Sendable {
    private let lock = NSLock()
    private var used = TrainingCost()
    private var here = TrainingCost()
    private var wall = 0.0, coreSeconds = 0.0
    /// Runs read back without a stored cost (entries written before costs were kept).
    private var unknown = 0

    public init() {}

    public var total: TrainingCost { lock.lock(); defer { lock.unlock() }; return used }
    public var trainedHere: TrainingCost { lock.lock(); defer { lock.unlock() }; return here }
    public var runsWithoutCost: Int { lock.lock(); defer { lock.unlock() }; return unknown }
    /// Wall time of the training calls that trained runs here.
    public var wallSeconds: Double { lock.lock(); defer { lock.unlock() }; return wall }
    /// The share of the cores' time during those calls that runs were training: what is left is
    /// cores waiting for the last runs of a call, or for the program between runs.
    public var busyShare: Double { lock.lock(); defer { lock.unlock() }; return coreSeconds > 0 ? here.seconds / coreSeconds : 0 }

    /// A run used: its cost when trained (nil for an old entry that kept none); `trained` when it was trained now.
    public func add(_ cost: TrainingCost?, trained: Bool) {
        lock.lock(); defer { lock.unlock() }
        guard let cost else { unknown += 1; return }
        used = used + cost
        if trained { here = here + cost }
    }

    /// A training call's wall time, on `workers` cores.
    public func addWallTime(_ seconds: Double, workers: Int) {
        lock.lock(); defer { lock.unlock() }
        wall += seconds
        coreSeconds += seconds * Double(max(workers, 1))
    }
}

extension MachineSpeed {
    /// Single-thread sgemm, measured once per process, the first time a run is trained (before any
    /// run starts, so that nothing else competes for the core).
    static let singleThreadSGEMM: Double = sgemm()
}

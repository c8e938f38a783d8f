import Dispatch
import Foundation

/// The number of runs to keep going at once: one per core, each with one BLAS thread.
public var defaultWorkerCount: Int { max(ProcessInfo.processInfo.activeProcessorCount, 1) }

/// Runs `body` for every input, `workers` at a time, and returns the outputs in input order.
///
/// With `cost`, inputs are started from the most to the least costly, so that the last runs to
/// finish are short ones and no core waits long at the end. The first error stops new inputs from
/// starting and is rethrown once the running ones have finished.
///
/// Each run must own everything it mutates (its network, optimizer and random generator, derived
/// from its own seed), so results do not depend on which worker ran what, or when.
public func runInParallel<Input, Output>(_ inputs: [Input], workers: Int = defaultWorkerCount, cost: ((Input) -> Double)? = nil,
                                         _ body: (Input) throws -> Output) rethrows -> [Output] {
    guard !inputs.isEmpty else { return [] }
    let order: [Int]
    if let cost {
        let costs = inputs.map(cost)
        order = inputs.indices.sorted { costs[$0] != costs[$1] ? costs[$0] > costs[$1] : $0 < $1 }
    } else {
        order = Array(inputs.indices)
    }
    let lock = NSLock()
    var results = [Output?](repeating: nil, count: inputs.count)
    var firstError: Error?
    var next = 0
    func take() -> Int? {
        lock.lock(); defer { lock.unlock() }
        guard firstError == nil, next < order.count else { return nil }
        next += 1
        return order[next - 1]
    }
    try withoutActuallyEscaping(body) { body in
        DispatchQueue.concurrentPerform(iterations: min(max(workers, 1), inputs.count)) { _ in
            while let index = take() {
                do {
                    let output = try body(inputs[index])
                    lock.lock(); results[index] = output; lock.unlock()
                } catch {
                    lock.lock(); if firstError == nil { firstError = error }; lock.unlock()
                }
            }
        }
        if let firstError { throw firstError }
    }
    return results.map { $0! }
}

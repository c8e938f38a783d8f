import Analysis
import Claims
import Runs
import Statistics

/// Whether a group of runs has stopped gaining training accuracy: still rising when it gained at
/// least a point over the last `span` epochs on every seed, settled when it moved by less than a
/// point on every seed, unclear otherwise (each value compares the mean of the last 10 evaluated
/// epochs with the mean of the 10 that ended `span` epochs earlier).
public enum Convergence: Equatable, Sendable {
    case rising, settled, unclear

    public init(_ group: RunGroup, span: Int) {
        let change = group.trend(.trainAccuracy, overLast: span)
        if change.present.allSatisfy({ $0 >= 0.01 }) { self = .rising }
        else if change.present.allSatisfy({ abs($0) < 0.01 }) { self = .settled }
        else { self = .unclear }
    }

    public var text: String {
        switch self {
        case .rising: "still rising"
        case .settled: "settled"
        case .unclear: "unclear (seeds disagree)"
        }
    }

    public func sentence(label: String, epochs: Int, span: Int) -> String {
        switch self {
        case .rising: """
            The \(label) run has not converged: its training accuracy is still rising over the last \(span) of its \
            \(epochs) epochs.
            """
        case .settled: """
            The \(label) run has settled: its training accuracy moved by less than a point over the last \(span) of \
            its \(epochs) epochs.
            """
        case .unclear: """
            Whether the \(label) run has converged is unclear: its seeds disagree over the last \(span) of its \
            \(epochs) epochs.
            """
        }
    }
}

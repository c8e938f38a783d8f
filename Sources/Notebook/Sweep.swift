import Analysis
import Claims
import Runs
import Statistics

extension ChapterContext {
    /// A sweep of one setting: `base` trained with each of the user's `values` and with the values
    /// the chapter always shows (zero, the course's), each applied by `apply`, in increasing order.
    /// The values always shown are the ones drawn epoch by epoch: they are measured every epoch,
    /// the others every `every` epochs on the training set (for the sweep's training curves) and
    /// on the held-out sets only before and after (their end points are what the sweep reads), or
    /// with `othersHeldOutCurves` as often as on the training set, for a figure that draws their
    /// test curves too. With `decisions`, it grows to more seeds while a claim it decides is
    /// undecided (see `compare`).
    public func sweep<Value: Comparable & Hashable & Sendable>(_ title: String, base: TrainingSetup, values: [Value],
                                                              including always: [Value], evaluateOthersEvery every: Int,
                                                              othersHeldOutCurves: Bool = false,
                                                              label: (Value) -> String, measuring: [Probe] = [],
                                                              decidedBy decisions: ((Comparison<Value>) -> [Decision])? = nil,
                                                              _ apply: @escaping (inout TrainingSetup, Value) -> Void) -> Comparison<Value> {
        compare(title, base: base, sweepValues(values, including: always).map { value in
            Variant(value, label: label(value)) { setup in
                apply(&setup, value)
                if !always.contains(value), let epochs = setup.length.epochs {
                    setup.length = .epochs(epochs, evaluateEvery: every, heldOutEvery: othersHeldOutCurves ? every : epochs)
                }
            }
        }, measuring: measuring, decidedBy: decisions)
    }
}

/// The values a sweep trains: the user's and those always shown, each once, in increasing order.
public func sweepValues<Value: Comparable & Hashable>(_ values: [Value], including always: [Value]) -> [Value] {
    Array(Set(values + always)).sorted()
}

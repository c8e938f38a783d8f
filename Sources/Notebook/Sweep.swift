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
    /// test curves too. It grows to more seeds while a claim of `claims` is undecided (see `compare`).
    public func sweep<Value: Comparable & Hashable & Sendable>(_ title: String, base: TrainingSetup, values: [Value],
                                                              including always: [Value], evaluateOthersEvery every: Int,
                                                              othersHeldOutCurves: Bool = false,
                                                              label: (Value) -> String, measuring: [Probe] = [],
                                                              judging claims: @escaping (Comparison<Value>) -> Decisions,
                                                              _ apply: @escaping (inout TrainingSetup, Value) -> Void)
        -> (comparison: Comparison<Value>, decisions: Decisions) {
        compare(title, base: base, Self.sweepVariants(values, including: always, every: every, othersHeldOutCurves: othersHeldOutCurves,
                                                      label: label, apply), measuring: measuring, judging: claims)
    }

    /// The same sweep for a comparison no claim reads.
    public func sweep<Value: Comparable & Hashable & Sendable>(_ title: String, base: TrainingSetup, values: [Value],
                                                              including always: [Value], evaluateOthersEvery every: Int,
                                                              othersHeldOutCurves: Bool = false,
                                                              label: (Value) -> String, measuring: [Probe] = [],
                                                              _ apply: @escaping (inout TrainingSetup, Value) -> Void) -> Comparison<Value> {
        compare(title, base: base, Self.sweepVariants(values, including: always, every: every, othersHeldOutCurves: othersHeldOutCurves,
                                                      label: label, apply), measuring: measuring)
    }

    static func sweepVariants<Value: Comparable & Hashable & Sendable>(_ values: [Value], including always: [Value], every: Int,
                                                                      othersHeldOutCurves: Bool, label: (Value) -> String,
                                                                      _ apply: @escaping (inout TrainingSetup, Value) -> Void)
        -> [Variant<Value>] {
        sweepValues(values, including: always).map { value in
            Variant(value, label: label(value)) { setup in
                apply(&setup, value)
                if !always.contains(value), let epochs = setup.length.epochs {
                    setup.length = .epochs(epochs, evaluateEvery: every, heldOutEvery: othersHeldOutCurves ? every : epochs)
                }
            }
        }
    }
}

/// The values a sweep trains: the user's and those always shown, each once, in increasing order.
public func sweepValues<Value: Comparable & Hashable>(_ values: [Value], including always: [Value]) -> [Value] {
    Array(Set(values + always)).sorted()
}

import Statistics

// Seed summaries as text: a mean with its spread, as a number or a percentage, and what is missing.

/// Why a seed has no value, as a table says it: "diverged" only for a run whose loss became NaN or
/// infinite, which only the caller knows; otherwise the value is simply not there.
public enum MissingValue: Sendable {
    /// The run's loss became NaN or infinite: it has no network to measure.
    case diverged
    /// Not measured (too few points for the statistic, or never asked for).
    case notMeasured

    func note(_ missing: Int, of count: Int) -> String {
        switch self {
        case .diverged: " (\(missing) of \(count) seeds diverged)"
        case .notMeasured: " (no value on \(missing) of \(count) seeds)"
        }
    }

    func none(_ count: Int) -> String {
        switch self {
        case .diverged: count == 1 ? "diverged" : "diverged on all \(count) seeds"
        case .notMeasured: "not measured"
        }
    }
}

/// "0.123 ± 0.004" (mean ± sample standard deviation across seeds), with the missing seeds said.
public func meanAndSpread(_ s: SeedSummary, digits: Int = 3, missing: MissingValue = .notMeasured) -> String {
    if s.present.isEmpty { return missing.none(s.values.count) }
    let text = s.present.count > 1 ? Format.number(s.mean, digits: digits) + " ± " + Format.number(s.standardDeviation, digits: 2)
                                   : Format.number(s.mean, digits: digits)
    return text + missingNote(s, missing)
}

/// "93.1% (92.6–93.5)" (mean, then min–max across seeds), with the missing seeds said.
public func percentWithRange(_ s: SeedSummary, missing: MissingValue = .notMeasured) -> String {
    if s.present.isEmpty { return missing.none(s.values.count) }
    let text = s.present.count < 2 ? Format.percent(s.mean)
        : Format.percent(s.minimum) == Format.percent(s.maximum) ? Format.percent(s.mean) + " (every seed)"
        : Format.percent(s.mean) + " (" + Format.percent(s.minimum).dropLast() + "–" + Format.percent(s.maximum) + ")"
    return text + missingNote(s, missing)
}

/// " (1 of 3 seeds diverged)" where seeds are missing, for the reason given.
func missingNote(_ s: SeedSummary, _ missing: MissingValue) -> String {
    s.missing > 0 && !s.present.isEmpty ? missing.note(s.missing, of: s.values.count) : ""
}

/// "87 (80–95)" for the epochs at which seeds got somewhere, with the seeds that never did:
/// "never" or "; 1 of 3 seeds never".
public func epochText(_ s: SeedSummary) -> String {
    guard !s.present.isEmpty else { return "never" }
    let reached = s.present.count > 1 ? "\(Int(s.mean.rounded())) (\(Int(s.minimum))–\(Int(s.maximum)))" : "\(Int(s.mean))"
    return reached + (s.missing > 0 ? "; \(s.missing) of \(s.values.count) seeds never" : "")
}

/// "+24.1 points (seeds from +22.0 to +26.3)": a difference of accuracies in percentage points,
/// the mean, then the lowest and highest seed: a range, written so that it is not read as an
/// interval (the claims print theirs as "97.5% interval … to …").
public func percentagePoints(_ s: SeedSummary, missing: MissingValue = .notMeasured) -> String {
    if s.present.isEmpty { return missing.none(s.values.count) }
    let points = { (v: Double) in Format.points(v) }
    guard s.present.count > 1 else { return points(s.mean) + " points" + missingNote(s, missing) }
    if points(s.minimum) == points(s.maximum) { return points(s.mean) + " points (every seed)" + missingNote(s, missing) }
    return points(s.mean) + " points (seeds from " + points(s.minimum) + " to " + points(s.maximum) + ")" + missingNote(s, missing)
}

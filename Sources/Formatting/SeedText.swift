import Statistics

// Seed summaries as text: a mean with its spread, as a number or a percentage, and what is missing.

/// "0.123 ± 0.004" (mean ± sample standard deviation across seeds), with the missing seeds said.
public func meanAndSpread(_ s: SeedSummary, digits: Int = 3) -> String {
    if s.present.isEmpty { return noneText(s) }
    let text = s.present.count > 1 ? Format.number(s.mean, digits: digits) + " ± " + Format.number(s.standardDeviation, digits: 2)
                                   : Format.number(s.mean, digits: digits)
    return text + missingNote(s)
}

/// "93.1% (92.6–93.5)" (mean, then min–max across seeds), with the missing seeds said.
public func percentWithRange(_ s: SeedSummary) -> String {
    if s.present.isEmpty { return noneText(s) }
    let text = s.present.count < 2 ? Format.percent(s.mean)
        : Format.percent(s.minimum) == Format.percent(s.maximum) ? Format.percent(s.mean) + " (every seed)"
        : Format.percent(s.mean) + " (" + Format.percent(s.minimum).dropLast() + "–" + Format.percent(s.maximum) + ")"
    return text + missingNote(s)
}

/// " (1 of 3 seeds diverged)" where seeds are missing.
func missingNote(_ s: SeedSummary) -> String {
    s.missing > 0 && !s.present.isEmpty ? " (\(s.missing) of \(s.values.count) seeds diverged)" : ""
}

/// What a table shows for a quantity no seed has.
func noneText(_ s: SeedSummary) -> String { "diverged on all \(s.values.count) seeds" }

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
public func percentagePoints(_ s: SeedSummary) -> String {
    if s.present.isEmpty { return noneText(s) }
    let points = Format.points
    guard s.present.count > 1 else { return points(s.mean) + " points" + missingNote(s) }
    if points(s.minimum) == points(s.maximum) { return points(s.mean) + " points (every seed)" + missingNote(s) }
    return points(s.mean) + " points (seeds from " + points(s.minimum) + " to " + points(s.maximum) + ")" + missingNote(s)
}

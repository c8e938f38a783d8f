import Formatting
import Foundation

// A claim's decision in plain words, made from its readings: one sentence with the number the
// verdict reads, how a verdict of several parts follows from them, and, for an undecided one,
// what would decide it. The chapter tables, the index and the HTML edition all say it this way.

extension Reading {
    /// A value in the reading's unit: "+1.5 points", "0.45×", "93.1%", "12.3".
    public func text(_ v: Double) -> String {
        switch unit {
        case .points: Format.points(v) + " points"
        case .percent: Format.percent(v)
        case .ratio: Format.number(exp(v), digits: 2) + "×"
        case .number: Format.significant(v, digits: 3)
        }
    }

    /// A value without the unit's word, for the second end of a range: "+1.5", "0.45×", "93.1%".
    func bare(_ v: Double) -> String {
        switch unit {
        case .points: Format.points(v)
        default: text(v)
        }
    }

    /// "−2.1 to −0.9 points": the interval; nil for a single measurement.
    public var intervalText: String? {
        guard let low, let high else { return nil }
        return unit == .points ? "\(bare(low)) to \(text(high))" : "\(text(low)) to \(text(high))"
    }

    /// The margin as a size: "0.48 points", "a ratio of 1.1", "0.02"; nil without one.
    public var marginText: String? {
        guard let margin else { return nil }
        switch unit {
        case .points: return Format.number(margin * 100, digits: 2) + " points"
        case .ratio: return "a ratio of " + Format.significant(exp(margin), digits: 3)
        case .percent: return Format.percent(margin)
        case .number: return Format.significant(margin, digits: 2)
        }
    }

    /// Where the interval must lie for the claim to hold: "above +0.48 points", "below 1.2",
    /// "between −2.0 and +2.0 points".
    public var requirement: String {
        switch (holdsFrom.isInfinite, holdsTo.isInfinite) {
        case (false, true): "above \(text(holdsFrom))"
        case (true, false): "below \(text(holdsTo))"
        case (false, false): "between \(bare(holdsFrom)) and \(text(holdsTo))"
        case (true, true): "anywhere"
        }
    }

    /// The reading in one plain sentence: the estimate, its interval and seeds, and what the
    /// interval is judged against (the noise band, or the level or range the claim names).
    public var sentence: String {
        var text = "\(label): \(self.text(estimate))"
        if let interval = intervalText {
            text += " (interval \(interval)\(seeds.map { ", \(Format.seeds([$0]))" } ?? ""))"
        }
        if margin == 0 {
            // A zero margin: any difference beyond the seeds' spread counts, and no images' noise is set apart.
            text += "; any difference beyond the seeds' spread counts (no margin)"
        } else if let marginText {
            let noise = unit == .ratio ? "a ratio within \(Format.significant(exp(margin!), digits: 3))× either way is no difference"
                : "a difference within ±\(marginText) is noise"
            text += "; " + noise + (images.map { " on \($0.formatted()) images" } ?? "")
            if rule == .noWorse { text += "; it must lie \(requirement)" }
        } else {
            text += "; it must lie \(requirement)"
        }
        return text
    }

    /// For an undecided reading, what would decide it, from its measured spread: about how many
    /// seeds would narrow the interval off the line it straddles (if the mean stays where it is),
    /// and, where the margin is the noise of an evaluation set and the interval already clears
    /// zero, how many images would shrink the margin enough. Nil for a decided reading.
    public var wouldDecide: String? {
        guard verdict == .undecided, let low, let high, let seeds, seeds > 1 else { return nil }
        // The line the interval straddles: the end of the region where it holds that it crosses.
        let line = !holdsFrom.isInfinite && low < holdsFrom ? holdsFrom : holdsTo
        guard line.isFinite else { return nil }
        let half = (high - low) / 2, distance = abs(estimate - line)
        let towards = (estimate >= holdsFrom && estimate <= holdsTo) ? "holds" : "does not hold"
        var text: String
        if distance < half / 40 {
            text = "the mean sits on the line it must clear (\(self.text(line))), so no number of seeds would move the interval off it"
        } else {
            let needed = Double(seeds) * pow(half / distance, 2)
            text = needed > 2000 ? "it would take over 2,000 seeds to narrow the interval off \(self.text(line)), the mean lies so close to it"
                : "about \(Int(needed.rounded(.up)).formatted()) seeds would decide it (towards \(towards)) if the mean stayed at \(self.text(estimate))"
        }
        // A margin that is the noise of an evaluation set shrinks as the set grows: where the
        // interval already lies clear of zero on the claimed side, a larger set could decide it.
        if let images, let margin, margin > 0, abs(line) == margin {
            let near = claimedSign > 0 ? low : -high
            if near > 0 {
                let more = Double(images) * pow(margin / near, 2)
                text += "; or about \(Int(more.rounded(.up)).formatted()) evaluation images instead of \(images.formatted()), which would shrink the margin to the interval's near end"
            }
        }
        return text
    }
}

extension ClaimPart {
    /// "holds: gap with dropout − without: −1.5 points (interval …); a difference within ±0.48 points is noise on 4,700 images":
    /// the verdict and the number it reads, in one sentence. A decision of several readings or parts
    /// says how many go which way and names the one closest to its line.
    public var sentence: String {
        if rule == .notTestable { return "\(verdict.rawValue): " + ruleText.replacingOccurrences(of: "not testable here: ", with: "") }
        // Parts shown beside do not decide: a claim with only those reads its own numbers.
        if readings.count == 1, decidingParts.isEmpty { return "\(verdict.rawValue): " + readings[0].sentence }
        // Nothing read as numbers (too few seeds for an interval): the evidence in words, if short.
        if readings.isEmpty, decidingParts.isEmpty { return verdict.rawValue + (evidence.count <= 200 ? ": " + evidence : "") }
        if !decidingParts.isEmpty { return "\(verdict.rawValue): " + howItFollows + weakestClause }
        let ahead = readings.filter { $0.verdict == .holds }.count
        return "\(verdict.rawValue): ahead in \(ahead) of \(readings.count) comparisons" + weakestClause
    }

    /// "; the nearest to its line, at 500 › Momentum / SGD: 0.80× (…)": the reading the verdict hinges on.
    var weakestClause: String {
        guard let weakest = weakestReading else { return "" }
        let path = (weakest.path + [weakest.reading.label]).joined(separator: " › ")
        var reading = weakest.reading
        reading.label = path
        return "; nearest its line, " + reading.sentence
    }

    /// How a verdict of parts follows from them: "2 of 3 parts hold, 1 does not", "most of 3
    /// checkpoints: 2 do not hold, 1 undecided"; parts shown beside are not counted.
    public var howItFollows: String {
        let deciding = decidingParts
        let counts = Claim.Verdict.allCases.compactMap { v -> String? in
            let n = deciding.filter { $0.verdict == v }.count
            guard n > 0 else { return nil }
            return n == 1 ? "1 \(v.rawValue)" : "\(n) \(v.plural)"
        }
        if deciding.count == 1 { return "decided by \(deciding[0].name): \(deciding[0].verdict.rawValue)" }
        let lead = meaning == .most ? "by most of \(deciding.count) parts, " : ""
        if counts.count == 1 {
            return lead + (deciding.count == 2 ? "both parts " : "all \(deciding.count) parts ") + counts[0].drop { $0 != " " }.dropFirst()
        }
        return lead.isEmpty ? "of \(deciding.count) parts, " + Format.list(counts) : lead + Format.list(counts)
    }

    /// For an undecided claim or part, what would decide it (from its undecided readings).
    public var wouldDecide: String? {
        guard verdict == .undecided || verdict == .holdsInPart else { return nil }
        let undecided = leafReadings.filter { $0.reading.verdict == .undecided }
        guard let first = undecided.compactMap({ entry in entry.reading.wouldDecide.map { (entry.path + [entry.reading.label], $0) } }).first
        else { return nil }
        return undecided.count == 1 ? first.1 : "for \(first.0.joined(separator: " › ")), " + first.1
    }
}

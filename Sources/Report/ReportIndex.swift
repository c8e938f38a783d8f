import Formatting
import Foundation
import NumericCore
import Plot

/// The front page of `output/`: every claim of the notes the chapters checked, with its verdict and
/// the number that decides it; one line per chapter with its key finding and a thumbnail; and how
/// the reports were made, as Markdown (`README.md`). The Site library makes the HTML edition from
/// the same entries.
public struct ReportIndex {
    public struct Entry {
        public var folder: String
        public var title: String
        public var finding: String
        public var thumbnail: String?
        public var markdown: String
        public var claims: [Claim]
        /// "MNIST", from the chapter's settings.
        public var dataset: String
        /// The chapter's `provenance.json`: when and from which commit it was made, how long it took.
        public var provenance: [String: JSONValue]
        /// The size each figure is designed to be shown at, by file name (without extension).
        public var figureSizes: [String: FigureSize] = [:]
        /// Every figure has its dark PNG beside it (`<name>-dark.png`, see `Report.darkSuffix`).
        public var darkFigures = false
    }

    public let root: String
    public let entries: [Entry]
    /// How the claims are decided and how often the engine errs, in Markdown (the Claims library's
    /// `Simulation.markdown`); shown under the claims when given.
    public var engine: String?
    /// The same chapters on a second dataset (a subfolder of `root`), for a second verdict column.
    public let comparison: (folder: String, entries: [Entry])?
    /// An earlier edition of the same chapters on other data (the MNIST edition on the 5,000 embedded
    /// digits, before the full set): its name, and its chapters' claims. The index lists every
    /// verdict and seed count that changed against it, with why.
    public var previous: (name: String, entries: [Entry])?
    /// What changed in the design between the previous edition and this one, in a sentence or two.
    public var previousChanges: String?

    /// Reads every `<root>/<chapter>/results.json` with its README, in `order` first, then
    /// alphabetically, and the chapters in `<root>/<comparison>` when there are any.
    public init(root: String, order: [String] = [], comparison: String? = nil) throws {
        self.root = root
        entries = try Self.read(root, order: order)
        if let comparison {
            let folder = (root as NSString).appendingPathComponent(comparison)
            let others = try Self.read(folder, order: order)
            self.comparison = others.isEmpty ? nil : (comparison, others)
        } else {
            self.comparison = nil
        }
    }

    public static func read(_ root: String, order: [String]) throws -> [Entry] {
        let folders = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).filter {
            FileManager.default.fileExists(atPath: (root as NSString).appendingPathComponent("\($0)/results.json"))
        }
        let sorted = folders.sorted { a, b in
            let ia = order.firstIndex(of: a) ?? Int.max, ib = order.firstIndex(of: b) ?? Int.max
            return ia != ib ? ia < ib : a < b
        }
        return try sorted.map { folder in
            let base = (root as NSString).appendingPathComponent(folder)
            let results = try ResultsFile.read((base as NSString).appendingPathComponent("results.json"))
            let markdown = (try? String(contentsOfFile: (base as NSString).appendingPathComponent("README.md"), encoding: .utf8)) ?? ""
            let title = markdown.split(separator: "\n").first.map { $0.hasPrefix("# ") ? String($0.dropFirst(2)) : String($0) } ?? folder
            let provenance = (try? JSONDecoder().decode(JSONValue.self, from: Data(contentsOf: URL(fileURLWithPath: (base as NSString)
                .appendingPathComponent("provenance.json")))))?.objectValue ?? [:]
            let dataset = results.settings["dataset"]?.stringValue.map { String($0.prefix { $0 != ":" }) } ?? "MNIST"
            let sizes = (results.summary["figures"]?.arrayValue ?? []).compactMap(FigureSize.init(json:))
            return Entry(folder: folder, title: title, finding: results.summary["finding"]?.stringValue ?? "",
                         thumbnail: firstImage(in: markdown), markdown: markdown,
                         claims: results.summary["claims"]?.arrayValue?.compactMap(Claim.init(json:)) ?? [],
                         dataset: dataset, provenance: provenance,
                         figureSizes: Dictionary(sizes.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first }),
                         darkFigures: !sizes.isEmpty && sizes.allSatisfy { size in
                             FileManager.default.fileExists(atPath: (base as NSString).appendingPathComponent("\(size.name)\(Report.darkSuffix).png"))
                         })
        }
    }

    /// The first image a chapter's README links, `name.png`.
    static func firstImage(in markdown: String) -> String? {
        guard let range = markdown.range(of: #"!\[[^\]]*\]\(([^)]+\.png)\)"#, options: .regularExpression) else { return nil }
        let link = markdown[range]
        return link[link.index(after: link.lastIndex(of: "(")!)..<link.index(before: link.endIndex)].description
    }

    // MARK: - The parts of the front page

    /// The same claim as checked on the second dataset (the claim with the same id), if that chapter checked it there.
    public func comparisonClaim(_ claim: Claim, in folder: String) -> Claim? {
        comparison?.entries.first { $0.folder == folder }?.claims.first { $0.id == claim.id }
    }

    /// `<folder>/README.md`, with `#<section>` when there is one.
    public static func readmeLink(_ folder: String, _ section: String?) -> String {
        "\(folder)/README.md" + (section.map { "#" + $0 } ?? "")
    }

    /// "18 hold · 8 hold in part · 2 do not hold · 1 undecided" (verdicts with no claim left out).
    public static func counts(_ claims: [Claim]) -> String {
        Claim.Verdict.allCases.compactMap { verdict -> String? in
            let n = claims.filter { $0.verdict == verdict }.count
            return n == 0 ? nil : "\(n) \(verdict.plural)"
        }.joined(separator: " · ")
    }

    /// The claims table; `link` turns a chapter and a section anchor into a link target. A claim's
    /// evidence is written once, in its chapter: the table links to it. Verdicts on the second
    /// dataset link to that dataset's README, and ≠ marks those that differ.
    func claimsTable(link: (String, String?) -> String) -> String {
        let datasetName = entries.first?.dataset ?? "MNIST"
        var headers = ["chapter", "the notes' claim", datasetName]
        if let comparison { headers.append(comparison.entries.first?.dataset ?? comparison.folder) }
        headers.append("evidence")
        var rows: [[String]] = []
        var differing = 0
        for entry in entries {
            for claim in entry.claims {
                var row = ["[\(entry.title.prefix { $0 != ":" })](\(link(entry.folder, nil)))",
                           "[\(claim.claim)](\(link(entry.folder, claim.section))) \(claim.quoted)", "**\(claim.verdict.rawValue)**"]
                if let comparison {
                    let other = comparisonClaim(claim, in: entry.folder)
                    if let other, other.verdict != claim.verdict { differing += 1 }
                    row.append(other.map {
                        "[**\($0.verdict.rawValue)**](\(Self.readmeLink(comparison.folder + "/" + entry.folder, $0.section)))" + ($0.verdict != claim.verdict ? " ≠" : "")
                    } ?? "—")
                }
                row.append("[\(claim.seedCounts.isEmpty ? "its numbers" : Format.seeds(claim.seedCounts))](\(link(entry.folder, Markdown.anchor(Report.claimsHeading))))")
                rows.append(row)
            }
        }
        let all = entries.flatMap(\.claims)
        var text = "\(all.count) claim\(all.count == 1 ? "" : "s") on \(datasetName): \(Self.counts(all)). Each row is a sentence of the notes, our wording of it, "
            + "and the verdict the chapter's measurements give; the evidence and the rule behind each verdict are in the chapter's table of claims. "
            + "*Undecided* means the measurements cannot resolve the difference the claim is about."
        if let comparison {
            text += " The \(comparison.entries.first?.dataset ?? comparison.folder) column asks the same of a harder dataset: "
                + "\(differing == 1 ? "1 verdict differs" : "\(differing) verdicts differ") (marked ≠)."
        }
        return text + "\n\n" + Markdown.table(headers: headers, rows: rows, alignments: headers.map { _ in .left })
            + (differences.map { "\n\n" + $0 } ?? "")
    }

    /// Why two editions' verdicts on a claim differ, from what each read: its weakest reading
    /// (the one the verdict hinges on) in units of that edition's margin. Intervals that do not
    /// overlap mean the data differ; intervals that overlap mean the difference lies in the noise.
    /// Then the differences of design that apply: how many images each margin rests on, whether the
    /// comparator differs, whether the runs judged had settled.
    public struct EditionDifference: Equatable {
        public enum Cause: Equatable {
            /// Both intervals, in units of their margins, and they do not overlap.
            case data
            /// They overlap: one value would fit both.
            case noise
            /// Both are single measurements (no seeds, no interval), and their values differ.
            case values
            /// One edition has no interval to compare (a measurement without seeds, or none at all).
            case unknown
        }

        public let cause: Cause
        /// "MNIST +0.3 to +2.1 margins, Fashion-MNIST −0.4 to +0.9": the two intervals.
        public let intervals: String?
        /// Whether the intervals are in units of each edition's margin (else in the claim's own units).
        public let inMargins: Bool
        /// The design differences that apply, in words.
        public let design: [String]

        public init(_ a: (claim: Claim, edition: String), _ b: (claim: Claim, edition: String)) {
            let (first, second) = Self.pair(a.claim, b.claim)
            func range(_ low: Double, _ high: Double) -> String {
                "\(Format.fixed(low, decimals: 1)) to \(Format.fixed(high, decimals: 1))"
            }
            inMargins = first?.inMargins != nil && second?.inMargins != nil
            if let x = first?.inMargins, let y = second?.inMargins {
                cause = x.high < y.low || y.high < x.low ? .data : .noise
                intervals = "\(a.edition) \(range(x.low, x.high)), \(b.edition) \(range(y.low, y.high)) margins"
            } else if let x = first, let y = second, x.unit == y.unit, let xl = x.low, let xh = x.high, let yl = y.low,
                      let yh = y.high {
                // No margin: the intervals in the claim's own units.
                cause = xh < yl || yh < xl ? .data : .noise
                intervals = "\(a.edition) \(x.intervalText!), \(b.edition) \(y.intervalText!)"
            } else if let x = first, let y = second, x.low == nil, y.low == nil, x.unit == y.unit {
                // Two single measurements: what each measured.
                cause = .values
                intervals = "\(x.label): \(a.edition) \(x.text(x.estimate)), \(b.edition) \(y.text(y.estimate))"
            } else {
                cause = .unknown
                intervals = nil
            }
            var design: [String] = []
            if let x = first?.images, let y = second?.images, x != y {
                design.append("the margins rest on \(x.formatted()) and \(y.formatted()) evaluation images")
            }
            if let x = first?.label, let y = second?.label, x != y {
                design.append("the comparison differs (\(a.edition): \(x); \(b.edition): \(y))")
            }
            if let x = first?.seeds, let y = second?.seeds, x != y { design.append("they rest on \(x) and \(y) seeds") }
            for (claim, edition) in [a, b] where claim.settled == false {
                design.append("\(edition)'s runs had not settled when the claim was judged")
            }
            self.design = design
        }

        /// The readings of the two editions that tell their verdicts apart: the same place in the
        /// two claims (their parts and readings in the same order), where their verdicts differ the
        /// most clearly; each one's weakest reading where the two are not built alike.
        static func pair(_ a: Claim, _ b: Claim) -> (Reading?, Reading?) {
            let x = a.decision.leafReadings, y = b.decision.leafReadings
            guard x.count == y.count, !x.isEmpty, zip(x, y).allSatisfy({ $0.path == $1.path }) else {
                return (a.decision.weakestReading?.reading, b.decision.weakestReading?.reading)
            }
            let pairs = zip(x.map(\.reading), y.map(\.reading))
            // Where the verdicts differ, the pair whose intervals lie furthest apart; else the first edition's weakest.
            let differing = pairs.filter { $0.verdict != $1.verdict }
            func separation(_ p: (Reading, Reading)) -> Double {
                if let m = p.0.inMargins, let n = p.1.inMargins { return max(m.low - n.high, n.low - m.high) }
                guard let a = p.0.low, let b = p.0.high, let c = p.1.low, let d = p.1.high, b > a || d > c else { return -.infinity }
                // In units of the wider interval's half-width, to weigh against those in margins.
                return max(a - d, c - b) / max((b - a) / 2, (d - c) / 2)
            }
            if let best = differing.max(by: { separation($0) < separation($1) }) { return best }
            guard let weakest = a.decision.weakestReading,
                  let index = x.firstIndex(where: { $0.path == weakest.path && $0.reading == weakest.reading }) else {
                return (a.decision.weakestReading?.reading, b.decision.weakestReading?.reading)
            }
            return (x[index].reading, y[index].reading)
        }

        public var text: String {
            var text: String
            let units = inMargins ? ", each in units of its own margin," : ""
            switch cause {
            case .data: text = "the data: the two intervals\(units) do not overlap"
            case .noise: text = "the noise: the two intervals\(units) overlap, so one value would fit both and the verdicts part where an interval meets its line"
            case .values: text = "the data: a single measurement, no seeds, and it differs"
            case .unknown: text = "not measured the same way: one edition has no interval to compare"
            }
            if let intervals { text += " (\(intervals))" }
            if !design.isEmpty { text += "; besides, " + Format.list(design) }
            return text
        }
    }

    /// For every claim whose verdicts differ between the editions, why: a list in Markdown; nil
    /// without a second edition or a difference.
    public var differences: String? {
        guard let comparison else { return nil }
        let first = entries.first?.dataset ?? "MNIST", second = comparison.entries.first?.dataset ?? comparison.folder
        let lines = entries.flatMap { entry in entry.claims.compactMap { claim -> String? in
            guard let other = comparisonClaim(claim, in: entry.folder), other.verdict != claim.verdict else { return nil }
            let reason = EditionDifference((claim, first), (other, second))
            return "- **\(claim.claim)** \(first): *\(claim.verdict.rawValue)*, \(second): *\(other.verdict.rawValue)*. Why: \(reason.text)."
        } }
        guard !lines.isEmpty else { return nil }
        return "Where the editions differ (≠), and why:\n\n" + lines.joined(separator: "\n")
    }

    /// Every claim whose verdict or seed count differs from the previous edition's, with why (the
    /// two readings it hinges on, and the differences of design): a section in Markdown; nil without a
    /// previous edition.
    public func changes(link: (String, String?) -> String) -> String? {
        guard let previous else { return nil }
        let name = entries.first?.dataset ?? "MNIST"
        func seeds(_ claim: Claim) -> String { claim.seedCounts.isEmpty ? "no seeds" : Format.seeds(claim.seedCounts) }
        var rows: [[String]] = [], verdicts = 0
        for entry in entries {
            let before = previous.entries.first { $0.folder == entry.folder }?.claims ?? []
            for claim in entry.claims {
                guard let old = before.first(where: { $0.id == claim.id }),
                      old.verdict != claim.verdict || old.seedCounts != claim.seedCounts else { continue }
                if old.verdict != claim.verdict { verdicts += 1 }
                let why = old.verdict == claim.verdict
                    ? "the same verdict, reached at another look: a claim grows its seeds until its interval clears its line, and "
                        + "here that took \(seeds(claim)) where it took \(seeds(old))"
                    : EditionDifference((claim, "now"), (old, "before")).text
                rows.append(["[\(claim.claim)](\(link(entry.folder, claim.section)))",
                             "\(old.verdict.rawValue), \(seeds(old))", "**\(claim.verdict.rawValue)**, \(seeds(claim))",
                             why.prefix(1).uppercased() + why.dropFirst() + "."])
            }
        }
        let intro = """
            The same claims, judged before on the \(previous.name) edition: \
            \(verdicts == 1 ? "1 verdict" : "\(verdicts) verdicts") changed, \
            and \(rows.count - verdicts) more claims rest on another number of seeds (a claim grows its seeds until it is decided, \
            so another dataset can decide it sooner or later). Why each changed: where the two intervals, each in units of its \
            own margin, do not overlap, the data differ; where they overlap, the verdicts part on noise; the differences of \
            design that apply follow.
            """ + (previousChanges.map { " " + $0 } ?? "")
        guard !rows.isEmpty else { return intro }
        return intro + "\n\n" + Markdown.table(headers: ["the notes' claim", "before", "now", "why"], rows: rows,
                                                alignments: [.left, .left, .left, .left])
    }

    func chaptersTable(link: (String) -> String, image: (Entry, String) -> String) -> String {
        Markdown.table(headers: ["chapter", "key finding", ""],
                       rows: entries.map { e in [ "[\(e.title)](\(link(e.folder)))", e.finding, e.thumbnail.map { image(e, $0) } ?? "" ] },
                       alignments: [.left, .left, .center])
    }

    /// Each chapter's time, its runs trained and read from the cache, and when and from what it was made.
    public var timings: [(chapter: String, seconds: Double, trained: Int?, cached: Int?)] {
        entries.map { e in
            (e.folder, e.provenance["wall_time_seconds"]?.numberValue ?? .nan,
             e.provenance["runs_trained"]?.numberValue.map { Int($0) }, e.provenance["runs_cached"]?.numberValue.map { Int($0) })
        }
    }

    public var provenanceTable: String {
        func count(_ v: Int?) -> String { v.map(String.init) ?? "—" }
        let timings = self.timings
        var rows = zip(entries, timings).map { e, time -> [String] in
            let commit = e.provenance["commit"]?.stringValue.map { "`\($0)`" + (e.provenance["dirty"] == .bool(true) ? " (changed)" : "") } ?? "—"
            return [e.folder, String(format: "%.1f s", time.seconds), count(time.trained), count(time.cached), e.provenance["date"]?.stringValue ?? "—", commit]
        }
        let total = timings.map(\.seconds).filter(\.isFinite).reduce(0, +)
        rows.append(["**all chapters**", String(format: "**%.1f s**", total), count(timings.compactMap(\.trained).reduce(0, +)),
                     count(timings.compactMap(\.cached).reduce(0, +)), "", ""])
        return "Each chapter's own provenance (command, settings, machine) ends its report; here, how long each took, "
            + "how many training runs it trained and how many it read from the cache.\n\n"
            + Markdown.table(headers: ["chapter", "wall time", "runs trained", "runs from the cache", "made", "commit"], rows: rows,
                             alignments: [.left, .right, .right, .right, .left, .left])
    }

    /// The cost ledger of each chapter: networks, epochs, the operations of their matrix products
    /// for training and for evaluation, the core-seconds spent training, and the speed against the
    /// limit (single-thread sgemm, measured in the process that trained each run): each run's cost
    /// as stored beside it when it was trained, so a report made from a warm cache still has it.
    public var ledgerTable: String? {
        let rows = entries.compactMap { e -> [String]? in
            guard let cost = e.provenance["cost"]?.objectValue else { return nil }
            func n(_ key: String) -> Double { cost[key]?.numberValue ?? .nan }
            return [e.folder, Int(n("networks")).formatted(), Int(n("epochs").rounded()).formatted(),
                    String(format: "%.2f", n("training_flops") / 1e12), String(format: "%.2f", n("evaluation_flops") / 1e12),
                    String(format: "%.1f", n("core_seconds")), String(format: "%.0f", n("gflops_per_core")),
                    String(format: "%.0f%%", 100 * n("share_of_limit")), String(format: "%.1f", n("sgemm_gflops_one_thread"))]
        }
        guard !rows.isEmpty else { return nil }
        return "The cost ledger: what each chapter's runs cost when they were trained, counted as the floating-point operations of "
            + "their matrix products (2 per multiply-add, counted by the backend that computed them), and how fast they went against "
            + "the limit of the core each ran on, single-thread sgemm on 1024 × 1024 matrices measured in the process that trained it. "
            + "Core-seconds are each run's own, added up; the rest of a chapter's time goes to figures, files and, for the search, "
            + "choosing the next trials.\n\n"
            + Markdown.table(headers: ["chapter", "networks", "epochs", "training TFLOP", "evaluation TFLOP", "core-seconds", "GFLOP/s per core",
                                       "share of the limit", "limit: GFLOP/s"],
                             rows: rows, alignments: [.left] + Array(repeating: .right, count: 8))
    }

    // MARK: - README.md

    public var markdown: String {
        var parts = ["# Learning Techniques: the reports",
                     "Each chapter reruns one part of the notes on real \(entries.first?.dataset ?? "MNIST") images and reports what it measured. "
                     + "Open a chapter for its prose, formulas, code and figures, here or in the HTML edition, [index.html](index.html), which has a page per chapter."]
        let uncommitted = entries.filter { $0.provenance["dirty"] == .bool(true) }.map(\.title)
        if !uncommitted.isEmpty {
            parts.insert("> **Made from uncommitted changes:** \(uncommitted.joined(separator: ", ")). No commit holds the code that made "
                         + (uncommitted.count == 1 ? "it." : "them."), at: 1)
        }
        parts += ["## The notes' claims, checked"]
        if forest != nil {
            parts += ["<a href=\"#\(Self.forestName)\"></a><picture><source srcset=\"\(Self.forestName)\(Report.darkSuffix).png\" "
                      + "media=\"(prefers-color-scheme: dark)\"><img src=\"\(Self.forestName).png\" width=\"\(Int(Style.columnWidth))\" "
                      + "alt=\"Forest plot of every claim read from a difference, in units of its margin, coloured by verdict\"></picture>",
                      "*" + Markdown.escape(forestCaption) + "*"]
        }
        parts += [claimsTable(link: Self.readmeLink)]
        if let changes = changes(link: Self.readmeLink) {
            parts += ["### Against the \(previous?.name ?? "previous") edition", changes]
        }
        if let engine { parts += ["### How a verdict is reached, and how often it errs", engine] }
        parts += ["## Glossary", Self.glossary]
        parts += ["## The chapters", chaptersTable(link: { Self.readmeLink($0, nil) }, image: { e, image in
            "<img src=\"\(e.folder)/\(image)\" width=\"220\" alt=\"\(e.title)\">"
        })]
        parts += ["## How these reports were made", provenanceTable]
        if let ledgerTable { parts.append(ledgerTable) }
        return parts.joined(separator: "\n\n") + "\n"
    }

    /// Writes README.md and the forest plot, light and dark (the HTML edition is the Site library's).
    public func write() throws {
        if let forest {
            try AtomicFile.write(try forest.render(.png), to: (root as NSString).appendingPathComponent(Self.forestName + ".png"))
            try AtomicFile.write(try forest.render(.png, theme: .dark),
                                 to: (root as NSString).appendingPathComponent(Self.forestName + Report.darkSuffix + ".png"))
        }
        try AtomicFile.write(markdown, to: (root as NSString).appendingPathComponent("README.md"))
    }
}

// MARK: - The glossary and the forest plot

extension ReportIndex {
    /// The words the verdicts use and the kinds of rule, each explained once with an anchor that
    /// every chapter's claims table links to (`term-…`, `rule-…`).
    public static var glossary: String {
        let terms: [(String, String, String)] = [
            ("margin", "margin", """
                The smallest difference a claim cares about, and never less than the noise of the measurement. Where two networks \
                are compared on the same images it is the standard error of their paired difference, which only the images one \
                gets right and the other wrong carry; elsewhere it is one binomial standard error of an accuracy on the images \
                measured, or a share the claim names (a loss a tenth lower). A difference within ±margin decides nothing.
                """),
            ("paired", "paired", """
                Two settings trained with the same seed start from the same initial weights and see the same mini-batches, so \
                their difference on that seed is one observation; a rule over seeds judges the mean of those differences.
                """),
            ("interval", "interval", """
                Student's t interval of a mean over seeds. A claim's verdict reads where the interval lies against its line: \
                wholly beyond it, wholly short of it, or across it (undecided).
                """),
            ("look", "look", """
                A claim is judged first on the chapter's seeds; while it is undecided, the runs it reads are trained on more \
                seeds and it is judged again. Each judgement is a look, and the chance of a false "holds" is shared out over \
                every look a claim may have, so that all of them together stay under it.
                """),
            ("settled", "settled", """
                A group of runs has settled when, over the last tenth of its epochs, neither its training nor its test accuracy \
                rises, on average over seeds, by as much as one standard error of an accuracy on the test set; otherwise it is \
                still rising. Runs that reach their cap first are said not to have settled.
                """),
            ("held-out images", "held-out", """
                For networks trained on a few hundred images: every image their runs never train on, the test images and the \
                training images no run of the comparison uses. Several times more images than the test set alone, so their \
                accuracy is measured more finely; each chapter's data section gives their number.
                """),
        ]
        var text = terms.map { name, anchor, meaning in "- <a id=\"term-\(anchor)\"></a>**\(name.prefix(1).uppercased() + name.dropFirst()).** \(meaning)" }
            .joined(separator: "\n")
        text += "\n\n<a id=\"term-rules\"></a>The kinds of rule, each named in the claims tables:\n\n"
        text += RuleKind.allCases.map { "- <a id=\"\($0.anchor)\"></a>**\($0.title.prefix(1).uppercased() + $0.title.dropFirst()).** \($0.explanation)" }
            .joined(separator: "\n")
        return text
    }

    /// A row of the forest plot: a claim, and its weakest reading in units of its margin on each edition.
    struct ForestRow {
        let chapter: String
        let claim: Claim
        let readings: [(reading: Reading, verdict: Claim.Verdict)?]
    }

    /// The rows of the forest plot: every claim read from a difference (its weakest reading has a
    /// margin and an interval), in chapter order, with the second edition's reading beside it.
    var forestRows: [ForestRow] {
        entries.flatMap { entry in
            entry.claims.compactMap { claim -> ForestRow? in
                let own = claim.decision.weakestReading?.reading
                guard let own, own.inMargins != nil else { return nil }
                let other = comparisonClaim(claim, in: entry.folder)
                let second = other.flatMap { o in o.decision.weakestReading.map { ($0.reading, o.verdict) } }
                return ForestRow(chapter: entry.folder, claim: claim,
                                 readings: [(own, claim.verdict)] + (comparison == nil ? [] : [second?.0.inMargins == nil ? nil : second]))
            }
        }
    }

    /// How far the forest plot's axis reaches, in margins: an interval beyond it ends in an arrow.
    static let forestRange = -64.0...256.0

    /// Where a value in margins goes on the forest plot's axis: linear within ±1 margin, and beyond
    /// it compressed as log₂(1 + |x|), so that a claim 50 margins clear and one on its line both show.
    static func forestAxis(_ x: Double) -> Double {
        guard x.isFinite else { return x > 0 ? 1e9 : -1e9 }
        return (x < 0 ? -1 : 1) * log2(1 + abs(x))
    }

    /// Every claim read from a difference on one axis, in units of its own margin and turned so
    /// that the claimed direction points right: the dot is the estimate, the bar its interval, in
    /// the colour of the verdict; the grey band is ±1 margin (noise), and a dashed tick on each row
    /// marks the line its interval must clear. Grouped by chapter; with a second edition, its
    /// reading sits just under the first (a square for the second, a circle for the first).
    public var forest: Figure? {
        let rows = forestRows
        guard !rows.isEmpty else { return nil }
        var labels: [(Double, String)] = [], y = 0.0, positions: [Double] = []
        var chapter = ""
        let titles = Dictionary(entries.map { ($0.folder, String($0.title.prefix { $0 != ":" })) }, uniquingKeysWith: { a, _ in a })
        // From the top: a chapter's name, then its rows.
        var placed: [(row: ForestRow, y: Double)] = []
        for row in rows {
            if row.chapter != chapter {
                chapter = row.chapter
                if !placed.isEmpty { y -= 0.4 }
                labels.append((y, (titles[chapter] ?? chapter).uppercased()))
                y -= 1
            }
            placed.append((row, y))
            labels.append((y, Self.shortName(row.claim)))
            positions.append(y)
            y -= 1
        }
        let range = Self.forestRange, bottom = y + 0.4, top = 0.6
        let t = Self.forestAxis
        var panel = Panel(xLabel: "the claim's direction →   estimate and interval, in units of each claim's margin (compressed beyond ±1)")
        panel.legend = .below
        panel.grid = false
        panel.yLimits = bottom...top
        panel.xLimits = t(range.lowerBound)...t(range.upperBound)
        panel.yTickLabels = labels
        panel.xTickLabels = [-64.0, -16, -4, -1, 0, 1, 4, 16, 64, 256].map { (t($0), Format.fixed($0, decimals: 0)) }
        panel.add(BandMark(x: [-1, 1], lower: [bottom, bottom], upper: [top, top], color: Color(hex: "#9a9a9a"), opacity: 0.28,
                           label: "±1 margin: noise", inLegend: true))
        panel.add(LineMark(x: [0, 0], y: [bottom, top], color: Color(hex: "#8c8c8c"), width: 0.8, inLegend: false))
        let shapes: [MarkerShape] = [.circle, .square]
        let editions = [entries.first?.dataset ?? "MNIST", comparison?.entries.first?.dataset ?? comparison?.folder ?? ""]
        for (row, at) in placed {
            for (k, entry) in row.readings.enumerated() {
                guard let entry, let m = entry.reading.inMargins else { continue }
                let offset = row.readings.count > 1 ? (k == 0 ? 0.17 : -0.17) : 0
                for line in [m.from, m.to] where line.isFinite {
                    panel.add(LineMark(x: [t(line), t(line)], y: [at + offset - 0.16, at + offset + 0.16], color: .text, style: .solid,
                                       width: 1.2, inLegend: false))
                }
                panel.add(IntervalMark(y: [at + offset], estimate: [t(m.estimate)], low: [t(m.low)], high: [t(m.high)],
                                       color: entry.verdict.color, shape: shapes[k], size: 6))
            }
        }
        // The legend: what the colours and the shapes mean.
        for verdict in [Claim.Verdict.holds, .holdsInPart, .doesNotHold, .undecided] {
            panel.add(IntervalMark(y: [], estimate: [], low: [], high: [], color: verdict.color, label: verdict.rawValue))
        }
        if comparison != nil {
            for k in 0..<2 {
                panel.add(ScatterMark(x: [], y: [], color: Color(hex: "#57606a"), size: 7, shape: shapes[k], label: editions[k]))
            }
        }
        var figure = Figure(width: Style.columnWidth, panelHeight: 80 + 19 * (top - bottom))
        figure[0, 0] = panel
        return figure
    }

    /// "narrows gap": a claim's id without its chapter, in words.
    static func shortName(_ claim: Claim) -> String {
        String(claim.id.drop { $0 != "." }.dropFirst()).replacingOccurrences(of: "-", with: " ")
    }

    /// The forest plot's file name in the index's folder (and `-dark.png` beside it).
    public static let forestName = "claims-forest"

    /// The forest plot's caption, with its counts.
    public var forestCaption: String {
        let rows = forestRows
        return """
            Every claim read from a difference (\(rows.count) of \(entries.flatMap(\.claims).count)), each in units of its own margin \
            and turned so that the direction the notes claim points right. Dot: the mean over seeds; bar: its interval; colour: the \
            verdict; grey band: ±1 margin, where a difference is noise; black ticks: the line each interval must clear (a paired claim \
            holds beyond +1, a "no worse" one beyond −1, "the same" between −1 and +1). A claim of several parts shows its weakest part, \
            the one its verdict hinges on. \
            \(comparison == nil ? "" : "Circles: \(entries.first?.dataset ?? "MNIST"); squares, just below: \(comparison!.entries.first?.dataset ?? comparison!.folder). ")\
            The axis is linear within ±1 margin and compressed beyond it (as log₂ of 1 + the distance), from \
            \(Format.fixed(Self.forestRange.lowerBound, decimals: 0)) to \(Format.fixed(Self.forestRange.upperBound, decimals: 0)) \
            margins; an interval that goes further ends in an arrow.
            """
    }
}

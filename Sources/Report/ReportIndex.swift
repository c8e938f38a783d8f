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

    /// "31 of the notes' sentences tested: 18 hold · …; 6 more illustrated …; 2 beyond the notes (…)".
    public static func counts(_ claims: [Claim]) -> String { Claim.tally(claims) }

    /// "3 seeds", or each deciding part's own where they differ ("at 200: 3 seeds; at 2000: 20 seeds").
    public static func seedsText(_ claim: Claim) -> String {
        guard !claim.seedCounts.isEmpty else { return "its numbers" }
        let parts = claim.decision.partSeeds.filter { !$0.seeds.isEmpty }
        guard parts.count > 1, Set(parts.map(\.seeds)).count > 1 else { return Format.seeds(claim.seedCounts) }
        return parts.map { "\($0.name): \(Format.seeds($0.seeds))" }.joined(separator: "; ")
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
                           "[\(claim.claim)](\(link(entry.folder, claim.section))) \(claim.quoted)", "**\(claim.verdictText)**"]
                if let comparison {
                    let other = comparisonClaim(claim, in: entry.folder)
                    if let other, other.verdict != claim.verdict { differing += 1 }
                    row.append(other.map {
                        "[**\($0.verdictText)**](\(Self.readmeLink(comparison.folder + "/" + entry.folder, $0.section)))" + ($0.verdict != claim.verdict ? " ≠" : "")
                    } ?? "—")
                }
                row.append("[\(Self.seedsText(claim))](\(link(entry.folder, Markdown.anchor(Report.claimsHeading))))")
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

// MARK: - The glossary

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
                A group of runs has settled when neither its training nor its test accuracy still rises, on average over seeds, \
                at a rate of one standard error of an accuracy on the images its curve is measured on per 100 epochs, read over \
                the last quarter of the run: the same rule for a run of any length. Runs that reach their cap first are said not \
                to have settled, and a claim about finished runs judged on them stays undecided.
                """),
            ("illustrated", "illustrated", """
                A claim whose design makes its verdict all but certain (the same quantity drives both sides, or algebra fixes \
                the answer): it shows what the notes describe, but it is no evidence for them, and the tallies leave it out.
                """),
            ("beside", "beside", """
                A part shown next to a verdict without deciding it: another reading of the notes' words, or the course's own \
                setting next to the fair design. Its runs get no more seeds for its sake.
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
}

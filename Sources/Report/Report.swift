import Foundation
import NumericCore
import Plot

/// A figure added to a report: prose cites it by its number ("Figure \(ref)"), a claim by the
/// value itself, which exists only once the figure does.
public struct FigureRef: Sendable, Hashable, CustomStringConvertible {
    /// Its number within the chapter.
    public let number: Int
    /// The chapter's number in the book, where the report has one: figures are "6.3", not "3".
    public let chapter: Int?
    /// Its file name without extension (`<name>.png`, `<name>.csv`).
    public let name: String

    /// "6.3", as prose cites it: "Figure \(ref)".
    public var description: String { chapter.map { "\($0).\(number)" } ?? "\(number)" }

    /// The anchor of the figure in its page: "figure-6-3".
    public var anchor: String { "figure-" + description.replacingOccurrences(of: ".", with: "-") }
}

/// A section of a report, by its heading's anchor.
public struct SectionRef: Sendable, Hashable {
    public let anchor: String
}

/// A chapter's literate report, written top to bottom like the notebook it replaces: headings,
/// prose, math, tables, code excerpts and numbered figures, then how it was made.
///
/// Nothing touches the disk until `write(to:)`, which renders every figure, then writes each file
/// atomically and `README.md` last, so an interrupted chapter leaves the previous report readable.
public final class Report {
    public let chapter: String
    /// The chapter's number in the book (1 for the first chapter), for figure numbers ("Figure 6.3").
    public var chapterNumber: Int?
    public var title: String
    public var formats: [ImageFormat]
    public private(set) var blocks: [String] = []
    /// The folded part at the end, "How it was computed": each piece's title and blocks, in order.
    public private(set) var computation: [(title: String, blocks: [String])] = []
    /// While a piece of the computation is being written, its blocks go there (see `computation(_:_:)`).
    private var computing = false
    /// The result first: a few sentences of what the chapter found, its key claim and the figure
    /// that decides most, shown under the title (see `lead(_:claim:figure:)`).
    public private(set) var lead: (text: String, claim: String, figure: FigureRef)?
    /// The works the chapter cited, in the order first cited, for its list of references.
    public private(set) var references: [Reference] = []
    /// How the rules' intervals spend their error over the looks: said once, above the claims table.
    public var looksSentence: String?
    public private(set) var figures: [(name: String, figure: Figure)] = []
    /// The notes' claims this chapter checked, in the order it checked them.
    public private(set) var claims: [Claim] = []
    /// The anchor of the last section heading, so that a claim can link to the section that shows it.
    private var currentSection: String?
    /// Every series behind the report, for results.json (see `add(_:described:)`).
    public private(set) var series: [Series] = []
    public var settings: [String: JSONValue] = [:]
    public var summary: [String: JSONValue] = [:]
    /// A paragraph that opens the data section: where the data comes from and how it departs from the course's.
    public var dataNote: String?
    /// Which images each run got right, by experiment (see `ChapterContext.record`): written to
    /// `correctness.json` beside results.json, so that every paired margin can be recomputed.
    public var correctness: [String: JSONValue] = [:]

    static let correctnessAbout = """
        For each experiment, each setting (its label in results.json) and each seed: which images the network classified \
        correctly where its run ended, one bit per image, packed little-endian in 64-bit words (bit i % 64 of word i / 64 is \
        image i) and written in base64. "test" is the test set in its file order; "held_out" the held-out images (the test \
        set followed by the training images no run of the comparison uses), where measured; "unseen" (the search's trials, \
        each setting a trial's label and each seed a search seed) the training images after the tuning images, which no \
        trial trains on or is chosen by. "images" gives each set's size.
        """

    /// Rows for results.json's `trials` (where a chapter runs a search), and the CSV file of the same rows.
    public var trials: (rows: [JSONValue], file: String, columns: [String])?
    /// The colour of each setting the figures show, the same in every figure of the report.
    public private(set) var colors = ColorBook()
    /// What each metric name in results.json and the CSV files means, in the order described.
    public private(set) var metricMeanings: [(String, String)] = []
    /// Each figure's alt text and caption, by name: for the lead, which shows one of them again.
    private var figureTexts: [String: (alt: String, caption: String)] = [:]

    public init(chapter: String, title: String, formats: [ImageFormat] = [.png]) {
        self.chapter = chapter
        self.title = title
        self.formats = formats.contains(.png) ? formats : [.png] + formats
    }

    /// Starts a section; returns it, for a claim recorded further on that it shows. In the folded
    /// computation at the end, a section is a heading two levels deeper, inside its fold.
    @discardableResult
    public func heading(_ text: String, level: Int = 2) -> SectionRef {
        let shown = computing ? min(level + 2, 6) : level
        append(String(repeating: "#", count: min(max(shown, 1), 6)) + " " + text)
        if level <= 2 && !computing { currentSection = Markdown.anchor(text) }
        return SectionRef(anchor: Markdown.anchor(text))
    }

    /// A block of the page, or of the piece of the computation being written.
    private func append(_ block: String) {
        if computing { computation[computation.count - 1].blocks.append(block) } else { blocks.append(block) }
    }

    /// Writes a piece of how the results were computed (the code behind them, derivations, checks):
    /// it goes into the folded part "How it was computed" at the end of the chapter, under `title`,
    /// so that the page opens with what was found. Its figures, if any, keep their numbers.
    public func computation(_ title: String, _ write: () throws -> Void) rethrows {
        precondition(!computing, "a piece of the computation inside another")
        computation.append((title, []))
        computing = true
        defer { computing = false }
        try write()
    }

    /// The result first: two or three sentences of what the chapter found, the claim whose number
    /// the index's key finding gives (by its id), and the figure that decides most. They open the
    /// page, with the verdict badges of every claim, before the first formula.
    public func lead(_ text: String, claim id: String, figure: FigureRef) {
        lead = (text, id, figure)
    }

    /// "[Kingma and Ba 2015](#ref-kingma-2015)": a citation linked to its entry in the chapter's
    /// list of references, which lists every work cited.
    public func cite(_ reference: Reference) -> String {
        if !references.contains(reference) { references.append(reference) }
        return "[\(reference.citedAs) \(reference.year)](#\(reference.key))"
    }

    /// A link to another chapter (by its folder name), at a section if given: "[text](../dropout/README.md#…)".
    public func link(chapter folder: String, section: String? = nil, _ text: String) -> String {
        "[\(text)](../\(folder)/README.md\(section.map { "#" + Markdown.anchor($0) } ?? ""))"
    }

    /// Records a checked claim of the notes; it appears in the claims table at the end of the
    /// report and in results.json, linked to the current section unless it names its own.
    public func claim(_ claim: Claim) {
        var claim = claim
        if claim.section == nil { claim.section = currentSection }
        claims.append(claim)
    }

    /// A paragraph of prose; inline Markdown and `$...$` math are kept as written.
    /// A paragraph; an empty text adds nothing.
    public func paragraph(_ text: String) { if !text.isEmpty { append(text) } }

    /// Display math, rendered by GitHub between `$$` lines.
    public func math(_ tex: String) { append("$$\n" + tex + "\n$$") }

    public func table(headers: [String], rows: [[String]], alignments: [Markdown.Alignment]? = nil) {
        append(Markdown.table(headers: headers, rows: rows, alignments: alignments))
    }

    /// The project's own code between `// BEGIN marker` and `// END marker` in `file`, with a
    /// line saying where it lives.
    public func code(file: String, marker: String) throws {
        let excerpt = try SourceExcerpt.read(file: file, marker: marker)
        append("From `\(file)`:\n\n```swift\n\(excerpt)\n```")
    }

    /// Adds a numbered figure; the numbers it draws (its marks with a data name) are written next to
    /// it as `<name>.csv`, described in the data section by the meanings their names carry. Its alt
    /// text says in a sentence or two what the data shows (`Figure.altText`) unless `alt` is given;
    /// a folded block under it describes all it draws (`Figure.dataDescription`). Returns the figure
    /// as a value: prose cites it by its number, a claim by the value itself.
    @discardableResult
    public func figure(_ figure: Figure, name: String, caption: String, alt: String? = nil) -> FigureRef {
        var figure = figure
        colors.paint(&figure)
        figures.append((name, figure))
        for part in figure.exportedSeries.map(\.data) {
            describe(part)
            if let whole = part.wholeName, let meaning = part.wholeMeaning { describe(DataName(whole, meaning)) }
        }
        let ref = FigureRef(number: figures.count, chapter: chapterNumber, name: name)
        let altText = Markdown.escape(alt ?? figure.altText).replacingOccurrences(of: "$", with: "")
        figureTexts[name] = (altText, caption)
        let downloads = ["[data](\(name).csv)"] + formats.filter { $0 != .png }.map { "[\($0.rawValue)](\(name).\($0.rawValue))" }
        // The anchor goes before the image, so that "#figure-6-3" reaches it on GitHub too.
        append("<a id=\"\(ref.anchor)\"></a>\n\n![\(altText)](\(name).png)\n\n*Figure \(ref): \(Markdown.escape(caption))* (\(downloads.joined(separator: ", ")))")
        // What the figure draws, in words, folded under it: for a reader who cannot see it and
        // wants more than the alt text's sentence or two.
        append("""
            <details class="describe"><summary>Describe the data of figure \(ref)</summary>

            \(Markdown.escape(figure.dataDescription).replacingOccurrences(of: "$", with: ""))

            </details>
            """)
        return ref
    }

    /// What a figure's dark PNG adds to its name: `loss-dark.png` beside `loss.png`.
    public static let darkSuffix = "-dark"

    /// A figure's numbers as series, for its CSV file.
    static func data(of figure: Figure) -> [Series] {
        figure.exportedSeries.map { Series(label: $0.label, metric: $0.name, x: $0.x, y: $0.y) }
    }

    /// Adds series to results.json: all of one quantity, `data`, which says what they are. A series
    /// another experiment already recorded, to the last number, is not stored twice: the one stored
    /// names this experiment too (`Series.alsoIn`).
    public func add(_ series: [Series], described data: DataName) {
        precondition(series.allSatisfy { $0.metric == data.name }, "series of another quantity than \(data.name)")
        describe(data)
        for new in series {
            if let i = self.series.firstIndex(where: { old in
                old.experiment != new.experiment && old.label == new.label && old.seed == new.seed && old.metric == new.metric
                    && old.x == new.x && old.y == new.y
            }), let experiment = new.experiment {
                if !(self.series[i].alsoIn ?? []).contains(experiment) { self.series[i].alsoIn = (self.series[i].alsoIn ?? []) + [experiment] }
            } else {
                self.series.append(new)
            }
        }
    }

    /// Removes what `experiment` recorded: for an experiment recorded again, which replaces what it
    /// recorded before. A series other experiments share stays, under the first of them.
    public func removeSeries(of experiment: String) {
        for i in series.indices.reversed() {
            series[i].alsoIn?.removeAll { $0 == experiment }
            if series[i].alsoIn?.isEmpty == true { series[i].alsoIn = nil }
            guard series[i].experiment == experiment else { continue }
            if let next = series[i].alsoIn?.first {
                series[i].experiment = next
                series[i].alsoIn = series[i].alsoIn!.count > 1 ? Array(series[i].alsoIn!.dropFirst()) : nil
            } else {
                series.remove(at: i)
            }
        }
    }

    /// Keeps what a name of the data files means, for the data section (the first meaning given stands).
    func describe(_ data: DataName) {
        if !metricMeanings.contains(where: { $0.0 == data.name }) { metricMeanings.append((data.name, data.meaning)) }
    }

    /// What a metric name means: every name in the data files comes with its meaning.
    func meaning(of metric: String) -> String? {
        metricMeanings.first(where: { $0.0 == metric })?.1
    }

    /// The closing section that says what the data files hold, for the metrics actually used: one
    /// row per metric, its `_mean`, `_min` and `_max` (a figure's line and band over seeds) in the same row.
    var dataSection: String {
        var used: [String] = []
        for metric in series.map(\.metric) + figures.flatMap({ Self.data(of: $0.figure).map(\.metric) }) where !used.contains(metric) {
            used.append(metric)
        }
        let suffixes = ["_mean", "_min", "_max"]
        func base(_ metric: String) -> String {
            suffixes.first { metric.hasSuffix($0) && used.contains(String(metric.dropLast($0.count)) + "_min") }.map { String(metric.dropLast($0.count)) } ?? metric
        }
        var bases: [String] = []
        for metric in used where !bases.contains(base(metric)) { bases.append(base(metric)) }
        let described = metricMeanings.map(\.0)
        let order = described.filter(bases.contains) + bases.filter { !described.contains($0) }.sorted()
        let rows = order.map { name -> [String] in
            let banded = suffixes.allSatisfy { used.contains(name + $0) }
            let names = (used.contains(name) ? ["`\(name)`"] : []) + (banded ? ["`\(name)_mean`, `_min`, `_max`"] : [])
            guard let described = meaning(of: name) else { preconditionFailure("\(name) came without its meaning") }
            let meaning = described + (banded ? "; with `_mean`, `_min` and `_max`: the mean, lowest and highest over seeds" : "")
            return [names.joined(separator: ", "), meaning]
        }
        return (dataNote.map { $0 + "\n\n" } ?? "") + "Every figure's numbers are in the CSV file of the same name (columns `label,seed,metric,x,y`); "
            + "`results.json` holds the settings, every series and a summary. The metrics:\n\n"
            + Markdown.table(headers: ["metric", "meaning"], rows: rows, alignments: [.left, .left])
    }

    /// " ([Figure 6.2](#figure-6-2), [Figure 6.3](#figure-6-3))": the figures behind a claim, each
    /// linked to its place in the page; empty for a claim no figure shows.
    func figureLinks(_ names: [String]) -> String {
        let links = names.compactMap { name in
            figures.firstIndex { $0.name == name }.map { index -> String in
                let ref = FigureRef(number: index + 1, chapter: chapterNumber, name: name)
                return "[Figure \(ref)](#\(ref.anchor))"
            }
        }
        return links.isEmpty ? "" : " (" + links.joined(separator: ", ") + ")"
    }

    public static let claimsHeading = "The notes' claims, checked"

    /// The whole Markdown text.
    public func markdown(provenance: Provenance?) -> String {
        // Only a provenance section shows the checkout's state; without one, git is not asked.
        markdownText(provenance: provenance, git: provenance == nil ? nil : Provenance.gitState())
    }

    func markdownText(provenance: Provenance?, git: (commit: String, dirty: Bool)?) -> String {
        var parts = ["# " + title]
        if let git, git.dirty {
            parts.append("> **Made from uncommitted changes** to commit `\(git.commit)`: no commit holds the code that made this page.")
        }
        if let banner = dataBanner { parts.append("> " + banner) }
        if let lead = leadSection { parts.append(lead) }
        parts += blocks
        if !claims.isEmpty { parts += ["## " + Self.claimsHeading, claimsSection] }
        if !computation.isEmpty { parts += ["## " + Self.computationHeading, computationSection] }
        if !figures.isEmpty || !series.isEmpty { parts += ["## The data behind this report", dataSection] }
        if !references.isEmpty {
            parts += ["## " + Self.referencesHeading, references.map { "- " + $0.entry }.joined(separator: "\n")]
        }
        if let provenance { parts += ["## How this report was made", provenance.markdown(git: git)] }
        return parts.joined(separator: "\n\n") + "\n"
    }

    public static let computationHeading = "How it was computed"
    public static let referencesHeading = "References"

    /// A line under the title about the data, where it departs from the course's (the offline
    /// fallback to the embedded digits, say): every page of the edition says it there.
    public var dataBanner: String?

    /// The lead: what the chapter found, the verdicts of its claims as badges, and the figure that
    /// decides most, shown again from its section. Nil until the chapter gives one.
    var leadSection: String? {
        guard let lead else { return nil }
        var text = "**In brief.** " + lead.text
        if !claims.isEmpty {
            let counts = Claim.tally(claims) { n, verdict in "**\(n) \(n == 1 ? verdict.rawValue : verdict.plural)**" }
            text += "\n\nThe claims here: " + counts + " ([each with its evidence](#\(Markdown.anchor(Self.claimsHeading))))."
        }
        let figure = lead.figure
        guard let texts = figureTexts[figure.name] else { return text }
        let size = (try? figures.first { $0.name == figure.name }?.figure.drawnSize()) ?? nil
        let dimensions = size.map { " width=\"\(Int($0.width.rounded()))\" height=\"\(Int($0.height.rounded()))\"" } ?? ""
        let firstSentence = Self.firstSentence(texts.caption)
        text += """


            <a href="#\(figure.anchor)"><picture><source srcset="\(figure.name)\(Self.darkSuffix).png" media="(prefers-color-scheme: dark)">\
            <img src="\(figure.name).png" alt="\(texts.alt.replacingOccurrences(of: "\"", with: "&quot;"))"\(dimensions)></picture></a>

            *[Figure \(figure)](#\(figure.anchor)), shown again from its section: \(Markdown.escape(firstSentence)).*
            """
        return text
    }

    /// A text's first sentence: up to the first full stop that ends a word and is followed by a
    /// space and a capital (or ends the text), without the stop; not the point of "0.2".
    static func firstSentence(_ text: String) -> String {
        guard let end = text.range(of: #"\.(?=\s+[A-Z(]|\s*$)"#, options: .regularExpression) else { return text }
        return String(text[..<end.lowerBound])
    }

    /// The folded part at the end: each piece of the computation under its own fold.
    var computationSection: String {
        let intro = "The code and derivations behind the results above, excerpted from the source that ran; each part opens on a click."
        return ([intro] + computation.map { piece in
            "<details class=\"computation\"><summary><strong>\(piece.title)</strong></summary>\n\n"
                + piece.blocks.joined(separator: "\n\n") + "\n\n</details>"
        }).joined(separator: "\n\n")
    }

    /// Writes `README.md`, the figures in every requested format (and a dark PNG) with their CSVs, and
    /// `results.json` into `folder`, removing figures an earlier run left that this one no longer makes.
    public func write(to folder: String, provenance: Provenance?) throws {
        try write(to: folder) { provenance }
    }

    /// The same, with the provenance made only once the figures are rendered, so that its wall
    /// time covers everything but the writing itself.
    public func write(to folder: String, provenance makeProvenance: () -> Provenance?) throws {
        var files: [(String, [UInt8])] = []
        for entry in figures {
            for format in formats { files.append(("\(entry.name).\(format.rawValue)", try entry.figure.render(format))) }
            // For the HTML edition's dark mode: the same figure in the dark theme's ink and paper.
            files.append(("\(entry.name)\(Self.darkSuffix).png", try entry.figure.render(.png, theme: .dark)))
            files.append(("\(entry.name).csv", Array(CSV.encode(Self.data(of: entry.figure)).utf8)))
        }
        // Each claim's evidence as a picture, light and dark, under strips/.
        var strips: [String] = [], stripSizes: [JSONValue] = []
        for claim in claims {
            let (own, parts) = Self.strips(claim)
            for strip in ([own] + parts).compactMap({ $0 }) {
                strips.append(strip.name)
                stripSizes.append(try FigureSize(of: strip.figure, name: "strips/" + strip.name).json)
                files.append(("strips/\(strip.name).png", try strip.figure.render(.png)))
                files.append(("strips/\(strip.name)\(Self.darkSuffix).png", try strip.figure.render(.png, theme: .dark)))
            }
        }
        var summary = self.summary
        if !claims.isEmpty { summary["claims"] = .array(claims.map(\.json)) }
        if let lead { summary["key_claim"] = .string(lead.claim) }
        if let finding = keyFinding { summary["finding"] = .string(finding) }
        if let looksSentence, claims.contains(where: { $0.decision.usesLooks }) { summary["looks"] = .string(looksSentence) }
        if !figures.isEmpty { summary["figures"] = .array(try figures.map { try FigureSize(of: $0.figure, name: $0.name).json }) }
        if !stripSizes.isEmpty { summary["strips"] = .array(stripSizes) }
        let results = ResultsFile(chapter: chapter, settings: settings, series: series, summary: summary, trials: trials?.rows)
        files.append(("results.json", try results.encoded()))
        if !correctness.isEmpty {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            files.append(("correctness.json", Array(try encoder.encode(JSONValue.object([
                "about": .string(Self.correctnessAbout), "experiments": .object(correctness)])))))
        }
        if let trials { files.append((trials.file, Array(CSV.table(trials.rows, columns: trials.columns).utf8))) }
        if let provenance = makeProvenance() {
            let git = Provenance.gitState()
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            files.append(("provenance.json", Array(try encoder.encode(provenance.sidecar(git: git)))))
            files.append(("README.md", Array(markdownText(provenance: provenance, git: git).utf8)))
        } else {
            files.append(("README.md", Array(markdown(provenance: nil).utf8)))
        }
        let stripFolder = (folder as NSString).appendingPathComponent("strips")
        if !strips.isEmpty { try FileManager.default.createDirectory(atPath: stripFolder, withIntermediateDirectories: true) }
        for (name, bytes) in files { try AtomicFile.write(bytes, to: (folder as NSString).appendingPathComponent(name)) }
        let kept = Set(files.map(\.0))
        let generated: Set<String> = ["png", "svg", "pdf", "csv"]
        for (directory, prefix) in [(folder, ""), (stripFolder, "strips/")] {
            for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
            where !kept.contains(prefix + name) && generated.contains((name as NSString).pathExtension) {
                try? FileManager.default.removeItem(atPath: (directory as NSString).appendingPathComponent(name))
            }
        }
    }
}

/// The size a figure is designed to be shown at, in CSS pixels (its PNG has twice as many), and
/// the smallest text it draws there: recorded in results.json, where the HTML edition sizes the
/// figure by it and the tests check the text against `Style.smallestText`.
public struct FigureSize: Sendable, Equatable {
    public let name: String
    public let width: Double
    public let height: Double
    /// The smallest text drawn, in CSS pixels when the figure is shown at `width`.
    public let smallestText: Double

    public init(of figure: Figure, name: String) throws {
        let measured = try figure.measured()
        self.name = name
        width = measured.width
        height = measured.height
        smallestText = measured.smallestText
    }

    public init?(json: JSONValue) {
        guard let o = json.objectValue, let name = o["name"]?.stringValue, let width = o["width"]?.numberValue,
              let height = o["height"]?.numberValue, let smallest = o["smallest_text"]?.numberValue else { return nil }
        self.name = name; self.width = width; self.height = height; smallestText = smallest
    }

    public var json: JSONValue {
        .object(["name": .string(name), "width": .number(width), "height": .number(height), "smallest_text": .number(smallestText)])
    }

    /// The smallest text as shown in a column `column` pixels wide, which narrows a wider figure.
    public func smallestText(inColumn column: Double) -> Double { smallestText * min(1, column / width) }
}

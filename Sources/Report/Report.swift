import Foundation
import Plot

/// A chapter's literate report, written top to bottom like the notebook it replaces: headings,
/// prose, math, tables, code excerpts and numbered figures, then how it was made.
///
/// Nothing touches the disk until `write(to:)`, which renders every figure, then writes each file
/// atomically and `README.md` last, so an interrupted chapter leaves the previous report readable.
public final class Report {
    public let chapter: String
    public var title: String
    public var formats: [ImageFormat]
    public private(set) var blocks: [String] = []
    public private(set) var figures: [(name: String, figure: Figure, data: [Series])] = []
    /// Every series behind the report, for results.json.
    public var series: [Series] = []
    public var settings: [String: JSONValue] = [:]
    public var summary: [String: JSONValue] = [:]
    /// What each metric name in results.json and the CSV files means, in the order described.
    public private(set) var metricMeanings: [(String, String)] = [
        ("train_loss", "the loss of each training mini-batch, one series per seed"),
        ("train_acc", "accuracy on the whole training set after each epoch"),
        ("test_acc", "accuracy on the test set after each epoch"),
        ("val_acc", "accuracy on the validation set after each epoch"),
    ]

    public init(chapter: String, title: String, formats: [ImageFormat] = [.png]) {
        self.chapter = chapter
        self.title = title
        self.formats = formats.contains(.png) ? formats : [.png] + formats
    }

    public func heading(_ text: String, level: Int = 2) {
        blocks.append(String(repeating: "#", count: min(max(level, 1), 6)) + " " + text)
    }

    /// A paragraph of prose; inline Markdown and `$...$` math are kept as written.
    public func paragraph(_ text: String) { blocks.append(text) }

    /// Display math, rendered by GitHub between `$$` lines.
    public func math(_ tex: String) { blocks.append("$$\n" + tex + "\n$$") }

    public func bullets(_ items: [String]) { blocks.append(items.map { "- " + $0 }.joined(separator: "\n")) }

    public func table(headers: [String], rows: [[String]], alignments: [Markdown.Alignment]? = nil) {
        blocks.append(Markdown.table(headers: headers, rows: rows, alignments: alignments))
    }

    public func codeBlock(_ code: String, language: String = "swift") {
        blocks.append("```\(language)\n\(code)\n```")
    }

    /// The project's own code between `// BEGIN marker` and `// END marker` in `file`, with a
    /// line saying where it lives.
    public func code(file: String, marker: String) throws {
        let excerpt = try SourceExcerpt.read(file: file, marker: marker)
        blocks.append("From `\(file)`:\n\n```swift\n\(excerpt)\n```")
    }

    /// Adds a numbered figure; `data` is written next to it as `<name>.csv`. Returns its number.
    @discardableResult
    public func figure(_ figure: Figure, name: String, caption: String, alt: String? = nil, data: [Series]) -> Int {
        figures.append((name, figure, data))
        let number = figures.count
        let altText = Markdown.escape(alt ?? caption).replacingOccurrences(of: "$", with: "")
        let downloads = ["[data](\(name).csv)"] + formats.filter { $0 != .png }.map { "[\($0.rawValue)](\(name).\($0.rawValue))" }
        blocks.append("![\(altText)](\(name).png)\n\n*Figure \(number): \(Markdown.escape(caption))* (\(downloads.joined(separator: ", ")))")
        return number
    }

    /// Explains a chapter-specific metric name in the report's data section.
    public func describeMetric(_ name: String, _ meaning: String) {
        metricMeanings.removeAll { $0.0 == name }
        metricMeanings.append((name, meaning))
    }

    /// The closing section that says what the data files hold, for the metrics actually used.
    var dataSection: String {
        let used = Set(series.map(\.metric) + figures.flatMap { $0.data.map(\.metric) })
        let rows = metricMeanings.filter { used.contains($0.0) }.map { ["`\($0.0)`", $0.1] }
        + used.subtracting(metricMeanings.map(\.0)).sorted().map { ["`\($0)`", "(not described)"] }
        return "Every figure's numbers are in the CSV file of the same name (columns `label,seed,metric,x,y`); "
            + "`results.json` holds the settings, every series and a summary. The metrics:\n\n"
            + Markdown.table(headers: ["metric", "meaning"], rows: rows, alignments: [.left, .left])
    }

    /// The number the next figure will get, for prose that refers forward.
    public var nextFigureNumber: Int { figures.count + 1 }

    /// The whole Markdown text.
    public func markdown(provenance: Provenance?) -> String {
        var parts = ["# " + title] + blocks
        if !figures.isEmpty || !series.isEmpty { parts += ["## The data behind this report", dataSection] }
        if let provenance { parts += ["## How this report was made", provenance.markdown()] }
        return parts.joined(separator: "\n\n") + "\n"
    }

    /// Writes `README.md`, the figures in every requested format with their CSVs, and
    /// `results.json` into `folder`, removing figures an earlier run left that this one no longer makes.
    public func write(to folder: String, provenance: Provenance?) throws {
        var files: [(String, [UInt8])] = []
        for entry in figures {
            for format in formats { files.append(("\(entry.name).\(format.rawValue)", try entry.figure.render(format))) }
            files.append(("\(entry.name).csv", Array(CSV.encode(entry.data).utf8)))
        }
        let results = ResultsFile(chapter: chapter, settings: settings, series: series, summary: summary)
        files.append(("results.json", try results.encoded()))
        files.append(("README.md", Array(markdown(provenance: provenance).utf8)))
        for (name, bytes) in files { try AtomicFile.write(bytes, to: (folder as NSString).appendingPathComponent(name)) }
        let kept = Set(files.map(\.0))
        let generated: Set<String> = ["png", "svg", "pdf", "csv"]
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        where !kept.contains(name) && generated.contains((name as NSString).pathExtension) {
            try? FileManager.default.removeItem(atPath: (folder as NSString).appendingPathComponent(name))
        }
    }
}

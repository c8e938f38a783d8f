import Foundation
import Notebook
import Report
import Testing

/// What a reader must never meet in a report, checked on the Markdown the chapters write: over the
/// committed reports of both editions, and (through `ChapterRunTests.checkReport`) over every quick run.
enum ReportLint {
    /// The prose and figure text of a report: without code, formulas, link targets, HTML tags and
    /// the provenance section (which quotes commands and dates as they are).
    static func prose(_ markdown: String) -> String {
        var text = markdown
        if let made = text.range(of: "\n## How this report was made") { text = String(text[..<made.lowerBound]) }
        // The references list identifiers (arXiv:1412.6980), not numbers a reader weighs.
        if let start = text.range(of: "\n## \(Report.referencesHeading)\n") {
            let end = text.range(of: "\n## ", range: start.upperBound..<text.endIndex)?.lowerBound ?? text.endIndex
            text.removeSubrange(start.lowerBound..<end)
        }
        for pattern in [#"```[\s\S]*?```"#, #"`[^`\n]*`"#, #"\$\$[\s\S]*?\$\$"#, #"\$[^$\n]+\$"#, #"\]\([^)]*\)"#, #"<[^>]+>"#] {
            text = text.replacingOccurrences(of: pattern, with: " ", options: .regularExpression)
        }
        return text
    }

    static func matches(_ pattern: String, in text: String) -> [String] {
        let regex = try! NSRegularExpression(pattern: pattern)
        return regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).map { match in
            let range = Range(match.range, in: text)!
            let start = text.index(range.lowerBound, offsetBy: -min(25, text.distance(from: text.startIndex, to: range.lowerBound)))
            let end = text.index(range.upperBound, offsetBy: min(25, text.distance(from: range.upperBound, to: text.endIndex)))
            return String(text[start..<end]).replacingOccurrences(of: "\n", with: " ")
        }
    }

    /// Numbers written with more than six significant digits ("0.003333333333333333").
    static func longNumbers(_ markdown: String) -> [String] {
        let text = prose(markdown)
        let regex = try! NSRegularExpression(pattern: #"\d[\d,]*(?:\.\d+)?"#)
        return regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap { match in
            let number = text[Range(match.range, in: text)!].replacingOccurrences(of: ",", with: "")
            var digits = number.filter(\.isNumber).drop { $0 == "0" }
            if !number.contains(".") { while digits.last == "0" { digits = digits.dropLast() } }
            return digits.count > 6 ? number : nil
        }
    }

    /// "-0.0" or "−0.0": a zero with a sign.
    static func negativeZeros(_ markdown: String) -> [String] {
        matches(#"[-\x{2212}]0(?:\.0+)?(?![\d.])"#, in: prose(markdown))
    }

    /// A hyphen-minus standing for a minus: before a digit, after neither a letter, a digit nor
    /// another hyphen (not "784-100-10", "t10k-images" or "--seeds").
    static func hyphenMinuses(_ markdown: String) -> [String] {
        matches(#"(?<![\w\-./#=:])-(?=\d)"#, in: prose(markdown))
    }

    /// The claims table's cells whose text, outside their folds, runs past `limit` characters.
    static func longClaimCells(_ markdown: String, limit: Int = 600) -> [String] {
        guard let start = markdown.range(of: "## \(Report.claimsHeading)") else { return [] }
        let section = markdown[start.upperBound...].prefix { _ in true }
        let end = section.range(of: "\n## ")?.lowerBound ?? section.endIndex
        let rows = section[..<end].split(separator: "\n").filter { $0.hasPrefix("| ") }
        return rows.flatMap { row in
            row.replacingOccurrences(of: "\\|", with: "\u{1}").split(separator: "|").map { cell in
                var text = String(cell)
                text = text.replacingOccurrences(of: #"<details[\s\S]*?</details>"#, with: "", options: .regularExpression)
                text = text.replacingOccurrences(of: #"<[^>]+>"#, with: "", options: .regularExpression)
                text = text.replacingOccurrences(of: #"\]\([^)]*\)"#, with: "]", options: .regularExpression)
                return text.trimmingCharacters(in: .whitespaces)
            }.filter { $0.count > limit }.map { String($0.prefix(80)) + "… (\($0.count) characters)" }
        }
    }

    /// Table rows that say "diverged" for a setting none of whose runs' loss became NaN or
    /// infinite (results.json lists the seeds that did, by setting).
    static func falseDivergences(_ markdown: String, results: ResultsFile) -> [String] {
        var diverged: Set<String> = []
        for (_, groups) in results.summary["comparisons"]?.objectValue ?? [:] {
            for (label, values) in groups.objectValue ?? [:] where !(values.objectValue?["diverged_seeds"]?.arrayValue ?? []).isEmpty {
                diverged.insert(label)
            }
        }
        return markdown.split(separator: "\n").filter { $0.hasPrefix("| ") && $0.contains("diverged") }.compactMap { row in
            let label = row.dropFirst(2).prefix { $0 != "|" }.trimmingCharacters(in: .whitespaces)
            return diverged.contains(label) ? nil : String(row.prefix(120))
        }
    }

    /// Where the key finding does not state the number its claim's verdict reads.
    static func findingMismatch(_ results: ResultsFile) -> String? {
        guard let id = results.summary["key_claim"]?.stringValue else { return "no key claim" }
        guard let finding = results.summary["finding"]?.stringValue,
              let claim = results.summary["claims"]?.arrayValue?.compactMap(Claim.init(json:)).first(where: { $0.id == id })
        else { return "no finding, or no claim \(id)" }
        guard let reading = claim.decision.weakestReading?.reading else { return nil }
        let number = reading.text(reading.estimate)
        return finding.contains(number) && finding.contains(claim.verdict.rawValue) ? nil : "\(id): «\(finding)» lacks \(number)"
    }

    /// Where results.json repeats itself or leaves a series without its experiment: each series
    /// once, each under an experiment the settings name.
    static func repeats(_ results: ResultsFile) -> [String] {
        var seen = Set<String>(), found: [String] = []
        for s in results.series {
            guard let experiment = s.experiment, results.settings[experiment] != nil else {
                found.append("\(s.label) \(s.metric): no experiment the settings name (\(s.experiment ?? "none"))")
                continue
            }
            let key = "\(s.label) \(s.seed ?? 0) \(s.metric) \(s.x) \(s.y)"
            if !seen.insert(key).inserted { found.append("\(experiment): \(s.label) seed \(s.seed ?? 0) \(s.metric) twice") }
        }
        return found
    }

    /// Every problem of one chapter's report.
    static func problems(folder: String) throws -> [String] {
        let markdown = try String(contentsOfFile: folder + "/README.md", encoding: .utf8)
        let results = try ResultsFile.read(folder + "/results.json")
        var found = longNumbers(markdown).map { "a number with more than 6 significant digits: \($0)" }
        found += negativeZeros(markdown).map { "a negative zero: \($0)" }
        found += hyphenMinuses(markdown).map { "a hyphen-minus for a minus: \($0)" }
        found += longClaimCells(markdown).map { "a claim cell over 600 characters outside its fold: \($0)" }
        found += falseDivergences(markdown, results: results).map { "\"diverged\" where no loss diverged: \($0)" }
        if let mismatch = findingMismatch(results) { found.append("key finding: \(mismatch)") }
        found += repeats(results).map { "results.json: \($0)" }
        return found.map { "\((folder as NSString).lastPathComponent): \($0)" }
    }
}

struct PublishedReportTests {
    @Test func theLintSeesEachDefectItNames() {
        #expect(ReportLint.longNumbers("SGD, lr 0.003333333333333333 and 60,000 images, 0.0033") == ["0.003333333333333333"])
        #expect(ReportLint.negativeZeros("gap -0.0 points, and \u{2212}0.0, but −0.04 and 10.0") .count == 2)
        #expect(ReportLint.hyphenMinuses("from (-7, 2) on 784-100-10 with t10k-images and --seeds 3; $10^{-4}$ `x -1`").count == 1)
        let cell = String(repeating: "word ", count: 130)
        let table = "## \(Report.claimsHeading)\n\n| a | b | c |\n|:---|:---|:---|\n| x | y | \(cell) |\n| x | y | short <details>\(cell)</details> |\n\n## Next"
        #expect(ReportLint.longClaimCells(table).count == 1)
        let twice = Series(experiment: "a", label: "λ=0", seed: 1, metric: "train_acc", x: [0, 1], y: [0.1, 0.5])
        var file = ResultsFile(chapter: "demo", settings: ["a": "one"], series: [twice, twice], summary: [:])
        #expect(ReportLint.repeats(file).count == 1)
        file.series = [Series(label: "x", metric: "m", x: [], y: [])]
        #expect(ReportLint.repeats(file).count == 1)
    }

    /// The committed reports of both editions, as a reader meets them.
    @Test func theCommittedReportsHaveNoneOfThem() throws {
        let root = SourceExcerpt.repositoryRoot + "/output"
        var problems: [String] = []
        var checked = 0
        for edition in [root, root + "/fashion-mnist"] {
            for chapter in try ChapterRegistry.names() where FileManager.default.fileExists(atPath: "\(edition)/\(chapter)/results.json") {
                problems += try ReportLint.problems(folder: "\(edition)/\(chapter)")
                checked += 1
            }
            // The index states each chapter's key finding as its results.json does.
            if let index = try? String(contentsOfFile: edition + "/README.md", encoding: .utf8) {
                for chapter in try ChapterRegistry.names() {
                    guard let results = try? ResultsFile.read("\(edition)/\(chapter)/results.json"),
                          let finding = results.summary["finding"]?.stringValue else { continue }
                    if !index.contains(finding) { problems.append("\(chapter): the index does not give its key finding") }
                }
            }
        }
        #expect(checked == 2 * (try ChapterRegistry.names().count))
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }
}

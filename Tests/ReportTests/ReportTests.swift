import Foundation
import NumericCore
import Plot
import Testing
@testable import Report

struct ReportTests {
    static func folder() -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("report-tests-\(UUID().uuidString)").path
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// A figure whose one line is exported as `metric` for `label`.
    static func tinyFigure(label: String = "a", metric: String = "train_loss") -> Figure {
        var figure = Figure(width: 200, panelHeight: 150)
        var panel = Panel()
        panel.line([1, 2], [0.5, 0.25], label: label, dataName: DataName(metric, "the meaning of \(metric)"))
        figure[0, 0] = panel
        return figure
    }

    @Test func figuresAreNumberedAndTheirLinksResolve() throws {
        let report = Report(chapter: "demo", title: "Demo", formats: [.png, .svg])
        #expect(report.figure(Self.tinyFigure(), name: "first", caption: "One") == FigureRef(number: 1, chapter: nil, name: "first"))
        report.paragraph("Between the figures.")
        let second = report.figure(Self.tinyFigure(), name: "second", caption: "Two")
        #expect(second.number == 2 && "Figure \(second)" == "Figure 2")
        let folder = Self.folder()
        let data = [Series(label: "a", seed: 1, metric: "train_loss", x: [1, 2], y: [0.5, 0.25])]
        report.add(data, described: DataName("train_loss", "the loss"))
        try report.write(to: folder, provenance: nil)
        let markdown = try String(contentsOfFile: folder + "/README.md", encoding: .utf8)
        #expect(markdown.contains("*Figure 1: One*") && markdown.contains("*Figure 2: Two*"))
        #expect(markdown.range(of: "Figure 1")!.lowerBound < markdown.range(of: "Figure 2")!.lowerBound)
        // Every relative link in the README points at a file that exists.
        let links = try NSRegularExpression(pattern: #"\]\(([^)]+)\)"#)
            .matches(in: markdown, range: NSRange(markdown.startIndex..., in: markdown))
            .map { String(markdown[Range($0.range(at: 1), in: markdown)!]) }
        #expect(links.count == 6)   // two images, two CSVs, two SVGs
        for link in links { #expect(FileManager.default.fileExists(atPath: folder + "/" + link), "\(link) is missing") }
        let results = try ResultsFile.read(folder + "/results.json")
        #expect(results.chapter == "demo" && results.series == data)
    }

    @Test func aFiguresDataFileHoldsWhatItDraws() throws {
        let report = Report(chapter: "demo", title: "Demo")
        var figure = Figure(width: 200, panelHeight: 150)
        var panel = Panel()
        panel.lineWithBand([0, 1], mean: [0.5, 0.75], lower: [0.25, 0.5], upper: [0.75, 1], label: "x,y",
                           dataName: DataName("test_acc", "test accuracy"))
        panel.line([0, 1], [2, 2], label: "not data")
        figure[0, 0] = panel
        report.figure(figure, name: "f", caption: "c")
        let folder = Self.folder()
        try report.write(to: folder, provenance: nil)
        #expect(try String(contentsOfFile: folder + "/f.csv", encoding: .utf8) == """
            label,seed,metric,x,y
            "x,y",,test_acc_min,0,0.25
            "x,y",,test_acc_min,1,0.5
            "x,y",,test_acc_max,0,0.75
            "x,y",,test_acc_max,1,1
            "x,y",,test_acc_mean,0,0.5
            "x,y",,test_acc_mean,1,0.75

            """)
    }

    @Test func theDataSectionExplainsEveryNameByTheMeaningItCarries() {
        let report = Report(chapter: "demo", title: "Demo")
        let test = DataName("test_acc", "accuracy on the test set after each epoch")
        var line = Figure(width: 200, panelHeight: 150)
        line[0, 0].line([1, 2], [0.5, 0.25], label: "a", dataName: test.mean)
        report.figure(line, name: "f", caption: "c")
        report.add([Series(label: "a", metric: "custom", x: [0], y: [1])], described: DataName("custom", "a custom number"))
        #expect(report.meaning(of: "test_acc_mean") == "the mean over seeds of accuracy on the test set after each epoch")
        #expect(report.meaning(of: "test_acc") == "accuracy on the test set after each epoch")
        #expect(report.meaning(of: "mystery") == nil)
        var banded = Figure(width: 200, panelHeight: 150)
        banded[0, 0].lineWithBand([0, 1], mean: [0.5, 0.6], lower: [0.4, 0.5], upper: [0.6, 0.7], label: "a",
                                  dataName: DataName("train_acc", "accuracy on the training set"))
        report.figure(banded, name: "g", caption: "c")
        let section = report.dataSection
        #expect(section.contains("| `test_acc_mean` | the mean over seeds of accuracy on the test set after each epoch |"))
        // A line over its band is one row, not three.
        #expect(section.contains("| `train_acc_mean`, `_min`, `_max` | accuracy on the training set; with `_mean`, `_min` and `_max`: the mean, lowest and highest over seeds |"))
        #expect(!section.contains("| `train_acc_min`"))
        #expect(section.contains("| `custom` | a custom number |"))
    }

    @Test func claimsAreTabledLinkedToTheirSectionAndStoredInTheSummary() throws {
        let report = Report(chapter: "demo", title: "Demo")
        report.heading("Beyond the course: λ and 300 images!")
        report.figure(Self.tinyFigure(), name: "plot", caption: "c")
        let first = Claim(id: "demo.gap", quote: "隔たりを軽減できる", claim: "Weight decay narrows the gap.", rule: "a rule", verdict: .holdsInPart,
                          evidence: "gap 20% | 24%", seeds: 5, figures: ["plot"])
        report.claim(first)
        report.heading("A detail", level: 3)
        report.claim(Claim(id: "demo.other", quote: "q", claim: "Another claim.", rule: "r", verdict: .undecided, evidence: "e", seeds: nil))
        let folder = Self.folder()
        try report.write(to: folder, provenance: nil)
        let markdown = try String(contentsOfFile: folder + "/README.md", encoding: .utf8)
        #expect(markdown.contains("## The notes' claims, checked"))
        // Level-3 headings do not move the anchor: both claims point at the section heading.
        // The verdict links to the figure in the page; the cell keeps its words short, the full
        // numbers and rule folded, the rule's kind linked to the index's glossary.
        #expect(markdown.contains("| [Weight decay narrows the gap.](#beyond-the-course-λ-and-300-images) 「隔たりを軽減できる」 | **holds in part** ([Figure 1](#figure-1)) | holds in part: gap 20% \\| 24%. *Rule:* [paired](../README.md#rule-paired) · 5 seeds. <details><summary>all the numbers</summary>gap 20% \\| 24%. *Rule in full:* a rule.</details> |"))
        #expect(markdown.contains("| [Another claim.](#beyond-the-course-λ-and-300-images) 「q」 | **undecided** | undecided: e. *Rule:* [paired](../README.md#rule-paired). <details><summary>all the numbers</summary>e. *Rule in full:* r.</details> |"))
        let results = try ResultsFile.read(folder + "/results.json")
        let claims = results.summary["claims"]?.arrayValue?.compactMap(Claim.init(json:))
        var placed = first
        placed.section = "beyond-the-course-λ-and-300-images"
        #expect(claims?.first == placed && claims?.last?.verdict == .undecided && claims?.last?.seeds == nil)
        #expect(results.summary["claims"]?.arrayValue?.first?.objectValue?["data"] == .array(["plot.csv"]))
    }

    @Test func aClaimBeyondTheNotesSaysSoInTheTableAndInResults() throws {
        let report = Report(chapter: "demo", title: "Demo")
        report.heading("Hyperband")
        let beyond = Claim(id: "demo.beyond", quote: "", beyondTheNotes: true, claim: "Short trials rank settings.", rule: "r",
                           verdict: .holds, evidence: "e", seeds: 3)
        report.claim(beyond)
        let folder = Self.folder()
        try report.write(to: folder, provenance: nil)
        #expect(try String(contentsOfFile: folder + "/README.md", encoding: .utf8).contains("(#hyperband) (beyond the notes) | **holds**"))
        let stored = try #require(ResultsFile.read(folder + "/results.json").summary["claims"]?.arrayValue?.first)
        #expect(stored.objectValue?["beyond_the_notes"] == .bool(true) && stored.objectValue?["quote"] == .string(""))
        #expect(Claim(json: stored)?.isBeyondTheNotes == true)
        // A claim of the notes carries no such field, and a stored claim without a quote that does not say it is
        // beyond the notes is not read back as a claim of theirs.
        guard case var .object(fields) = stored else { Issue.record("a claim is an object"); return }
        fields["beyond_the_notes"] = nil
        #expect(Claim(json: .object(fields)) == nil)
    }

    @Test func trialsGoToResultsAndToOneCSVWithTheSameRows() throws {
        let report = Report(chapter: "demo", title: "Demo")
        report.paragraph("Two trials.")
        let rows: [JSONValue] = [.object(["method": .string("random"), "trial": .number(1), "val_acc": .number(0.5), "diverged": .bool(false)]),
                                 .object(["method": .string("a, \"b\""), "trial": .number(2), "diverged": .bool(true)])]
        report.trials = (rows, "every-trial.csv", ["method", "trial", "val_acc", "diverged"])
        let folder = Self.folder()
        try report.write(to: folder, provenance: nil)
        #expect(try ResultsFile.read(folder + "/results.json").trials == rows)
        // A missing value is an empty field; a field with a comma or a quote is quoted.
        #expect(try String(contentsOfFile: folder + "/every-trial.csv", encoding: .utf8) == """
            method,trial,val_acc,diverged
            random,1,0.5,false
            "a, ""b""\",2,,true

            """)
    }

    @Test func aReportWithoutClaimsHasNoClaimsSection() throws {
        let report = Report(chapter: "demo", title: "Demo")
        report.paragraph("Nothing claimed.")
        #expect(!report.markdown(provenance: nil).contains("claims, checked"))
    }

    @Test func excerptsAreTheLinesBetweenTheMarkers() throws {
        let root = Self.folder()
        try FileManager.default.createDirectory(atPath: root + "/Sources", withIntermediateDirectories: true)
        try """
            func outside() {}
            struct S {
                // BEGIN step
                func step() {
                    x += 1   // the update
                }
                // END step
            }
            """.write(toFile: root + "/Sources/S.swift", atomically: true, encoding: .utf8)
        #expect(try SourceExcerpt.read(file: "Sources/S.swift", marker: "step", root: root)
                == "func step() {\n    x += 1   // the update\n}")
        #expect(throws: ReportError.missingExcerpt(file: "Sources/S.swift", marker: "other")) {
            try SourceExcerpt.read(file: "Sources/S.swift", marker: "other", root: root)
        }
        #expect(throws: ReportError.unreadableSource("Sources/T.swift")) {
            try SourceExcerpt.read(file: "Sources/T.swift", marker: "step", root: root)
        }
    }

    @Test func aReportQuotesTheProjectsOwnSource() throws {
        let report = Report(chapter: "demo", title: "Demo")
        try report.code(file: "Sources/NeuralNet/Optimizers/SGD.swift", marker: "sgd-update")
        let block = report.blocks.last!
        #expect(block.hasPrefix("From `Sources/NeuralNet/Optimizers/SGD.swift`:\n\n```swift\npublic func update("))
        #expect(block.contains("\n        backend.add(parameters[i].gradient, scaledBy: -learningRate, to: parameters[i].value)   // W ← W − η ∂L/∂W\n"))
        #expect(!block.contains("BEGIN") && !block.contains("END"))
    }

    @Test func excerptsDropNestedMarkersAndIndentation() throws {
        let text = "a\n    // BEGIN outer\n    let x = 1\n    // BEGIN inner\n        y()\n    // END inner\n    // END outer\n"
        #expect(try SourceExcerpt.extract(text, marker: "outer", file: "t") == "let x = 1\n    y()")
    }

    @Test func aFailedWriteLeavesThePreviousReport() throws {
        let folder = Self.folder()
        try AtomicFile.write("old report\n", to: folder + "/README.md")
        // results.json is a folder with a file in it, so it cannot be replaced: the write must fail
        // before README.md, which is written last, is touched.
        try FileManager.default.createDirectory(atPath: folder + "/results.json", withIntermediateDirectories: true)
        try "x".write(toFile: folder + "/results.json/keep", atomically: false, encoding: .utf8)
        let report = Report(chapter: "demo", title: "New")
        report.figure(Self.tinyFigure(), name: "fig", caption: "c")
        #expect(throws: WriteError.self) { try report.write(to: folder, provenance: nil) }
        #expect(try String(contentsOfFile: folder + "/README.md", encoding: .utf8) == "old report\n")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".tmp") }
        #expect(leftovers.isEmpty)
    }

    @Test func captionsAreEscaped() {
        let report = Report(chapter: "demo", title: "Demo")
        report.figure(Self.tinyFigure(), name: "f", caption: "a*b_c [d] <e> | f, at $x_1 \\le \\eta$")
        let figure = report.blocks[report.blocks.count - 2]
        #expect(figure.contains(#"*Figure 1: a\*b\_c \[d\] \<e\> \| f, at $x_1 \le \eta$*"#))
        // An anchor first, for links to the figure on GitHub; then the alt text, which says what the
        // data shows, escaped the same way; all it draws folds under it.
        #expect(figure.hasPrefix("<a id=\"figure-1\"></a>\n\n" + #"![A chart. A ends at 0.25.](f.png)"#))
        #expect(report.blocks.last! == "<details class=\"describe\"><summary>Describe the data of figure 1</summary>\n\nA 0.5 → 0.25.\n\n</details>")
        report.figure(Self.tinyFigure(), name: "g", caption: "c", alt: "[x]")
        #expect(report.blocks[report.blocks.count - 2].hasPrefix("<a id=\"figure-2\"></a>\n\n" + #"![\[x\]](g.png)"#))
    }

    @Test func tablesAndAnchors() {
        #expect(Markdown.table(headers: ["a", "b"], rows: [["x", "1|2"]]) == "| a | b |\n|:---|---:|\n| x | 1\\|2 |")
        #expect(Markdown.anchor("On MNIST: which differences are real") == "on-mnist-which-differences-are-real")
        #expect(Markdown.anchor("λ = 0.1 beside λ = 0") == "λ--01-beside-λ--0")
    }

    static func git(_ arguments: [String], in folder: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-C", folder, "-c", "user.name=test", "-c", "user.email=test@example.invalid"] + arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "git \(arguments.joined(separator: " "))")
    }

    @Test func provenanceNamesTheCommitAndWhetherTheTreeWasChanged() throws {
        let repository = Self.folder()
        try Self.git(["init", "-q"], in: repository)
        try "one\n".write(toFile: repository + "/source.txt", atomically: true, encoding: .utf8)
        try Self.git(["add", "source.txt"], in: repository)
        try Self.git(["commit", "-q", "-m", "first"], in: repository)
        let clean = try #require(Provenance.gitState(in: repository))
        #expect(clean.commit.count == 12 && clean.commit.allSatisfy(\.isHexDigit) && !clean.dirty)
        // Generated output does not count as a change; a changed source does.
        try FileManager.default.createDirectory(atPath: repository + "/output", withIntermediateDirectories: true)
        try "report\n".write(toFile: repository + "/output/README.md", atomically: true, encoding: .utf8)
        try Self.git(["add", "output"], in: repository)
        try Self.git(["commit", "-q", "-m", "output"], in: repository)
        try "new report\n".write(toFile: repository + "/output/README.md", atomically: true, encoding: .utf8)
        #expect(Provenance.gitState(in: repository)?.dirty == false)
        try "two\n".write(toFile: repository + "/source.txt", atomically: true, encoding: .utf8)
        let dirty = try #require(Provenance.gitState(in: repository))
        #expect(dirty.dirty)
        // Outside a checkout there is no commit to name.
        #expect(Provenance.gitState(in: Self.folder()) == nil)

        let provenance = Provenance(command: "chapter-demo --quick", settings: [("network", "784-100-10")], dataset: "MNIST",
                                    seeds: [1, 2], wallTime: 1.25, blas: "OpenBLAS test")
        let text = provenance.markdown(git: dirty)
        for needle in ["`chapter-demo --quick`", "784-100-10", "1, 2", "1.2 s", "OpenBLAS test", "cores", "Swift",
                       "`\(dirty.commit)` (with uncommitted changes)"] {
            #expect(text.contains(needle), "missing \(needle)")
        }
        #expect(provenance.markdown(git: nil).contains("| git commit | not a git checkout |"))
        // A page made from uncommitted changes says so under its title, not only at the bottom.
        let report = Report(chapter: "demo", title: "A demo chapter")
        report.paragraph("Body.")
        let lines = report.markdownText(provenance: provenance, git: dirty).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[2].hasPrefix("> **Made from uncommitted changes** to commit `\(dirty.commit)`"))
        #expect(!report.markdownText(provenance: provenance, git: clean).contains("uncommitted changes**"))
    }

    @Test func theIndexListsChapters() throws {
        let root = Self.folder()
        let report = Report(chapter: "demo", title: "A demo chapter")
        report.figure(Self.tinyFigure(), name: "plot", caption: "c")
        report.summary["finding"] = "Something was found."
        try report.write(to: root + "/demo", provenance: nil)
        let index = try ReportIndex(root: root)
        try index.write()
        let markdown = try String(contentsOfFile: root + "/README.md", encoding: .utf8)
        #expect(markdown.contains("[A demo chapter](demo/README.md)") && markdown.contains("Something was found."))
        #expect(markdown.contains("demo/plot.png"))
    }

    @Test func theFrontPageStartsWithTheClaimsOfEveryChapterAndTheirSecondDataset() throws {
        let root = Self.folder()
        for (folder, verdict) in [("", Claim.Verdict.holds), ("fashion-mnist/", .doesNotHold)] {
            let report = Report(chapter: "demo", title: "Demo: a chapter")
            report.heading("The experiment")
            // The same claim, worded differently on each dataset: the index matches it by its id.
            report.claim(Claim(id: "demo.gap", quote: "隔たり", claim: folder.isEmpty ? "Weight decay narrows the gap." : "Weight decay narrows the gap on garments.",
                               rule: "r", verdict: verdict, evidence: "gap 20% against 24%", seeds: 3))
            report.settings["dataset"] = .string(folder.isEmpty ? "MNIST: 4000 training images" : "Fashion-MNIST: 60000 training images")
            report.figure(Self.tinyFigure(), name: "plot", caption: "c")
            try report.write(to: root + "/" + folder + "demo",
                             provenance: Provenance(command: "chapter-demo", settings: [], dataset: "MNIST", seeds: [1], wallTime: 2.5,
                                                    blas: "test", runs: (trained: 3, cached: 4, summary: "3 trained, 4 from the cache")))
        }
        let index = try ReportIndex(root: root, comparison: "fashion-mnist")
        try index.write()
        let markdown = try String(contentsOfFile: root + "/README.md", encoding: .utf8)
        let claims = try #require(markdown.range(of: "## The notes' claims, checked")), chapters = try #require(markdown.range(of: "## The chapters"))
        #expect(claims.lowerBound < chapters.lowerBound)
        #expect(markdown.contains("| chapter | the notes' claim | MNIST | Fashion-MNIST | evidence |"))
        // The evidence is the chapter's: the index links to its table of claims, and marks verdicts that differ.
        #expect(markdown.contains("| [Demo](demo/README.md) | [Weight decay narrows the gap.](demo/README.md#the-experiment) 「隔たり」 | **holds** | [**does not hold**](fashion-mnist/demo/README.md#the-experiment) ≠ | [3 seeds](demo/README.md#the-notes-claims-checked) |"))
        #expect(!markdown.contains("gap 20% against 24%"))
        #expect(markdown.contains("1 claim on MNIST: 1 of the notes' sentences tested: 1 hold.") && markdown.contains("1 verdict differs (marked ≠)"))
        #expect(markdown.contains("| demo | 2.5 s | 3 | 4 |"))
        #expect(index.timings.map(\.seconds) == [2.5])
        // The claims here carry no readings, so the two cannot be set side by side.
        #expect(markdown.contains("- **Weight decay narrows the gap.** MNIST: *holds*, Fashion-MNIST: *does not hold*. Why: not measured the same way"))
    }

    /// A claim read from one paired difference: `estimate` and its interval, margin 1 point, on `images` images.
    static func pairedClaim(_ verdict: Claim.Verdict, estimate: Double, low: Double, high: Double, images: Int = 1000,
                            label: String = "gap A − B") -> Claim {
        let reading = Reading(label: label, rule: .paired, unit: .points, estimate: estimate, low: low, high: high,
                              holds: (-.infinity, -0.01), margin: 0.01, seeds: 10, images: images, verdict: verdict)
        return Claim(id: "demo.gap", quote: "q", claim: "A narrows the gap.",
                     decision: ClaimPart(verdict: verdict, rule: .paired, ruleText: "r", evidence: "e", seeds: 10, readings: [reading]))
    }

    @Test func editionsDifferByTheDataWhenTheirIntervalsDoNotOverlapAndByTheNoiseWhenTheyDo() {
        typealias Difference = ReportIndex.EditionDifference
        // In margins, turned to the claimed direction (lower): MNIST 2 to 4, Fashion-MNIST −3 to −1: disjoint.
        let clear = Self.pairedClaim(.holds, estimate: -0.03, low: -0.04, high: -0.02)
        let other = Self.pairedClaim(.doesNotHold, estimate: 0.02, low: 0.01, high: 0.03, images: 10000)
        let data = Difference((clear, "MNIST"), (other, "Fashion-MNIST"))
        #expect(data.cause == .data)
        #expect(data.intervals == "MNIST 2.0 to 4.0, Fashion-MNIST \u{2212}3.0 to \u{2212}1.0 margins")
        #expect(data.design == ["the margins rest on 1,000 and 10,000 evaluation images"])
        // MNIST 0.5 to 2.5 margins against 2 to 4: they overlap, so the verdicts part in the noise.
        let straddling = Self.pairedClaim(.undecided, estimate: -0.015, low: -0.025, high: -0.005, label: "gap C − D")
        let noise = Difference((straddling, "MNIST"), (clear, "Fashion-MNIST"))
        #expect(noise.cause == .noise)
        #expect(noise.design == ["the comparison differs (MNIST: gap C − D; Fashion-MNIST: gap A − B)"])
        #expect(noise.text.hasPrefix("the noise:"))
        // Without readings there is nothing to set side by side.
        let words = Claim(id: "demo.gap", quote: "q", claim: "c", rule: "r", verdict: .holds, evidence: "e", seeds: 3)
        #expect(Difference((words, "MNIST"), (clear, "Fashion-MNIST")).cause == .unknown)
    }

    /// A claim read from one measurement without seeds (how many classes the file's first images hold).
    static func valueClaim(_ verdict: Claim.Verdict, classes: Double) -> Claim {
        let reading = Reading(label: "classes among the first 100", rule: .single, unit: .number, estimate: classes, low: nil, high: nil,
                              holds: (-.infinity, 9.5), margin: nil, seeds: nil, images: nil, verdict: verdict)
        return Claim(id: "demo.order", quote: "q", claim: "The file is ordered.",
                     decision: ClaimPart(verdict: verdict, rule: .single, ruleText: "r", evidence: "e", seeds: nil, readings: [reading]))
    }

    @Test func twoSingleMeasurementsDifferInWhatTheyMeasured() {
        let now = Self.valueClaim(.doesNotHold, classes: 10), before = Self.valueClaim(.holds, classes: 1)
        let difference = ReportIndex.EditionDifference((now, "now"), (before, "before"))
        #expect(difference.cause == .values)
        #expect(difference.intervals == "classes among the first 100: now 10, before 1")
        #expect(difference.text.hasPrefix("the data: a single measurement"))
    }
}

struct TallyTests {
    static func claim(_ id: String, _ verdict: Claim.Verdict, beyond: Bool = false, illustration: String? = nil) -> Claim {
        Claim(id: id, quote: beyond ? "" : "q", beyondTheNotes: beyond, claim: id,
              decision: ClaimPart(verdict: verdict, rule: .paired, ruleText: "r", evidence: "e", seeds: 3), illustration: illustration)
    }

    @Test func illustratedAndBeyondTheNotesAreCountedApart() {
        let claims = [Self.claim("a", .holds), Self.claim("b", .holds), Self.claim("c", .doesNotHold),
                      Self.claim("d", .holds, illustration: "algebra"), Self.claim("e", .undecided, beyond: true)]
        #expect(Claim.tally(claims) == "3 of the notes' sentences tested: 2 hold · 1 do not hold; 1 more illustrated, certain by "
                + "construction and not counted as evidence (1 hold); 1 beyond the notes (1 undecided)")
        #expect(claims[3].verdictText == "holds · illustrated" && !claims[3].isEvidence && claims[0].isEvidence)
        // The badge survives results.json.
        #expect(Claim(json: claims[3].json)?.illustration == "algebra")
    }

    @Test func aPartBesideKeepsItsOwnSeedsOutOfTheClaims() {
        let deciding = ClaimPart(name: "fair", verdict: .holds, rule: .paired, ruleText: "r", evidence: "e", seeds: 5)
        let beside = ClaimPart(name: "course", verdict: .doesNotHold, rule: .paired, ruleText: "r", evidence: "e", seeds: 20, beside: true)
        let part = ClaimPart(verdict: .holds, rule: .parts, ruleText: "r", evidence: "e", seeds: nil, parts: [deciding, beside], meaning: .every)
        #expect(part.seedCounts == [5] && part.decidingParts.map(\.name) == ["fair"])
        let claim = Claim(id: "x", quote: "q", claim: "x", decision: part)
        #expect(ReportIndex.seedsText(claim) == "5 seeds")
        // Parts on different seeds are each given theirs.
        let two = ClaimPart(verdict: .holds, rule: .parts, ruleText: "r", evidence: "e", seeds: nil,
                            parts: [deciding, ClaimPart(name: "other", verdict: .holds, rule: .paired, ruleText: "r", evidence: "e", seeds: 20)])
        #expect(ReportIndex.seedsText(Claim(id: "y", quote: "q", claim: "y", decision: two)) == "fair: 5 seeds; other: 20 seeds")
        #expect(ClaimPart(json: part.json) == part)
    }
}

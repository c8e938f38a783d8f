import Foundation
import Plot
import Testing
@testable import Report

struct ReportTests {
    static func folder() -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("report-tests-\(UUID().uuidString)").path
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func tinyFigure() -> Figure {
        var figure = Figure(width: 200, panelHeight: 150)
        var panel = Panel()
        panel.line([0, 1], [0, 1])
        figure[0, 0] = panel
        return figure
    }

    @Test func figuresAreNumberedAndTheirLinksResolve() throws {
        let report = Report(chapter: "demo", title: "Demo", formats: [.png, .svg])
        let data = [Series(label: "a", seed: 1, metric: "train_loss", x: [1, 2], y: [0.5, 0.25])]
        #expect(report.figure(Self.tinyFigure(), name: "first", caption: "One", data: data) == 1)
        report.paragraph("Between the figures.")
        #expect(report.figure(Self.tinyFigure(), name: "second", caption: "Two", data: data) == 2)
        let folder = Self.folder()
        report.series = data
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
        #expect(try String(contentsOfFile: folder + "/first.csv", encoding: .utf8) == "label,seed,metric,x,y\na,1,train_loss,1,0.5\na,1,train_loss,2,0.25\n")
    }

    @Test func codeExcerptsAreTheSourceBetweenMarkers() throws {
        let report = Report(chapter: "demo", title: "Demo")
        try report.code(file: "Sources/NeuralNet/Optimizers/SGD.swift", marker: "sgd-update")
        let source = try String(contentsOfFile: SourceExcerpt.repositoryRoot + "/Sources/NeuralNet/Optimizers/SGD.swift", encoding: .utf8)
        let lines = source.components(separatedBy: "\n")
        let start = lines.firstIndex { $0.contains("// BEGIN sgd-update") }!, end = lines.firstIndex { $0.contains("// END sgd-update") }!
        let expected = lines[(start + 1)..<end].map { String($0.dropFirst(4)) }.joined(separator: "\n")
        #expect(report.blocks.last!.contains("```swift\n" + expected + "\n```"))
        #expect(expected.contains("public func update"))
        #expect(throws: ReportError.missingExcerpt(file: "Sources/NeuralNet/Optimizers/SGD.swift", marker: "no-such-marker")) {
            try report.code(file: "Sources/NeuralNet/Optimizers/SGD.swift", marker: "no-such-marker")
        }
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
        report.figure(Self.tinyFigure(), name: "fig", caption: "c", data: [])
        #expect(throws: ReportError.self) { try report.write(to: folder, provenance: nil) }
        #expect(try String(contentsOfFile: folder + "/README.md", encoding: .utf8) == "old report\n")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".tmp") }
        #expect(leftovers.isEmpty)
    }

    @Test func captionsAreEscaped() {
        let report = Report(chapter: "demo", title: "Demo")
        report.figure(Self.tinyFigure(), name: "f", caption: "a*b_c [d] <e> | f", data: [])
        #expect(report.blocks.last!.contains(#"*Figure 1: a\*b\_c \[d\] \<e\> \| f*"#))
        #expect(report.blocks.last!.hasPrefix(#"![a\*b\_c \[d\] \<e\> \| f](f.png)"#))
    }

    @Test func tablesAndNumbers() {
        #expect(Markdown.table(headers: ["a", "b"], rows: [["x", "1|2"]]) == "| a | b |\n|:---|---:|\n| x | 1\\|2 |")
        #expect(Markdown.number(0.123456) == "0.1235")
        #expect(Markdown.number(1234.6) == "1235")
        #expect(Markdown.number(0.00001234) == "1.234e-05")
        #expect(Markdown.number(.nan) == "—")
        #expect(Markdown.percent(0.9312) == "93.1%")
    }

    @Test func provenanceNamesTheCommitAndTheMachine() {
        let provenance = Provenance(command: "chapter-demo --quick", settings: [("network", "784-100-10")], dataset: "MNIST",
                                    seeds: [1, 2], wallTime: 1.25, blas: "OpenBLAS test")
        let text = provenance.markdown()
        for needle in ["`chapter-demo --quick`", "784-100-10", "1, 2", "1.2 s", "OpenBLAS test", "cores", "Swift"] {
            #expect(text.contains(needle), "missing \(needle)")
        }
        if let git = Provenance.gitState() { #expect(text.contains(git.commit)) }
    }

    @Test func theIndexListsChaptersAndInlinesImages() throws {
        let root = Self.folder()
        let report = Report(chapter: "demo", title: "A demo chapter")
        report.paragraph("Math: $a_1 + b_2$ and\n\n$$\nx_{i} = \\frac{1}{2}\n$$")
        report.figure(Self.tinyFigure(), name: "plot", caption: "c", data: [])
        report.summary["finding"] = "Something was found."
        try report.write(to: root + "/demo", provenance: nil)
        let index = try ReportIndex(root: root)
        try index.write()
        let markdown = try String(contentsOfFile: root + "/README.md", encoding: .utf8)
        #expect(markdown.contains("[A demo chapter](demo/README.md)") && markdown.contains("Something was found."))
        #expect(markdown.contains("demo/plot.png"))
        let html = try String(contentsOfFile: root + "/index.html", encoding: .utf8)
        #expect(html.contains("data:image/png;base64,iVBOR"))
        #expect(html.contains("\\(a_1 + b_2\\)") && html.contains("\\[x_{i} = \\frac{1}{2}\\]"))
        #expect(!html.contains("<em>1 + b</em>"))
    }
}

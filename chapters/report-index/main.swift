// Builds output/README.md and output/index.html from the chapters' reports.
import ArgumentParser
import Foundation
import Notebook
import Report
import Site

struct ReportIndexCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report-index",
        abstract: "Rebuild the index of the chapter reports (<output>/README.md) and the HTML edition: <output>/index.html and a page per chapter.",
        discussion: """
            Prints each chapter's time and the total. Chapters in <output>/fashion-mnist, when there, add a second verdict column \
            and a link to their own edition; run on <output>/fashion-mnist, the pages link back.
            """)

    @Option(help: ArgumentHelp("The folder holding the chapter reports.", valueName: "dir"))
    var output = "output"

    @Option(help: ArgumentHelp("When the whole report started (seconds since 1970), to print how long it took.", valueName: "time"))
    var since: Double?

    func run() throws {
        guard FileManager.default.fileExists(atPath: output) else { throw ValidationError("no such folder: \(output)") }
        let index = try ReportIndex(root: output, order: ChapterRegistry.names(), comparison: "fashion-mnist")
        try index.write()
        let parent = (output as NSString).deletingLastPathComponent
        let other: (name: String, path: String)? = index.comparison.map { ($0.entries.first?.dataset ?? $0.folder, $0.folder + "/") }
            ?? ((output as NSString).lastPathComponent == "fashion-mnist" && FileManager.default.fileExists(atPath: parent + "/README.md")
                ? ("MNIST", "../") : nil)
        let site = Site(index: index, otherEdition: other)
        try site.write()
        func line(_ name: String, _ seconds: Double, _ rest: String) -> String {
            "  " + name.padding(toLength: 18, withPad: " ", startingAt: 0) + String(format: "%7.1f s   ", seconds) + rest
        }
        for timing in index.timings {
            print(line(timing.chapter, timing.seconds, timing.trained.map { "\($0) runs trained, \(timing.cached ?? 0) from the cache" } ?? ""))
        }
        let total = index.timings.map(\.seconds).filter(\.isFinite).reduce(0, +)
        print(line("all chapters", total, since.map { String(format: "(%.1f s since the report started)", Date().timeIntervalSince1970 - $0) } ?? ""))
        print("report-index: \(index.entries.count) chapters in \(output)/README.md and \(site.pages.count) HTML pages from \(output)/index.html"
              + (index.comparison.map { "; verdicts on \($0.folder) beside them" } ?? ""))
    }
}

ReportIndexCommand.main()

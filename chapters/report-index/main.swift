// Builds output/README.md and output/index.html from the chapters' reports.
import ArgumentParser
import Claims
import Foundation
import Notebook
import Report
import Site

struct ReportIndexCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report-index",
        abstract: """
            Rebuild the index of the chapter reports (<output>/README.md) and the HTML edition: <output>/index.html \
            and a page per chapter.
            """,
        discussion: """
            Prints each chapter's time and the total. Chapters in <output>/fashion-mnist, when there, add a second verdict column \
            and a link to their own edition; run on <output>/fashion-mnist, the pages link back.
            """)

    @Option(help: ArgumentHelp("The folder holding the chapter reports.", valueName: "dir"))
    var output = "output"

    @Option(help: ArgumentHelp("""
        An earlier edition of the same chapters on other data, whose verdicts and seed counts this one is listed against.
        """, valueName: "dir"))
    var previousEdition: String?

    @Option(help: ArgumentHelp("The previous edition's name in the index.", valueName: "name"))
    var previousName = "5,000-digit MNIST"

    @Option(help: ArgumentHelp("What changed in the design since the previous edition, for the index.",
                               valueName: "text"))
    var previousChanges = """
        What changed for every claim: on those digits the chapters trained on 4,000 and tested on 1,000, taken from a file sorted \
        by class and used interleaved, and their held-out pools held at most 4,700 images; here they train and test as the \
        course does, on its 60,000 and 10,000 in the file's order, with pools of 30,000. The notes' claims on optimizers and initial \
        weights now read the loss after each update, as the notes' figures do. Since then several designs changed too, so a \
        difference below may come from the design rather than the data: best rates are chosen on tuning seeds over grids extended \
        until the best is inside (SGD's best is now 27 times the reference rate, and with it SGD is as fast as the others); the \
        fair design decides where the course's setting once made a claim hold in part (BatchNorm's "faster" is judged on He's \
        initial weights); certain parts are shown beside instead of counted; the test-set claim has a margin of zero; and runs \
        are called settled by a rise per 100 epochs.
        """

    @Option(help: ArgumentHelp("""
        When the whole report started (seconds since 1970), to print how long it took.
        """, valueName: "time"))
    var since: Double?

    func run() throws {
        guard FileManager.default.fileExists(atPath: output) else { throw ValidationError("no such folder: \(output)") }
        var index = try ReportIndex(root: output, order: ChapterRegistry.names(), comparison: "fashion-mnist")
        let paired = index.entries.flatMap { entry in
            entry.claims.flatMap { claim in
                claim.decision.leafReadings.map {
                    (name: ([claim.id] + $0.path + [$0.reading.label]).joined(separator: " › "), reading: $0.reading)
                }
            }
        }
        index.engine = Simulation.markdown() + "\n\n" + Simulation.sharedMarkdown(paired)
        if let previousEdition {
            guard FileManager.default.fileExists(atPath: previousEdition) else {
                throw ValidationError("no such folder: \(previousEdition)")
            }
            index.previous = (previousName, try ReportIndex.read(previousEdition, order: ChapterRegistry.names()))
            index.previousChanges = previousChanges
        }
        try index.write()
        let parent = (output as NSString).deletingLastPathComponent
        // The other edition: Fashion-MNIST's beside this one, or, from inside it, MNIST's above.
        let inside = (output as NSString).lastPathComponent == "fashion-mnist"
            && FileManager.default.fileExists(atPath: parent + "/README.md")
        let other: (name: String, path: String)? = index.comparison.map {
            ($0.entries.first?.dataset ?? $0.folder, $0.folder + "/")
        } ?? (inside ? ("MNIST", "../") : nil)
        let site = Site(index: index, otherEdition: other)
        try site.write()
        func line(_ name: String, _ seconds: Double, _ rest: String) -> String {
            let name = name.padding(toLength: 18, withPad: " ", startingAt: 0)
            return "  " + name + String(format: "%7.1f s   ", seconds) + rest
        }
        for timing in index.timings {
            let runs = timing.trained.map { "\($0) runs trained, \(timing.cached ?? 0) from the cache" }
            print(line(timing.chapter, timing.seconds, runs ?? ""))
        }
        let total = index.timings.map(\.seconds).filter(\.isFinite).reduce(0, +)
        let elapsed = since.map { start in
            String(format: "(%.1f s since the report started)", Date().timeIntervalSince1970 - start)
        }
        print(line("all chapters", total, elapsed ?? ""))
        let beside = index.comparison.map { "; verdicts on \($0.folder) beside them" } ?? ""
        print("""
            report-index: \(index.entries.count) chapters in \(output)/README.md and \(site.pages.count) HTML pages \
            from \(output)/index.html\(beside)
            """)
    }
}

ReportIndexCommand.main()

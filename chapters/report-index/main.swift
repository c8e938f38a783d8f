// Builds output/README.md and output/index.html from the chapters' reports.
import ArgumentParser
import Foundation
import Report

struct ReportIndexCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report-index",
        abstract: "Rebuild the index of the chapter reports: <output>/README.md and a self-contained <output>/index.html.")

    @Option(help: ArgumentHelp("The folder holding the chapter reports.", valueName: "dir"))
    var output = "output"

    func run() throws {
        guard FileManager.default.fileExists(atPath: output) else { throw ValidationError("no such folder: \(output)") }
        let index = try ReportIndex(root: output, order: ["optimizers", "initial-values", "batch-norm", "overfitting",
                                                          "weight-decay", "dropout", "hyperparameters"])
        try index.write()
        print("report-index: \(index.entries.count) chapters in \(output)/README.md and \(output)/index.html")
    }
}

ReportIndexCommand.main()

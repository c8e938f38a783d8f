import Analysis
import ArgumentParser
import Claims
import Datasets
import Engine
import Foundation
import NumericCore
import Report
import Runs
import Statistics

/// What a chapter executable is: its options, and the body that builds its report.
public protocol Chapter: ParsableCommand {
    /// The folder name under the output folder and the chapter's name in results.json.
    static var name: String { get }
    var options: ChapterOptions { get }
    /// Runs the experiments and fills the report.
    func build(_ report: Report, context: ChapterContext) throws
}

extension Chapter {
    public static var chapterCommandName: String { "chapter-" + name }

    /// Runs the chapter and writes its report. A chapter with other ways to run (a shard of its
    /// work) implements its own `run()` and calls `writeReport()` for the usual one.
    public func run() throws { try writeReport() }

    /// Runs the experiments and writes the report; every failure becomes one line on standard
    /// error and a non-zero exit, and leaves the previous report as it was.
    public func writeReport() throws {
        let started = Date()
        let dataset = try options.loadDataset()
        let report = Report(chapter: Self.name, title: "", formats: options.formats)
        if let fallback = dataset.fallback { report.dataBanner = "**Not the course's data.** " + fallback.prefix(1).uppercased() + fallback.dropFirst() + "." }
        report.chapterNumber = (try? ChapterRegistry.names())?.firstIndex(of: Self.name).map { $0 + 1 }
        // The works the data comes from, cited where the data is described.
        let source: Reference = options.dataset == .fashionMNIST ? .xiao2017 : .lecun1998
        report.dataNote = "The images: \(dataset.name) (\(report.cite(source))); the course whose experiments these are: "
            + "\(report.cite(.saito2016)).\n\n" + dataset.departures
        let context = ChapterContext(options: options, dataset: dataset, settings: SettingsLog(), report: report)
        try build(report, context: context)
        let folder = (options.output as NSString).appendingPathComponent(Self.name)
        var settings = [("mode", options.quick ? "quick (--quick: shortened runs, not the full experiment)" : "full")]
        settings += context.settings.entries
        report.settings["quick"] = .bool(options.quick)
        report.settings["seeds"] = .array(options.seedList.map { .number(Double($0)) })
        report.settings["dataset"] = .string(dataset.summary)
        for (key, value) in context.settings.entries { report.settings[key] = .string(value) }
        // Every setup as its value too, beside the prose: what a program reading results.json needs.
        report.settings["setups"] = .object(Dictionary(context.settings.setups.map { title, arms in
            (title, JSONValue.array(arms.map { arm in
                .object(["label": .string(arm.label), "seeds": .array(arm.seeds.map { .number(Double($0)) }), "setup": JSONValue(encoding: arm.setup)])
            }))
        }) { $1 })
        let ledger = context.cache.ledger, cost = ledger.total
        var wallTime = 0.0
        try report.write(to: folder) {
            wallTime = Date().timeIntervalSince(started)
            return Provenance(command: ([Self.chapterCommandName] + CommandLine.arguments.dropFirst()).joined(separator: " "),
                              settings: settings, dataset: dataset.summary, seeds: options.seedList, wallTime: wallTime,
                              blas: BLASRuntime.summary,
                              runs: (trained: context.cache.stored, cached: context.cache.hits, summary: context.cache.summary),
                              cost: cost.networks > 0 ? (cost.numbers, cost.summary) : nil)
        }
        print("\(Self.chapterCommandName): wrote \(folder)/README.md (\(report.figures.count) figures) in "
              + String(format: "%.1f s", wallTime) + "; runs: \(context.cache.summary)")
        if cost.networks > 0 {
            print("\(Self.chapterCommandName): cost ledger: \(cost.summary)" + (ledger.trainedHereSummary.map { "; " + $0 } ?? "")
                  + (ledger.runsWithoutCost > 0 ? "; \(ledger.runsWithoutCost) runs from the cache kept no cost" : ""))
        }
    }
}

/// The entry point of every chapter executable: picks the BLAS kernels, parses the command line
/// with one-line errors, and runs.
public func runChapter<C: Chapter>(_ chapter: C.Type) -> Never {
    BLASRuntime.configure()
    let arguments = Array(CommandLine.arguments.dropFirst())
    // A variable, so that `run()` goes through ParsableCommand's requirement and reaches a chapter's
    // own `run()` where it has one (on a constant only the default in the extension could be called).
    var command: C
    do {
        command = try C.parse(arguments)
    } catch {
        let code = C.exitCode(for: error)
        if code == .success {
            print(C.fullMessage(for: error))
            exit(0)
        }
        FileHandle.standardError.write(Data("\(C.chapterCommandName): error: \(oneLine(C.message(for: error))) (see --help)\n".utf8))
        exit(code.rawValue)
    }
    do {
        try command.run()
        exit(0)
    } catch let error as ValidationError {
        FileHandle.standardError.write(Data("\(C.chapterCommandName): error: \(error.message) (see --help)\n".utf8))
        exit(64)
    } catch {
        FileHandle.standardError.write(Data("\(C.chapterCommandName): error: \(error)\n".utf8))
        exit(1)
    }
}

/// argument-parser's message on one line: a list of choices ("- a", "- b" on lines of their own)
/// becomes "a, b".
func oneLine(_ message: String) -> String {
    let lines = message.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    guard let first = lines.first else { return message }
    let rest = lines.dropFirst().map { $0.hasPrefix("- ") ? String($0.dropFirst(2)) : $0 }
    return rest.isEmpty ? first : first + " " + rest.joined(separator: ", ")
}

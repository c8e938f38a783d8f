import Foundation
import Report
import Testing

/// End to end: the chapter executables, run as a user runs them (with --quick), and their reports.
struct ChapterRunTests {
    /// The folder holding the built executables (next to the test bundle).
    static let products: URL = {
        var url = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        while !FileManager.default.fileExists(atPath: url.appendingPathComponent("chapter-optimizers").path), url.path != "/" {
            url.deleteLastPathComponent()
        }
        return url
    }()

    struct Outcome { let status: Int32; let stdout: String; let stderr: String }

    static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws -> Outcome {
        let process = Process()
        process.executableURL = products.appendingPathComponent(executable)
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus, stdout: stdout, stderr: stderr)
    }

    static func temporaryFolder() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("chapter-tests-\(UUID().uuidString)").path
    }

    /// Checks a written report: every linked file exists, results.json has the expected series.
    static func checkReport(_ folder: String, chapter: String, labels: [String], seeds: [UInt64]) throws {
        let markdown = try String(contentsOfFile: folder + "/README.md", encoding: .utf8)
        let links = try NSRegularExpression(pattern: #"\]\(([^)#:]+)\)"#)
            .matches(in: markdown, range: NSRange(markdown.startIndex..., in: markdown))
            .map { String(markdown[Range($0.range(at: 1), in: markdown)!]) }
        #expect(links.filter { $0.hasSuffix(".png") }.count >= 2)
        for link in links { #expect(FileManager.default.fileExists(atPath: folder + "/" + link), "\(link) is missing") }
        #expect(markdown.contains("## How this report was made") && markdown.contains("quick"))
        #expect(markdown.contains("## The data behind this report") && !markdown.contains("(not described)"))
        let results = try ResultsFile.read(folder + "/results.json")
        #expect(results.chapter == chapter)
        let losses = results.series.filter { $0.metric == "train_loss" }
        for label in labels {
            #expect(Set(losses.filter { $0.label == label }.compactMap(\.seed)) == Set(seeds), "\(label) lacks a seed")
        }
        #expect(losses.allSatisfy { $0.x.count == $0.y.count && !$0.y.isEmpty })
    }

    @Test func optimizersQuickRunWritesItsReport() throws {
        let output = Self.temporaryFolder()
        let outcome = try Self.run("chapter-optimizers", ["--quick", "--output", output, "--seed", "5"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        try Self.checkReport(output + "/optimizers", chapter: "optimizers",
                             labels: ["SGD", "Momentum", "Nesterov", "AdaGrad", "RMSProp", "Adam"], seeds: [5, 6])
        let markdown = try String(contentsOfFile: output + "/optimizers/README.md", encoding: .utf8)
        #expect(markdown.contains("squares[i] += gradient[i] * gradient[i]"))   // the AdaGrad code that ran
        #expect(markdown.contains("$$"))
    }

    @Test func initialValuesQuickRunWritesItsReport() throws {
        let output = Self.temporaryFolder()
        let outcome = try Self.run("chapter-initial-values", ["--quick", "--output", output, "--formats", "png,svg"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        try Self.checkReport(output + "/initial-values", chapter: "initial-values", labels: ["std=0.01", "Xavier", "He"], seeds: [1, 2])
        #expect(FileManager.default.fileExists(atPath: output + "/initial-values/activations-relu.svg"))
    }

    @Test(arguments: [
        (["--seeds", "0"], "--seeds must be a positive number"),
        (["--iterations", "0"], "--iterations must be a positive number"),
        (["--iterations", "-5"], "--iterations"),
        (["--batch-size", "0"], "--batch-size must be a positive number"),
        (["--dataset", "cifar"], "unknown dataset 'cifar'"),
        (["--formats", "png,gif"], "unknown figure format 'gif'"),
        (["--bogus"], "Unknown option '--bogus'"),
        (["--data", "/nonexistent/mnist"], "--data: no such folder"),
    ])
    func badFlagsGiveOneLineErrors(arguments: [String], message: String) throws {
        let output = Self.temporaryFolder()
        let outcome = try Self.run("chapter-optimizers", arguments + ["--output", output])
        #expect(outcome.status != 0)
        let lines = outcome.stderr.split(separator: "\n")
        #expect(lines.count == 1, "stderr: \(outcome.stderr)")
        #expect(outcome.stderr.contains(message), "stderr: \(outcome.stderr)")
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    @Test func corruptDataIsAOneLineErrorAndWritesNothing() throws {
        let data = Self.temporaryFolder(), output = Self.temporaryFolder()
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        for name in ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"] {
            try Data([0, 0, 8, 3, 0, 0]).write(to: URL(fileURLWithPath: data + "/" + name))
        }
        let outcome = try Self.run("chapter-initial-values", ["--quick", "--data", data, "--output", output])
        #expect(outcome.status == 1)
        #expect(outcome.stderr == "chapter-initial-values: error: \(data)/train-images-idx3-ubyte is truncated: expected 16 bytes of data, found 6\n")
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    @Test func resultsDoNotDependOnHowManyRunsGoSideBySide() throws {
        let serial = Self.temporaryFolder(), parallel = Self.temporaryFolder()
        #expect(try Self.run("chapter-initial-values", ["--quick", "--jobs", "1", "--output", serial]).status == 0)
        #expect(try Self.run("chapter-initial-values", ["--quick", "--jobs", "2", "--output", parallel]).status == 0)
        let a = try ResultsFile.read(serial + "/initial-values/results.json")
        let b = try ResultsFile.read(parallel + "/initial-values/results.json")
        #expect(a.series.count > 10)
        #expect(a.series == b.series)
    }

    @Test func aCoreTypeTheUserSetIsKeptAndReported() throws {
        let output = Self.temporaryFolder()
        let outcome = try Self.run("chapter-initial-values", ["--quick", "--output", output],
                                   environment: ["OPENBLAS_CORETYPE": "Prescott"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let markdown = try String(contentsOfFile: output + "/initial-values/README.md", encoding: .utf8)
        #expect(markdown.contains("kernel Prescott (set by the user's OPENBLAS_CORETYPE)"))
    }

    @Test func helpExplainsTheOptions() throws {
        let outcome = try Self.run("chapter-optimizers", ["--help"])
        #expect(outcome.status == 0)
        for option in ["--quick", "--seeds", "--seed", "--output", "--formats", "--data", "--dataset", "--jobs"] {
            #expect(outcome.stdout.contains(option), "--help does not mention \(option)")
        }
    }
}

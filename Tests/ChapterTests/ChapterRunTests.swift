import Foundation
import Notebook
import Plot
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

    /// Runs a program of the package. Chapters train everything afresh (`--no-cache`) unless the
    /// test names a cache itself: a test must not pass on runs an earlier test left behind. They run
    /// on the 5,000 embedded digits unless the test names its data: no test needs the network.
    static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws -> Outcome {
        let process = Process()
        process.executableURL = products.appendingPathComponent(executable)
        let chapter = executable.hasPrefix("chapter-")
        let wantsCache = arguments.contains("--cache") || arguments.contains("--help") || !chapter
        let namesData = ["--dataset", "--data", "--help", "--experimental-dump-help"].contains(where: arguments.contains) || !chapter
        process.arguments = arguments + (wantsCache ? [] : ["--no-cache"]) + (namesData ? [] : ["--dataset", "mnist-5k"])
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

    /// Checks a written report: every linked file exists, the claims are recorded, and results.json
    /// has every `metric` for every label and seed.
    @discardableResult
    static func checkReport(_ folder: String, chapter: String, labels: [String], metrics: [String], seeds: [UInt64]) throws -> ResultsFile {
        let markdown = try String(contentsOfFile: folder + "/README.md", encoding: .utf8)
        let links = try NSRegularExpression(pattern: #"\]\(([^)#:]+)\)"#)
            .matches(in: markdown, range: NSRange(markdown.startIndex..., in: markdown))
            .map { String(markdown[Range($0.range(at: 1), in: markdown)!]) }
        #expect(links.filter { $0.hasSuffix(".png") }.count >= 2)
        // A link to another chapter names a chapter of the book (a quick run writes only its own).
        let chapters = try ChapterRegistry.names()
        for link in links where link.hasPrefix("../") {
            #expect(chapters.contains(String(link.dropFirst(3).prefix { $0 != "/" })) && link.hasSuffix("/README.md"), "\(link) is no chapter")
        }
        for link in links where !link.hasPrefix("../") {
            #expect(FileManager.default.fileExists(atPath: folder + "/" + link), "\(link) is missing")
        }
        // Every claim's strips, light and dark, and nothing a reader must never meet.
        for strip in markdown.components(separatedBy: "src=\"strips/").dropFirst().map({ $0.prefix { $0 != "\"" } }) {
            #expect(FileManager.default.fileExists(atPath: "\(folder)/strips/\(strip)"), "strips/\(strip) is missing")
            #expect(FileManager.default.fileExists(atPath: "\(folder)/strips/\(strip.replacingOccurrences(of: ".png", with: "-dark.png"))"))
        }
        let problems = try ReportLint.problems(folder: folder)
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
        #expect(markdown.contains("## How this report was made") && markdown.contains("quick"))
        #expect(markdown.contains("## The data behind this report") && !markdown.contains("(not described)"))
        #expect(markdown.contains("## The notes' claims, checked"))
        let results = try ResultsFile.read(folder + "/results.json")
        #expect(results.chapter == chapter)
        let claims = results.summary["claims"]?.arrayValue?.compactMap(Claim.init(json:)) ?? []
        #expect(!claims.isEmpty && claims.allSatisfy { !$0.evidence.isEmpty && $0.section != nil && ($0.isBeyondTheNotes || $0.quote.contains { !$0.isASCII }) && !$0.rule.isEmpty })
        #expect(Set(claims.map(\.id)).count == claims.count && claims.allSatisfy { $0.id.hasPrefix(chapter + ".") })
        #expect(results.summary["finding"]?.stringValue?.isEmpty == false)
        // Every figure is designed at most as wide as the HTML column, its text at least at the
        // floor there, and its PNG drawn at twice its design size.
        let alts = try NSRegularExpression(pattern: #"!\[((?:[^\]\\]|\\.)*)\]\("#)
            .matches(in: markdown, range: NSRange(markdown.startIndex..., in: markdown))
            .map { markdown[Range($0.range(at: 1), in: markdown)!].replacingOccurrences(of: #"\\(.)"#, with: "$1", options: .regularExpression) }
        #expect(!alts.isEmpty && alts.allSatisfy { !$0.isEmpty && $0.count <= Figure.altTextLimit }, "\(alts.filter { $0.count > Figure.altTextLimit })")
        #expect(markdown.components(separatedBy: "<summary>Describe the data of figure").count == alts.count + 1)
        let sizes = (results.summary["figures"]?.arrayValue ?? []).compactMap(FigureSize.init(json:))
        #expect(Set(sizes.map { $0.name + ".png" }) == Set(links.filter { $0.hasSuffix(".png") }))
        for size in sizes {
            #expect(size.width <= Style.columnWidth && size.smallestText(inColumn: Style.columnWidth) >= Style.smallestText,
                    "\(size.name): \(size.width) px wide, text down to \(size.smallestText) px")
            #expect(FileManager.default.fileExists(atPath: "\(folder)/\(size.name)-dark.png"), "\(size.name) has no dark PNG")
            let header = try #require(FileManager.default.contents(atPath: "\(folder)/\(size.name).png")).prefix(24)
            let pixels = header.dropFirst(16).prefix(4).reduce(0) { $0 << 8 | Int($1) }
            #expect(abs(Double(pixels) - 2 * size.width) <= 1, "\(size.name).png is \(pixels) pixels wide")
        }
        for label in labels {
            for metric in metrics {
                // A setting chosen on tuning seeds was also trained on those, in an experiment of its own.
                let all = results.series.filter { $0.label == label && $0.metric == metric }
                let tuning = all.filter { ($0.experiment ?? "").hasSuffix("on the tuning seeds") }
                let series = all.filter { !($0.experiment ?? "").hasSuffix("on the tuning seeds") }
                #expect(Set(series.compactMap(\.seed)) == Set(seeds), "\(label) \(metric) lacks a seed")
                #expect(tuning.allSatisfy { $0.seed.map { $0 >= 1_000_000 } ?? false }, "\(label) \(metric): a tuning run on a claim's seed")
                #expect(series.allSatisfy { $0.x.count == $0.y.count && !$0.y.isEmpty })
            }
        }
        return results
    }

    /// Runs `chapter-<chapter> --quick` with `options` into a new folder, expects it to succeed, and
    /// checks its report (see `checkReport`). Returns the chapter's folder, its results and the run.
    static func quickRun(_ chapter: String, _ options: [String], labels: [String], metrics: [String], seeds: [UInt64],
                         sourceLocation: SourceLocation = #_sourceLocation) throws -> (folder: String, results: ResultsFile, outcome: Outcome) {
        let output = temporaryFolder()
        let outcome = try run("chapter-" + chapter, ["--quick", "--output", output] + options)
        #expect(outcome.status == 0, "\(outcome.stderr)", sourceLocation: sourceLocation)
        let folder = output + "/" + chapter
        return (folder, try checkReport(folder, chapter: chapter, labels: labels, metrics: metrics, seeds: seeds), outcome)
    }

    @Test func optimizersQuickRunWritesItsReport() throws {
        let (folder, _, _) = try Self.quickRun("optimizers", ["--seed", "5"], labels: ["SGD", "Momentum", "Nesterov", "AdaGrad", "RMSProp", "Adam"],
            metrics: ["train_loss"], seeds: [5, 6])
        let markdown = try String(contentsOfFile: folder + "/README.md", encoding: .utf8)
        #expect(markdown.contains("squares[i] += gradient[i] * gradient[i]"))   // the AdaGrad code that ran
        #expect(markdown.contains("$$"))
    }

    @Test func initialValuesQuickRunWritesItsReportAndHonoursIterations() throws {
        let (folder, results, _) = try Self.quickRun("initial-values", ["--formats", "png,svg", "--iterations", "60"], labels: ["std=0.01", "Xavier", "He"],
            metrics: ["train_loss"], seeds: [1, 2])
        #expect(FileManager.default.fileExists(atPath: folder + "/activations-relu.svg"))
        // Every run of the chapter, the equal-weights ones included, took the 60 iterations asked for.
        let losses = results.series.filter { $0.metric == "train_loss" }
        // The three ReLU starts, and each start judged at its best rate at every rate of its grid.
        let tuned = ["Xavier + sigmoid", "std=1 + sigmoid", "std=0.01 + sigmoid", "Xavier + tanh", "He + tanh"].flatMap { start in
            [start] + ["0.1", "1", "3", "10"].map { "\(start), lr \($0)" }
        }
        #expect(Set(losses.map(\.label)) == Set(["all weights 0", "all weights 0.01", "He", "std=0.01", "Xavier"] + tuned))
        #expect(losses.allSatisfy { $0.y.count == 60 })
    }

    static let scales = (0..<16).map { pow(10, -4 * Double($0) / 15) }

    @Test func batchNormQuickRunWritesItsReport() throws {
        let labels = ["1", "0.541", "0.0001"].flatMap { ["BatchNorm, scale=\($0)", "no BatchNorm, scale=\($0)"] }
        // The overfitting check, at seven learning rates for each arm, measured on validation images too.
        let rates = ["0.01", "0.03", "0.1", "0.3", "1", "3", "10"].flatMap { ["BatchNorm, lr=\($0)", "no BatchNorm, lr=\($0)"] }
        let (folder, results, _) = try Self.quickRun("batch-norm", ["--seeds", "1", "--epochs", "2"], labels: labels + rates,
            metrics: ["train_acc", "test_acc"], seeds: [1])
        #expect(Set(results.series.map(\.label)).count == 2 * 16 + 2 * 7)
        #expect(Set(results.series.filter { $0.metric == "val_acc" }.map(\.label)) == Set(rates))
        #expect(results.series.filter { $0.label == "BatchNorm, scale=0.0001" && $0.metric == "train_acc" }[0].x == [0, 1, 2])
        let markdown = try String(contentsOfFile: folder + "/README.md", encoding: .utf8)
        #expect(markdown.contains("dx[i] = gamma[c] * inverseStd[c] / n * (n * dy[i] - dBeta[c] - normalized[i] * dGamma[c])"))
    }

    @Test func overfittingQuickRunWritesItsReport() throws {
        let (_, results, _) = try Self.quickRun("overfitting", ["--sizes", "300,600"], labels: ["300 images", "600 images"],
            metrics: ["train_acc", "test_acc"], seeds: [1, 2])
        #expect(results.series.filter { $0.label == "300 images" && $0.metric == "train_acc" }[0].x == (0...20).map(Double.init))
    }

    @Test func weightDecayQuickRunWritesItsReport() throws {
        // λ = 0 and the course's 0.1 are always there, beside what was asked for.
        let (folder, results, _) = try Self.quickRun("weight-decay", ["--lambdas", "0.03", "--epochs", "6"], labels: ["λ=0", "λ=0.03", "λ=0.1"],
            metrics: ["train_acc", "test_acc"], seeds: [1, 2])
        #expect(Set(results.series.map(\.label)) == ["λ=0", "λ=0.03", "λ=0.1"])
        let markdown = try String(contentsOfFile: folder + "/README.md", encoding: .utf8)
        #expect(markdown.contains("backend.add(weights[i].value, scaledBy: lambda, to: weights[i].gradient) }   // ∂L/∂W += λ W"))
    }

    @Test func dropoutQuickRunWritesItsReport() throws {
        let (folder, results, _) = try Self.quickRun("dropout", ["--ratios", "0.5"], labels: ["dropout=0", "dropout=0.2", "dropout=0.5"],
            metrics: ["train_acc", "test_acc"], seeds: [1, 2])
        // The sweep, and the course's ratio beside none trained on until they settle (60 epochs with --quick, then 119).
        #expect(Set(results.series.map(\.label)) == ["dropout=0", "dropout=0.2", "dropout=0.5", "dropout=0, trained long",
                                                     "dropout=0.2, trained long"])
        let csv = try String(contentsOfFile: folder + "/monte-carlo.csv", encoding: .utf8)
        #expect(csv.contains("dropout=0.2,,mc_test_acc_mean,1,") && csv.contains("dropout=0.2,,scaled_test_acc,"))
    }

    @Test(arguments: [
        (["--seeds", "0"], "--seeds must be a positive number"),
        (["--iterations", "0"], "--iterations must be a positive number"),
        (["--iterations", "-5"], "--iterations"),
        (["--batch-size", "0"], "--batch-size must be a positive number"),
        (["--dataset", "cifar"], "The value 'cifar' is invalid for '--dataset <name>'"),
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

    /// A report from an earlier run, which a failed run must leave byte for byte.
    static let earlierReport: String = {
        let output = temporaryFolder()
        _ = try! run("chapter-weight-decay", ["--quick", "--output", output, "--epochs", "2", "--seeds", "1", "--lambdas", "0"])
        return output
    }()

    @Test(arguments: [
        ("chapter-batch-norm", ["--scales", "1,0"], "--scales: every value must be a positive number, got 0"),
        ("chapter-batch-norm", ["--scales", "1,x"], "--scales"),
        ("chapter-weight-decay", ["--lambdas", "-1"], "--lambdas: every value must be a number of at least 0, got -1"),
        ("chapter-dropout", ["--ratios", "1"], "--ratios: every value must be at least 0 and below 1, got 1"),
        ("chapter-overfitting", ["--sizes", "300,0"], "--sizes: every value must be a whole number of images above 0, got 0"),
        ("chapter-overfitting", ["--train-size", "50000"], "--train-size: 50000 training images asked for, but MNIST has 4000"),
        ("chapter-dropout", ["--epochs", "0"], "--epochs must be a positive number, got 0"),
        ("chapter-weight-decay", ["--iterations", "5"], "Unknown option '--iterations'"),
    ])
    func badChapterSettingsAreOneLineErrorsAndKeepTheEarlierReport(chapter: String, arguments: [String], message: String) throws {
        let output = Self.earlierReport
        let before = try String(contentsOfFile: output + "/weight-decay/README.md", encoding: .utf8)
        let outcome = try Self.run(chapter, arguments + ["--output", output])
        #expect(outcome.status != 0)
        #expect(outcome.stderr.split(separator: "\n").count == 1 && outcome.stderr.contains(message), "stderr: \(outcome.stderr)")
        #expect(try String(contentsOfFile: output + "/weight-decay/README.md", encoding: .utf8) == before)
        let written = try FileManager.default.contentsOfDirectory(atPath: output)
        #expect(written == ["weight-decay"])
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

    /// Without the network, the full MNIST cannot be fetched: the chapter says so on one line, runs on
    /// the 5,000 embedded digits, and every page says so under its title.
    @Test func withoutTheNetworkAChapterSaysItRunsOnTheEmbeddedDigits() throws {
        let output = Self.temporaryFolder(), fetched = Self.temporaryFolder()
        let outcome = try Self.run("chapter-weight-decay", ["--quick", "--dataset", "mnist", "--epochs", "2", "--seeds", "1",
                                                            "--lambdas", "0", "--output", output],
                                   environment: ["MNIST_FETCH_DIR": fetched, "MNIST_MIRROR": "http://127.0.0.1:9",
                                                 "MNIST_PYPI_SIMPLE": "http://127.0.0.1:9/simple", "MNIST_FETCH_TIMEOUT": "3"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let warning = outcome.stderr.split(separator: "\n").filter { $0.contains("warning: the full MNIST could not be fetched") }
        #expect(warning.count == 1 && warning[0].contains("127.0.0.1:9") && warning[0].contains("embedded digits"), "\(outcome.stderr)")
        let markdown = try String(contentsOfFile: output + "/weight-decay/README.md", encoding: .utf8)
        let banner = markdown.split(separator: "\n").prefix(4).first { $0.hasPrefix("> **Not the course's data.**") }
        #expect(banner?.contains("5,000 embedded digits") == true, "\(markdown.prefix(600))")
        let results = try ResultsFile.read(output + "/weight-decay/results.json")
        #expect(results.settings["dataset"]?.stringValue?.contains("4000 training and 1000 test") == true)
        // Nothing was left behind in the folder the fetch would have filled.
        #expect((try? FileManager.default.contentsOfDirectory(atPath: fetched))?.isEmpty ?? true)
    }

    /// The options every chapter takes (`ChapterOptions`).
    static let sharedOptions: Set<String> = ["--quick", "--seeds", "--seed", "--max-seeds", "--output", "--formats", "--data",
                                             "--dataset", "--jobs", "--cache", "--no-cache", "--help"]

    /// A chapter's options as its command declares them, and how its --help describes each.
    static func options(_ chapter: String) throws -> [(name: String, help: String)] {
        let dump = try run("chapter-" + chapter, ["--experimental-dump-help"])
        let json = try JSONSerialization.jsonObject(with: Data(dump.stdout.utf8)) as? [String: Any]
        let arguments = (json?["command"] as? [String: Any])?["arguments"] as? [[String: Any]] ?? []
        let names = arguments.compactMap { argument in
            (argument["names"] as? [[String: Any]])?.first { $0["kind"] as? String == "long" }?["name"] as? String
        }
        let lines = try run("chapter-" + chapter, ["--help"]).stdout.split(separator: "\n").map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        // Each option's paragraph of --help: from its line to the next option's.
        return names.map { name in
            let option = "--" + name
            guard let start = lines.firstIndex(where: { line in
                [option + " ", ", " + option].contains { line.hasPrefix($0) || line.contains($0) } || line == option
            }) else { return (option, "") }
            let rest = lines[(start + 1)...].prefix { !$0.hasPrefix("-") && !$0.isEmpty }
            return (option, ([lines[start]] + rest).joined(separator: " "))
        }
    }

    @Test(arguments: try! ChapterRegistry.names())
    func helpExplainsEveryOption(chapter: String) throws {
        let options = try Self.options(chapter)
        #expect(Self.sharedOptions.isSubset(of: Set(options.map(\.name))))
        for option in options {
            #expect(!option.help.isEmpty, "chapter-\(chapter) --help does not mention \(option.name)")
        }
    }

    /// The README's table of each chapter's own options names every one of them with the default
    /// its --help gives: the table is checked against the one place the defaults come from.
    @Test(arguments: try! ChapterRegistry.names())
    func theReadmeGivesEachOptionWithTheDefaultHelpGives(chapter: String) throws {
        let readme = try String(contentsOfFile: SourceExcerpt.repositoryRoot + "/README.md", encoding: .utf8)
        let row = try #require(readme.split(separator: "\n").first { line in
            guard line.hasPrefix("| ") else { return false }
            let first = line.dropFirst(2).prefix { $0 != "|" }
            return first.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.contains(chapter)
        }, "README.md has no row of options for \(chapter)")
        for option in try Self.options(chapter) where !Self.sharedOptions.contains(option.name) {
            #expect(row.contains("`" + option.name), "README.md's row for \(chapter) does not name \(option.name)")
            // "(default 301, 20 with --quick)" or "(default: 0,0.1,0.2)": the value up to ", ", ";" or ")".
            guard let range = option.help.range(of: #"default:? [^;)]+"#, options: .regularExpression) else { continue }
            let value = option.help[range].split(separator: " ", maxSplits: 1)[1].components(separatedBy: ", ")[0]
                .trimmingCharacters(in: CharacterSet(charactersIn: ". "))
            #expect(row.contains(value), "README.md's row for \(chapter) does not give \(option.name)'s default \(value)")
        }
    }

    /// Chapters read top to bottom at 120 columns: no line is longer outside a multi-line string
    /// literal (the prose, wrapped in the source with a trailing backslash where it runs on).
    @Test func chaptersFitIn120Columns() throws {
        let root = SourceExcerpt.repositoryRoot + "/chapters"
        let files = try FileManager.default.subpathsOfDirectory(atPath: root).filter { $0.hasSuffix(".swift") }
        #expect(files.count >= 8)
        for file in files {
            var insideProse = false
            let lines = try String(contentsOfFile: root + "/" + file, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
            for (number, line) in lines.enumerated() {
                let delimiters = line.components(separatedBy: "\"\"\"").count - 1
                let prose = insideProse || (delimiters % 2 == 1 && insideProse)
                if delimiters % 2 == 1 { insideProse.toggle() }
                #expect(prose || line.count <= 120, "chapters/\(file):\(number + 1) is \(line.count) columns")
            }
        }
    }

    @Test func theRegistryListsEveryChapterFolderAndEachIsBuilt() throws {
        let names = try ChapterRegistry.names()
        let root = SourceExcerpt.repositoryRoot + "/chapters"
        let folders = try FileManager.default.contentsOfDirectory(atPath: root).filter {
            FileManager.default.fileExists(atPath: root + "/" + $0 + "/main.swift") && $0 != "report-index"
        }
        #expect(Set(names) == Set(folders) && names.count == folders.count)
        for name in names { #expect(FileManager.default.isExecutableFile(atPath: Self.products.appendingPathComponent("chapter-" + name).path)) }
        // The Makefile's `make report` runs them in the registry's order.
        let make = Process()
        make.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        make.arguments = ["make", "-s", "-C", SourceExcerpt.repositoryRoot, "--no-print-directory", "-n", "report"]
        let pipe = Pipe()
        make.standardOutput = pipe
        try make.run()
        let plan = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        make.waitUntilExit()
        #expect(plan.contains("for chapter in " + names.map { "chapter-" + $0 }.joined(separator: " ") + ";"))
    }
}

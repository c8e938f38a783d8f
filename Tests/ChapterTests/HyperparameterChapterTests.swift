import Foundation
import Report
import Testing

/// The hyperparameter chapter as a user runs it: whole, in shards and merged, and with bad input.
struct HyperparameterChapterTests {
    typealias Run = ChapterRunTests

    @Test func aQuickRunWritesItsReportWithEveryTrial() throws {
        let (folder, results, outcome) = try Run.quickRun("hyperparameters", [], labels: ["random", "coarse-to-fine", "bayes", "hyperband", "random-2x"],
            metrics: ["best_val_so_far"], seeds: [1, 2])
        // Every trial is in results.json: 12 for each of the notes' three methods, twice that for
        // random-2x, and Hyperband's 22 (R = 10, eta = 3: rungs of 9, 3, 1; 5, 1; 3), for each seed.
        let trials = try #require(results.trials)
        #expect(trials.count == 2 * (3 * 12 + 24 + 22))
        let rows = trials.compactMap(\.objectValue)
        #expect(rows.allSatisfy { Set($0.keys).isSuperset(of: ["method", "seed", "trial", "round", "learning_rate", "weight_decay", "epochs", "val_acc", "train_acc", "diverged"]) })
        let hyperband = rows.filter { $0["method"]?.stringValue == "hyperband" && $0["seed"]?.numberValue == 1 }
        #expect(hyperband.compactMap { $0["epochs"]?.numberValue }.sorted() == [1, 1, 1, 1, 1, 1, 1, 1, 1, 3, 3, 3, 3, 3, 3, 3, 3, 10, 10, 10, 10, 10])
        // A line for each trial as it ends: a run that two methods share within one batch of trials
        // (random-2x's first 12 are random search's) is trained once and shown once, under the
        // first; every other line names a trial that results.json holds, or one of the wider
        // search's 6 for each seed.
        let distinct = Set(rows.map { "\($0["seed"]!) \($0["learning_rate"]!) \($0["weight_decay"]!) \($0["epochs"]!)" })
        let lines = outcome.stdout.split(separator: "\n").filter { $0.contains(" #") && $0.contains("best so far") }
        let named = Set(rows.map { "\($0["method"]!.stringValue!) seed \(Int($0["seed"]!.numberValue!)) #\(Int($0["trial"]!.numberValue!)):" })
        let wider = lines.filter { !named.contains(String($0.prefix { $0 != ":" }) + ":") }
        #expect(wider.count == 2 * 6 && wider.allSatisfy { $0.hasPrefix("bayes (wider range) seed") }, "\(wider.prefix(3))")
        #expect(lines.count - wider.count >= distinct.count && lines.count - wider.count < trials.count,
                "\(lines.count) trial lines for \(distinct.count) distinct runs")
        #expect(distinct.count < trials.count)
        let curves = results.series.filter { $0.label.hasPrefix("random #") }
        #expect(!curves.isEmpty && Set(curves.map(\.metric)) == ["val_acc", "train_acc"])
        #expect(curves.allSatisfy { $0.x == (0...10).map(Double.init) && $0.seed == 1 })
        // The chosen settings were measured on the test set once per method and seed.
        #expect(results.summary["test"]?.arrayValue?.count == 5 * 2)
        for name in ["best-trials.png", "trials.png", "best-so-far.png", "trials.csv", "every-trial.csv", "importance.png", "surface.png"] {
            #expect(FileManager.default.fileExists(atPath: folder + "/" + name), "\(name)")
        }
        let csv = try String(contentsOfFile: folder + "/every-trial.csv", encoding: .utf8).split(separator: "\n")
        #expect(csv.count == trials.count + 1 && csv[0].contains("val_acc") && csv[0].contains("diverged"))
    }

    /// results.json without what may differ between two runs of the same numbers (wall time).
    static func numbers(_ path: String) throws -> (series: [Series], summary: [String: JSONValue], trials: [JSONValue]?) {
        var results = try ResultsFile.read(path)
        results.summary["wall_time_seconds"] = nil
        return (results.series, results.summary, results.trials)
    }

    @Test func shardsMergedGiveTheNumbersOfAWholeRun() throws {
        let options = ["--quick", "--seeds", "1", "--trials", "8", "--epochs", "3"]
        let whole = Run.temporaryFolder(), sharded = Run.temporaryFolder()
        #expect(try Run.run("chapter-hyperparameters", options + ["--output", whole]).status == 0)
        for shard in ["1/3", "2/3", "3/3"] {
            let outcome = try Run.run("chapter-hyperparameters", options + ["--shard", shard, "--output", sharded])
            #expect(outcome.status == 0, "\(outcome.stderr)")
            #expect(outcome.stdout.contains("wrote \(sharded)/hyperparameters/stage-1-shard-\(shard.first!)-of-3.json (stage 1"))
        }
        #expect(!FileManager.default.fileExists(atPath: sharded + "/hyperparameters/README.md"))
        let files = (1...3).map { "\(sharded)/hyperparameters/stage-1-shard-\($0)-of-3.json" }
        let merge = try Run.run("chapter-hyperparameters", options + ["--merge"] + files + ["--output", sharded])
        #expect(merge.status == 0, "\(merge.stderr)")
        let a = try Self.numbers(whole + "/hyperparameters/results.json"), b = try Self.numbers(sharded + "/hyperparameters/results.json")
        #expect(a.series.count >= 4 + 2 * 8 && a.series == b.series)
        #expect(a.summary == b.summary && a.trials == b.trials)

        // A set that is incomplete, or made with other settings, is refused in one line and writes nothing.
        let before = try String(contentsOfFile: sharded + "/hyperparameters/README.md", encoding: .utf8)
        for (arguments, message) in [(options + ["--merge", files[0], files[2]], "incomplete set of shards: 2 of 3 missing"),
                                     (["--quick", "--seeds", "1", "--trials", "8", "--epochs", "4", "--merge"] + files,
                                      "was made with other settings than this merge (epochs: 3 in the file, 4 here)"),
                                     (options + ["--merge", files[0], "/nonexistent/stage-1-shard-2-of-3.json"], "cannot read shard file /nonexistent/stage-1-shard-2-of-3.json")] {
            let outcome = try Run.run("chapter-hyperparameters", arguments + ["--output", sharded])
            #expect(outcome.status != 0)
            #expect(outcome.stderr.split(separator: "\n").count == 1 && outcome.stderr.contains(message), "stderr: \(outcome.stderr)")
            #expect(try String(contentsOfFile: sharded + "/hyperparameters/README.md", encoding: .utf8) == before)
        }
    }

    @Test(arguments: [
        (["--method", "grid"], "The value 'grid' is invalid for '--method <name>'"),
        (["--trials", "1"], "--trials must be at least 2, got 1"),
        (["--lr-range", "-2,-6"], "--lr-range takes two powers of ten, the lower first, got -2,-6"),
        (["--shard", "3/2"], "--shard"),
        (["--shard", "1/2", "--merge", "x.json"], "--shard, --combine and --merge do not go together"),
        (["--train-size", "9000"], "--train-size: 9000 training images asked for, but MNIST has 4000"),
    ])
    func badSettingsAreOneLineErrors(arguments: [String], message: String) throws {
        let output = Run.temporaryFolder()
        let outcome = try Run.run("chapter-hyperparameters", arguments + ["--output", output])
        #expect(outcome.status != 0)
        #expect(outcome.stderr.split(separator: "\n").count == 1 && outcome.stderr.contains(message), "stderr: \(outcome.stderr)")
        #expect(!FileManager.default.fileExists(atPath: output))
    }
}

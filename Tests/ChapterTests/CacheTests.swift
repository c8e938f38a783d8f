import Runs
import Foundation
import Report
import Testing

/// The run cache as a user meets it: a second `make report` that trains nothing.
struct CacheTests {
    typealias Run = ChapterRunTests

    /// "runs: 12 trained, 3 from the cache in ..." from a chapter's last line.
    static func counts(_ outcome: Run.Outcome) -> (trained: Int, cached: Int)? {
        guard let match = outcome.stdout.range(of: #"runs: (\d+) trained, (\d+) from the cache"#, options: .regularExpression) else { return nil }
        let numbers = outcome.stdout[match].split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
        return (numbers[0], numbers[1])
    }

    static func files(_ folder: String, ending suffixes: [String]) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder) where suffixes.contains(where: name.hasSuffix) {
            files[name] = try Data(contentsOf: URL(fileURLWithPath: folder + "/" + name))
        }
        return files
    }

    @Test func aSecondRunTrainsNothingAndWritesTheSameFiles() throws {
        let cache = Run.temporaryFolder(), first = Run.temporaryFolder(), second = Run.temporaryFolder()
        let options = ["--quick", "--cache", cache, "--epochs", "3", "--sizes", "300,500"]
        let a = try Run.run("chapter-overfitting", options + ["--output", first])
        #expect(a.status == 0, "\(a.stderr)")
        // 2 sizes x 2 seeds, the first 300 measured on unseen images (2 seeds), 300 drawn at random (5 draws), and
        // two smaller networks on the 300 (2 x 2 seeds; the course's network there is the first size's run).
        #expect(Self.counts(a)! == (trained: 15, cached: 0))
        let b = try Run.run("chapter-overfitting", options + ["--output", second])
        #expect(Self.counts(b)! == (trained: 0, cached: 15))
        let one = try Self.files(first + "/overfitting", ending: [".json", ".csv"]), two = try Self.files(second + "/overfitting", ending: [".json", ".csv"])
        #expect(one.keys.sorted() == ["correctness.json", "gap-by-model.csv", "gap-by-size.csv", "overfitting.csv", "provenance.json",
                                      "results.json"])
        #expect(one["results.json"] == two["results.json"] && one["gap-by-size.csv"] == two["gap-by-size.csv"] && one["overfitting.csv"] == two["overfitting.csv"])
        #expect(one["correctness.json"] == two["correctness.json"])
        #expect(one["provenance.json"] != two["provenance.json"])     // when and how: not part of the numbers
        let readme = try String(contentsOfFile: second + "/overfitting/README.md", encoding: .utf8)
        #expect(readme.contains("| training runs | 0 trained, 15 from the cache in \(cache) |"))
    }

    @Test func aChangedSeedRetrainsOnlyItsRuns() throws {
        let cache = Run.temporaryFolder(), output = Run.temporaryFolder()
        let options = ["--quick", "--cache", cache, "--epochs", "2", "--lambdas", "0.01", "--output", output]
        let first = try Run.run("chapter-weight-decay", options + ["--seeds", "2"])
        // λ = 0, 0.01, 0.1 x seeds 1, 2; then λ = 0 and 0.1 trained on until settled, 3 and 5 epochs (their 2 are the sweep's).
        #expect(Self.counts(first)! == (trained: 14, cached: 0))
        // A third seed: only its runs are new, three in the sweep and one per arm and length.
        let second = try Run.run("chapter-weight-decay", options + ["--seeds", "3"])
        #expect(Self.counts(second)! == (trained: 7, cached: 14))
        // The same runs under other labels are the same runs: the overfitting chapter's 300 images are λ = 0
        // (its runs on unseen and on randomly drawn images, 3 + 5, and its two smaller networks, 2 x 3, are its own).
        let overfitting = try Run.run("chapter-overfitting", ["--quick", "--cache", cache, "--epochs", "2", "--sizes", "300", "--seeds", "3",
                                                              "--output", output])
        #expect(Self.counts(overfitting)! == (trained: 14, cached: 3))
    }

    @Test func aCorruptEntryIsComputedAgain() throws {
        let cache = Run.temporaryFolder(), first = Run.temporaryFolder(), second = Run.temporaryFolder()
        let options = ["--quick", "--cache", cache, "--epochs", "2", "--ratios", "0", "--seeds", "1"]
        #expect(try Run.run("chapter-dropout", options + ["--output", first]).status == 0)
        let entries = FileManager.default.enumerator(atPath: cache + "/runs")!.allObjects.compactMap { $0 as? String }.filter { $0.hasSuffix(".json") }.sorted()
        // Dropout 0 and 0.2, for the sweep and trained long: 60 epochs, and 119 where those have not settled.
        #expect(entries.count == 6)
        // One entry replaced by the other's (a whole, valid entry, but of another run), and that
        // other cut in half: neither may be trusted.
        let a = cache + "/runs/" + entries[0], b = cache + "/runs/" + entries[1]
        let bytes = try Data(contentsOf: URL(fileURLWithPath: a))
        try bytes.write(to: URL(fileURLWithPath: b))
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: a))
        let again = try Run.run("chapter-dropout", options + ["--output", second])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(Self.counts(again)! == (trained: 2, cached: 4))
        #expect(try Data(contentsOf: URL(fileURLWithPath: first + "/dropout/results.json")) == Data(contentsOf: URL(fileURLWithPath: second + "/dropout/results.json")))
    }

    @Test func twoChaptersWritingTheSameCacheAtOnceLeaveItWhole() throws {
        let cache = Run.temporaryFolder(), outputs = [Run.temporaryFolder(), Run.temporaryFolder(), Run.temporaryFolder()]
        // The same runs, trained by two processes at the same moment, each writing every entry.
        let options = ["--quick", "--cache", cache, "--epochs", "3", "--lambdas", "0.03", "--jobs", "1"]
        let outcomes = try runInParallel([0, 1], workers: 2) { i in try Run.run("chapter-weight-decay", options + ["--output", outputs[i]]) }
        #expect(outcomes.allSatisfy { $0.status == 0 })
        // Whatever order their writes landed in, every entry is whole: a third run trains nothing.
        let third = try Run.run("chapter-weight-decay", options + ["--output", outputs[2]])
        #expect(Self.counts(third)! == (trained: 0, cached: 14))     // the sweep's 6, and the settling pair at 5 and 9 epochs
        let leftovers = FileManager.default.enumerator(atPath: cache)!.allObjects.compactMap { $0 as? String }.filter { $0.hasSuffix(".tmp") }
        #expect(leftovers.isEmpty)
        let results = try outputs.map { try Data(contentsOf: URL(fileURLWithPath: $0 + "/weight-decay/results.json")) }
        #expect(results[0] == results[1] && results[1] == results[2])
    }
}

import CodeDigest
import Datasets
import Foundation
import NeuralNet
import Testing
@testable import Runs

struct RunCacheTests {
    static let data = try! Dataset.load(.mnist5k, environment: [:])

    static func folder() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("cache-\(UUID().uuidString)").path
    }

    static func runs() -> [TrainingRun] {
        let setup = TrainingSetup(network: NetworkConfiguration(hiddenSizes: [16]), optimizer: .sgd(learningRate: 0.1), batchSize: 20,
                                  length: .epochs(2), data: .first(100))
        return [TrainingRun(label: "a", setup: setup, seed: 1), TrainingRun(label: "b", setup: setup, seed: 2),
                TrainingRun(label: "same as a", setup: setup, seed: 1)]
    }

    @Test func storedRunsComeBackExactlyUnderTheirOwnLabels() {
        let cache = RunCache(folder: Self.folder(), codeVersion: "v1", arithmetic: "test")
        let first = train(Self.runs(), on: Self.data, measuring: [.weightNorm], workers: 2, cache: cache)
        // Runs that differ only in their labels train once.
        #expect(cache.stored == 2 && cache.hits == 0)
        #expect(first[2].run.label == "same as a" && first[2].history == first[0].history)
        let again = RunCache(folder: cache.folder, codeVersion: "v1", arithmetic: "test")     // a second program, reading the same folder
        let second = train(Self.runs(), on: Self.data, measuring: [.weightNorm], workers: 2, cache: again)
        #expect(again.stored == 0 && again.hits == 2)
        #expect(second.map(\.run) == Self.runs())
        #expect(second.map(\.history) == first.map(\.history) && second.map(\.measurements) == first.map(\.measurements))
        #expect(second.map(\.finalTestAccuracy) == first.map(\.finalTestAccuracy))
    }

    @Test func theLedgerCountsTheImagesAProbeMeasures() {
        // A tuning run never trains against the test set, but the probe of three disjoint sets measures it: its
        // forward passes are the test set's and the unseen images', on top of what training and validation cost.
        let setup = TrainingSetup(network: NetworkConfiguration(hiddenSizes: [16]), optimizer: .sgd(learningRate: 0.1), batchSize: 20,
                                  length: .epochs(1), data: .tuning(first: 100, validationFraction: 0.2, split: 1))
        let run = [TrainingRun(label: "t", setup: setup, seed: 1)]
        func evaluation(_ probes: [Probe]) -> Double {
            let cache = RunCache(folder: Self.folder(), codeVersion: "v1", arithmetic: "test")
            _ = train(run, on: Self.data, measuring: probes, workers: 1, cache: cache)
            return cache.ledger.total.evaluationFlops
        }
        let forward = setup.network.forwardFlopsPerSample, plain = evaluation([])
        #expect(abs(evaluation([.disjointSets(unseen: 500)]) - plain - Double(Self.data.test.count + 500) * forward) < 1)
        #expect(abs(evaluation([.unseen(500)]) - plain - 500 * forward) < 1)
    }

    /// Each run's cost is stored with it: a program that reads the runs back has the ledger of the
    /// program that trained them, and trains nothing.
    @Test func aWarmCacheCarriesItsColdLedger() {
        let cache = RunCache(folder: Self.folder(), codeVersion: "v1", arithmetic: "test")
        _ = train(Self.runs(), on: Self.data, measuring: [.weightNorm], workers: 2, cache: cache)
        let cold = cache.ledger.total
        // Two distinct runs (the third repeats the first under another label), each with its steps and products counted.
        #expect(cold.networks == 2 && cold.iterations > 0 && cold.trainingFlops > 0 && cold.seconds > 0 && cold.limitFlops > 0)
        #expect(cache.ledger.trainedHere == cold && cache.ledger.wallSeconds > 0 && cache.ledger.busyShare > 0)
        let warm = RunCache(folder: cache.folder, codeVersion: "v1", arithmetic: "test")
        _ = train(Self.runs(), on: Self.data, measuring: [.weightNorm], workers: 2, cache: warm)
        #expect(warm.hits == 2 && warm.ledger.total == cold)
        #expect(warm.ledger.trainedHere.networks == 0 && warm.ledger.wallSeconds == 0 && warm.ledger.runsWithoutCost == 0)
    }

    @Test func whichImagesARunGotRightAreStoredWithIt() {
        let cache = RunCache(folder: Self.folder(), codeVersion: "v1", arithmetic: "test")
        let run = Array(Self.runs().prefix(1))
        let first = train(run, on: Self.data, measuring: [.heldOut], workers: 1, cache: cache)[0]
        let marks = first.marks[.heldOutAccuracy]
        // The held-out images (the test set and the training images after the first 100) and the test set alone.
        #expect(marks?.accuracy == first.measurements[.heldOutAccuracy] && marks?.count == Int(first.measurements[.heldOutImages]!))
        #expect(first.finalTestCorrectness?.accuracy == first.finalTestAccuracy && first.finalTestCorrectness?.count == Self.data.test.count)
        let again = RunCache(folder: cache.folder, codeVersion: "v1", arithmetic: "test")
        let stored = train(run, on: Self.data, measuring: [.heldOut], workers: 1, cache: again)[0]
        #expect(again.hits == 1 && stored.marks == first.marks && stored.finalTestCorrectness == first.finalTestCorrectness)
    }

    @Test func aMemoIsComputedOnceForItsMaterialAndNeverWhenTheCacheIsOff() {
        let folder = Self.folder()
        var calls = 0
        func value(_ cache: RunCache, _ material: String) -> [Double] { cache.memo("test", material: material) { calls += 1; return [Double(calls), .nan] } }
        let first = value(RunCache(folder: folder, codeVersion: "v1", arithmetic: "t"), "a")
        // A second program with the same folder reads it back; other material is computed afresh.
        let again = value(RunCache(folder: folder, codeVersion: "v1", arithmetic: "t"), "a")
        #expect(calls == 1 && again[0] == first[0] && again[1].isNaN)
        let other = value(RunCache(folder: folder, codeVersion: "v1", arithmetic: "t"), "b")
        #expect(calls == 2 && other[0] == 2)
        _ = value(.off, "a"); _ = value(.off, "a")
        #expect(calls == 4)
    }

    @Test func anEntryIsUsedOnlyWhenEverythingThatDecidesTheRunAgrees() {
        let folder = Self.folder()
        let runs = Array(Self.runs().prefix(1))
        _ = train(runs, on: Self.data, workers: 1, cache: RunCache(folder: folder, codeVersion: "v1", arithmetic: "test"))
        func hits(code: String = "v1", arithmetic: String = "test", probes: [Probe] = [], dataset: Dataset = Self.data,
                  change: (inout TrainingSetup) -> Void = { _ in }) -> Int {
            let cache = RunCache(folder: folder, codeVersion: code, arithmetic: arithmetic)
            var run = runs[0]
            change(&run.setup)
            return cache.load(run, probes: probes, dataset: dataset) == nil ? 0 : 1
        }
        #expect(hits() == 1)
        #expect(hits(code: "v2") == 0)                                   // another version of the code
        #expect(hits(arithmetic: "other kernels") == 0)                  // other BLAS kernels
        #expect(hits(probes: [.weightNorm]) == 0)                        // a probe the entry does not hold
        #expect(hits { $0.batchSize = 10 } == 0)                          // another setting
        let shuffled = Dataset(name: "MNIST", source: "test", training: Self.data.training.subset(Array((0..<4000).reversed())), test: Self.data.test)
        #expect(hits(dataset: shuffled) == 0)                            // other data (the same images, another order)
        #expect(RunCache.off.load(runs[0], probes: [], dataset: Self.data) == nil)
    }

    @Test func probesAreKeptWithTheirRunAndAddedWhenNew() {
        let cache = RunCache(folder: Self.folder(), codeVersion: "v1", arithmetic: "test")
        let run = Array(Self.runs().prefix(1))
        _ = train(run, on: Self.data, workers: 1, cache: cache)
        // Asked for with a probe it was not measured with, the run trains again; then both are there.
        let probed = train(run, on: Self.data, measuring: [.weightNorm], workers: 1, cache: cache)
        #expect(cache.stored == 2 && probed[0].measurements[.weightNorm] != nil)
        #expect(cache.load(run[0], probes: [], dataset: Self.data) != nil)
        #expect(cache.load(run[0], probes: [.weightNorm], dataset: Self.data)?.measurements == probed[0].measurements)
    }

    /// The files under `folder` (relative to the checkout) that the build compiles: Swift, C and headers.
    static func sources(in folder: String, root: String) -> [String] {
        let path = root + "/" + folder
        let files = (FileManager.default.enumerator(atPath: path)?.allObjects as? [String]) ?? []
        return files.filter { [".swift", ".c", ".h"].contains(where: $0.hasSuffix) }.map { folder + "/" + $0 }
    }

    @Test func theCodeVersionCoversEverySourceOfTheLibrariesThatTrain() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
        let digested = Set(SourceDigest.files)
        // The libraries that decide a run's numbers are all in the digest...
        let folders = Set(digested.map { $0.split(separator: "/").prefix(2).joined(separator: "/") })
        for library in ["Sources/NumericCore", "Sources/CFloatControl", "Sources/NeuralNet", "Sources/Engine", "Sources/Datasets", "Sources/Runs"] {
            #expect(folders.contains(library), "\(library) is not in the cache key")
        }
        // ...with every one of their files, and nothing from the notebook layer, figures or chapters.
        for folder in folders {
            for file in Self.sources(in: folder, root: root) { #expect(digested.contains(file), "\(file) is not in the cache key") }
        }
        // Nor anything that only shows them: rewording a metric's name or meaning (Analysis), a
        // caption or a figure keeps every entry.
        for shown in ["Notebook", "Plot", "Report", "Analysis", "Formatting", "Claims", "Statistics", "Site"] {
            #expect(!folders.contains("Sources/" + shown), "\(shown) is in the cache key")
        }
        #expect(!digested.contains("Sources/Analysis/Words.swift"))
        // The packages the libraries use, by the version Package.resolved pins, and the compiler.
        let resolved = try String(contentsOfFile: root + "/Package.resolved", encoding: .utf8)
        let numerics = try #require(SourceDigest.packages.first { $0.hasPrefix("swift-numerics ") })
        #expect(resolved.contains("\"version\" : \"\(numerics.split(separator: " ")[1])\""))
        #expect(SourceDigest.packages.allSatisfy { !$0.hasPrefix("swift-argument-parser") })
        #expect(SourceDigest.compiler.hasPrefix("Swift version "))
        // The digest is of exactly those files as they are now, each without its comments, then
        // the packages and the compiler.
        var contents = try SourceDigest.files.map { try String(contentsOfFile: root + "/" + $0, encoding: .utf8) }
        #expect(try Self.digest(SourceDigest.files, contents) == SourceDigest.value && RunCache.codeVersion == SourceDigest.value)
        // A comment, a doc comment or an excerpt marker changes nothing; a change of code does.
        let trainer = try #require(SourceDigest.files.firstIndex(of: "Sources/Engine/Trainer.swift"))
        let original = contents[trainer]
        contents[trainer] = original.replacingOccurrences(of: "// BEGIN training-step", with: "// BEGIN step\n        /// What a step does.")
            .replacingOccurrences(of: "public final class Trainer", with: "// Reworded.\npublic final class Trainer")
        let reworded = try Self.digest(SourceDigest.files, contents)
        #expect(contents[trainer] != original && reworded == SourceDigest.value)
        contents[trainer] = original.replacingOccurrences(of: "(iteration + 1) % 50 == 0", with: "(iteration + 1) % 40 == 0")
        let changed = try Self.digest(SourceDigest.files, contents)
        #expect(contents[trainer] != original && changed != SourceDigest.value)
    }

    /// The digest the build computes (see `SourceDigest`), of `files` holding `contents`: each file's
    /// name and code without comments (`CodeText`), the packages and the compiler, through sha256sum.
    static func digest(_ files: [String], _ contents: [String]) throws -> String {
        let text = zip(files, contents).map { "== \($0)\n" + CodeText.withoutComments($1, language: .init(path: $0)) + "\n" }.joined()
            + (SourceDigest.packages + [SourceDigest.compiler]).map { $0 + "\n" }.joined()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "sha256sum | cut -c1-32"]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(Data(text.utf8))
        try input.fileHandleForWriting.close()
        let digest = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return digest.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func datasetsAreIdentifiedByTheirContents() {
        let again = try! Dataset.load(.mnist5k, environment: [:])
        #expect(again.identity == Self.data.identity && Self.data.identity.count == 32)
        let fewer = Dataset(name: "MNIST", source: "x", training: Self.data.training.prefix(3999), test: Self.data.test)
        #expect(fewer.identity != Self.data.identity)
    }
}

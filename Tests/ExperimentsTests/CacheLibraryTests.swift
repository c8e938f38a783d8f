import Datasets
import Foundation
import NeuralNet
import Testing
@testable import Experiments

struct RunCacheTests {
    static let data = try! Dataset.load(.mnist, environment: [:])

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
        let first = train(Self.runs(), on: Self.data, measuring: [.weightNorm], title: "t", workers: 2, cache: cache)
        // Runs that differ only in their labels train once.
        #expect(cache.stored == 2 && cache.hits == 0)
        #expect(first[2].run.label == "same as a" && first[2].history == first[0].history)
        let second = train(Self.runs(), on: Self.data, measuring: [.weightNorm], title: "t", workers: 2, cache: cache)
        #expect(cache.stored == 2 && cache.hits == 2)
        #expect(second.map(\.run) == Self.runs())
        #expect(second.map(\.history) == first.map(\.history) && second.map(\.measurements) == first.map(\.measurements))
        #expect(second.map(\.finalTestAccuracy) == first.map(\.finalTestAccuracy))
    }

    @Test func anEntryIsUsedOnlyWhenEverythingThatDecidesTheRunAgrees() {
        let folder = Self.folder()
        let runs = Array(Self.runs().prefix(1))
        _ = train(runs, on: Self.data, title: "t", workers: 1, cache: RunCache(folder: folder, codeVersion: "v1", arithmetic: "test"))
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
        _ = train(run, on: Self.data, title: "t", workers: 1, cache: cache)
        // Asked for with a probe it was not measured with, the run trains again; then both are there.
        let probed = train(run, on: Self.data, measuring: [.weightNorm], title: "t", workers: 1, cache: cache)
        #expect(cache.stored == 2 && probed[0].measurements["weight norm"] != nil)
        #expect(cache.load(run[0], probes: [], dataset: Self.data) != nil)
        #expect(cache.load(run[0], probes: [.weightNorm], dataset: Self.data)?.measurements == probed[0].measurements)
    }

    @Test func theCodeVersionFollowsTheSourcesThatDecideTheNumbers() throws {
        let root = Self.folder()
        for entry in RunCache.decidingSources {
            let path = root + "/" + entry
            if entry.hasSuffix(".swift") {
                try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try "let a = 1\n".write(toFile: path, atomically: true, encoding: .utf8)
            } else {
                try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
                try "let b = 2\n".write(toFile: path + "/File.swift", atomically: true, encoding: .utf8)
            }
        }
        try FileManager.default.createDirectory(atPath: root + "/chapters/demo", withIntermediateDirectories: true)
        try "print(1)\n".write(toFile: root + "/chapters/demo/main.swift", atomically: true, encoding: .utf8)
        let version = try #require(RunCache.codeVersion(root: root))
        // Prose in a chapter does not decide any number...
        try "print(2) // a new caption\n".write(toFile: root + "/chapters/demo/main.swift", atomically: true, encoding: .utf8)
        #expect(RunCache.codeVersion(root: root) == version)
        // ...the network library does.
        try "let b = 3\n".write(toFile: root + "/Sources/NeuralNet/File.swift", atomically: true, encoding: .utf8)
        #expect(RunCache.codeVersion(root: root) != version)
        // Without the sources, nothing can be trusted: no version.
        try FileManager.default.removeItem(atPath: root + "/Sources/Datasets")
        #expect(RunCache.codeVersion(root: root) == nil)
    }

    @Test func datasetsAreIdentifiedByTheirContents() {
        let again = try! Dataset.load(.mnist, environment: [:])
        #expect(again.identity == Self.data.identity && Self.data.identity.count == 32)
        let fewer = Dataset(name: "MNIST", source: "x", training: Self.data.training.prefix(3999), test: Self.data.test)
        #expect(fewer.identity != Self.data.identity)
    }
}

import Foundation
import NumericCore
import Runs

/// One share of a stage of a search, `--shard i/n` (1 ≤ i ≤ n): run k of the stage goes to shard
/// `k mod n + 1`. A run's numbers never depend on what trains beside it, so the merged shards come
/// out as the unsharded search does, to the last bit. `init?(argument:)` reads the command line's form.
public struct Shard: Sendable, Hashable, CustomStringConvertible {
    public let index: Int
    public let count: Int

    public init?(argument: String) {
        let parts = argument.split(separator: "/")
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]), n >= 1, (1...n).contains(i) else { return nil }
        index = i
        count = n
    }

    public init(index: Int, count: Int) {
        precondition((1...count).contains(index), "shard \(index) of \(count)")
        self.index = index
        self.count = count
    }

    public var description: String { "\(index)/\(count)" }

    /// This shard's share of a stage's `runs`: run k (from 0) goes to shard `k mod n + 1`. A run's
    /// numbers do not depend on the runs trained beside it, so any split gives the same results.
    public func share(of runs: [TrainingRun]) -> [TrainingRun] {
        runs.enumerated().filter { $0.offset % count == index - 1 }.map(\.element)
    }

    /// `stage-<k>-shard-<i>-of-<n>.json`
    public func fileName(stage: Int) -> String { "stage-\(stage)-shard-\(index)-of-\(count).json" }
}

/// What a shard leaves for the merge: the settings it ran with, which stage and shard it was, and its trials.
public struct ShardFile: Codable, Sendable {
    public var settings: SearchSettings
    public var stage: Int
    public var shard: Int
    public var of: Int
    public var results: [RunResult]
}

/// Every run trained up to and including a stage: what the next stage's shards start from.
public struct StageFile: Codable, Sendable {
    public var settings: SearchSettings
    public var stage: Int
    public var results: [RunResult]

    /// `stage-<k>.json`
    public static func fileName(stage: Int) -> String { "stage-\(stage).json" }
}

/// Why a set of shard files cannot be merged; each description is one line.
public enum ShardError: Error, CustomStringConvertible, Equatable {
    case unreadable(String, String)
    case differentSettings(String, String)
    case mixedCounts(String, Int, Int)
    case duplicate(Int, Int, String, String)
    case missing([Int], Int)
    case wrongTrials(String, Int, Int)
    case wrongStage(String, Int, Int)
    case complete

    public var description: String {
        switch self {
        case let .unreadable(path, reason): "cannot read shard file \(path): \(reason)"
        case let .differentSettings(path, detail):
            "\(path) was made with other settings than this merge (\(detail)); merge with the options the shards ran with"
        case let .mixedCounts(path, count, expected): "\(path) is one of \(count) shards, the first file one of \(expected)"
        case let .duplicate(index, count, a, b): "shard \(index) of \(count) is given twice: \(a) and \(b)"
        case let .missing(indices, count):
            "incomplete set of shards: " + indices.map { "\($0)" }.joined(separator: ", ") + " of \(count) missing"
        case let .wrongTrials(path, index, count): "\(path) does not hold the trials of shard \(index) of \(count)"
        case let .wrongStage(path, stage, expected): "\(path) holds stage \(stage), but the stage to merge is \(expected) (give the stage file before it with --after)"
        case .complete: "every stage of this search is already trained: there is nothing left to shard"
        }
    }
}

extension HyperparameterSearch {
    /// The first stage of the search that `known` does not hold: its number (1 for the first)
    /// and the distinct runs that train it, in order; nil once every stage is known.
    public func nextStage(after known: [RunResult]) -> (stage: Int, runs: [TrainingRun])? {
        let results = Dictionary(known.map { (RunIdentity($0.run), $0) }, uniquingKeysWith: { a, _ in a })
        var driver = SearchDriver(settings.strategies, seeds: settings.seeds, workers: workers, cache: cache)
        while case let trials = driver.nextTrials(), !trials.isEmpty {
            let runs = trials.map { settings.run($0) }
            guard runs.allSatisfy({ results[RunIdentity($0)] != nil }) else {
                var seen = Set<RunIdentity>()
                return (driver.stages + 1, runs.filter { results[RunIdentity($0)] == nil && seen.insert(RunIdentity($0)).inserted })
            }
            driver.record(trials, runs.map { TrainingObjective.outcome(results[RunIdentity($0)]!) })
        }
        return nil
    }

    /// The runs that shard `shard` of the next stage after `known` trains.
    public func runs(of shard: Shard, after known: [RunResult] = []) -> (stage: Int, runs: [TrainingRun])? {
        nextStage(after: known).map { ($0.stage, shard.share(of: $0.runs)) }
    }

    /// Trains one shard of the next stage after `known` and writes it, atomically, into `folder`.
    public func writeShard(_ shard: Shard, after known: [RunResult] = [], into folder: String) throws -> (path: String, stage: Int, trials: Int) {
        guard let (stage, runs) = runs(of: shard, after: known) else { throw ShardError.complete }
        let results = settings.train(runs, on: dataset, workers: workers, cache: cache)
        let path = (folder as NSString).appendingPathComponent(shard.fileName(stage: stage))
        try write(ShardFile(settings: settings, stage: stage, shard: shard.index, of: shard.count, results: results), to: path)
        return (path, stage, runs.count)
    }

    /// Writes every run known after a complete stage, for the next stage's shards.
    public func writeStage(_ stage: Int, results: [RunResult], into folder: String) throws -> String {
        let path = (folder as NSString).appendingPathComponent(StageFile.fileName(stage: stage))
        try write(StageFile(settings: settings, stage: stage, results: results), to: path)
        return path
    }

    func write(_ value: some Encodable, to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try AtomicFile.write(Array(try encoder.encode(value)), to: path)
    }

    /// The runs of a stage file made with this search's settings.
    public func readStage(_ path: String) throws -> [RunResult] {
        let file: StageFile = try Self.decode(path)
        if file.settings != settings { throw ShardError.differentSettings(path, Self.difference(file.settings, settings)) }
        return file.results
    }

    /// The trials of a complete set of shard files of the stage that follows `known`, made with
    /// this search's settings, or a one-line error saying what is wrong: an unreadable file, other
    /// settings, another stage, shards of different sets, one given twice, one missing, or a file
    /// whose trials are not its shard's.
    public func readShards(_ paths: [String], after known: [RunResult] = []) throws -> [RunResult] {
        var files: [(path: String, file: ShardFile)] = []
        let next = nextStage(after: known)
        for path in paths {
            let file: ShardFile = try Self.decode(path)
            if file.settings != settings { throw ShardError.differentSettings(path, Self.difference(file.settings, settings)) }
            guard let next, file.stage == next.stage else { throw ShardError.wrongStage(path, file.stage, next?.stage ?? 0) }
            if let first = files.first, file.of != first.file.of { throw ShardError.mixedCounts(path, file.of, first.file.of) }
            if let twin = files.first(where: { $0.file.shard == file.shard }) {
                throw ShardError.duplicate(file.shard, file.of, twin.path, path)
            }
            guard file.of >= 1, (1...file.of).contains(file.shard),
                  file.results.map(\.run) == Shard(index: file.shard, count: file.of).share(of: next.runs) else {
                throw ShardError.wrongTrials(path, file.shard, file.of)
            }
            files.append((path, file))
        }
        guard let count = files.first?.file.of else { throw ShardError.missing([], 0) }
        let missing = (1...count).filter { index in !files.contains { $0.file.shard == index } }
        if !missing.isEmpty { throw ShardError.missing(missing, count) }
        return files.flatMap(\.file.results)
    }

    static func decode<T: Decodable>(_ path: String) throws -> T {
        do {
            return try JSONDecoder().decode(T.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        } catch let error as DecodingError {
            throw ShardError.unreadable(path, "not a file of this search (\(describe(error)))")
        } catch {
            throw ShardError.unreadable(path, (error as NSError).localizedDescription)
        }
    }

    /// "trials: 12 in the file, 100 here": the first setting that differs.
    static func difference(_ theirs: SearchSettings, _ ours: SearchSettings) -> String {
        func fields(_ s: SearchSettings) -> [String: String] {
            let object = (try? JSONSerialization.jsonObject(with: JSONEncoder().encode(s))) as? [String: Any] ?? [:]
            return object.mapValues { value in
                (try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed]))
                    .map { String(decoding: $0, as: UTF8.self) } ?? "\(value)"
            }
        }
        let a = fields(theirs), b = fields(ours)
        let key = Set(a.keys).union(b.keys).sorted().first { a[$0] != b[$0] } ?? "settings"
        return "\(key): \(a[key] ?? "none") in the file, \(b[key] ?? "none") here"
    }

    static func describe(_ error: DecodingError) -> String {
        switch error {
        case let .dataCorrupted(context): context.debugDescription
        case let .keyNotFound(key, _): "no \(key.stringValue)"
        case let .typeMismatch(_, context), let .valueNotFound(_, context): context.debugDescription
        @unknown default: "\(error)"
        }
    }
}

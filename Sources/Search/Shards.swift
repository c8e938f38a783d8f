import Foundation
import NumericCore
import Runs

/// One share of a search's independent trials, `--shard i/n` (1 ≤ i ≤ n): trial k of the list
/// goes to shard `k mod n + 1`. `init?(argument:)` reads the command line's form.
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

    /// `shard-<i>-of-<n>.json`
    public var fileName: String { "shard-\(index)-of-\(count).json" }
}

/// What a shard leaves for the merge: the settings it ran with, which shard it was, and its trials.
public struct ShardFile: Codable, Sendable {
    public var settings: SearchSettings
    public var shard: Int
    public var of: Int
    public var results: [RunResult]
}

/// Why a set of shard files cannot be merged; each description is one line.
public enum ShardError: Error, CustomStringConvertible, Equatable {
    case unreadable(String, String)
    case differentSettings(String, String)
    case mixedCounts(String, Int, Int)
    case duplicate(Int, Int, String, String)
    case missing([Int], Int)
    case wrongTrials(String, Int, Int)

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
        }
    }
}

extension HyperparameterSearch {
    /// The independent trials that shard `shard` runs.
    public func runs(of shard: Shard) -> [TrainingRun] {
        independentRuns().enumerated().filter { $0.offset % shard.count == shard.index - 1 }.map(\.element)
    }

    /// Runs one shard's trials and writes them, atomically, to `<folder>/<shard file name>`.
    public func writeShard(_ shard: Shard, into folder: String) throws -> String {
        let results = train(runs(of: shard), on: dataset, title: "shard \(shard)", workers: workers, cache: cache)
        let path = (folder as NSString).appendingPathComponent(shard.fileName)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try AtomicFile.write(Array(try encoder.encode(ShardFile(settings: settings, shard: shard.index, of: shard.count, results: results))), to: path)
        return path
    }

    /// The trials of a complete set of shard files made with this search's settings, or a one-line
    /// error saying what is wrong: an unreadable file, other settings, shards of different sets,
    /// one given twice, one missing, or a file whose trials are not its shard's.
    public func readShards(_ paths: [String]) throws -> [RunResult] {
        var files: [(path: String, file: ShardFile)] = []
        for path in paths {
            let file: ShardFile
            do {
                file = try JSONDecoder().decode(ShardFile.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
            } catch let error as DecodingError {
                throw ShardError.unreadable(path, "not a shard file (\(Self.describe(error)))")
            } catch {
                throw ShardError.unreadable(path, (error as NSError).localizedDescription)
            }
            if file.settings != settings { throw ShardError.differentSettings(path, Self.difference(file.settings, settings)) }
            if let first = files.first, file.of != first.file.of { throw ShardError.mixedCounts(path, file.of, first.file.of) }
            if let twin = files.first(where: { $0.file.shard == file.shard }) {
                throw ShardError.duplicate(file.shard, file.of, twin.path, path)
            }
            let expected = runs(of: Shard(index: file.shard, count: file.of))
            if file.results.map(\.run) != expected { throw ShardError.wrongTrials(path, file.shard, file.of) }
            files.append((path, file))
        }
        guard let count = files.first?.file.of else { throw ShardError.missing([], 0) }
        let missing = (1...count).filter { index in !files.contains { $0.file.shard == index } }
        if !missing.isEmpty { throw ShardError.missing(missing, count) }
        return files.flatMap(\.file.results)
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

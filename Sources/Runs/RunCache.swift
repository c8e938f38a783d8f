import Datasets
import Engine
import Foundation
import NeuralNet
import NumericCore

/// Finished training runs kept on disk, like a notebook's frozen cells: a run is a pure function of
/// its setup, its seed, the dataset, the code that trains it and the BLAS kernels and threads that
/// do its arithmetic, so it is stored under a key made of exactly those and reused whenever they all
/// agree, by any chapter. What probes measured on the trained network is kept with it, probe by
/// probe, and what training it cost; a run asked for with a probe its entry lacks is trained again
/// and the entry completed.
///
/// An entry carries the key's full text and is used only when that text matches what is asked
/// for; an entry that cannot be read, is cut short, or was written for another key counts as
/// missing and is computed again. Entries are written to a temporary file and renamed, so two
/// programs writing at once never leave half an entry behind.
public final class RunCache: @unchecked Sendable {
    /// Where entries live; nil for a cache that is off and only counts the runs trained.
    public let folder: String?
    /// How the folder is named to a reader (".cache" rather than its whole path).
    public let displayName: String
    /// A digest of the code that decides a run's numbers.
    public let codeVersion: String
    /// The BLAS library, kernels and threads: different kernels round differently in the last bits,
    /// and so does a product split over threads.
    public let arithmetic: String
    /// What the runs used through this cache cost when they were trained (see `CostLedger`).
    public let ledger = CostLedger()
    private let lock = NSLock()
    private var hitCount = 0, storedCount = 0
    /// Entries this process has trained or read, by their key's text: a run asked for twice (a
    /// comparison grown to more seeds) trains once, even with the cache off.
    private var remembered: [String: Entry] = [:]

    public init(folder: String?, displayName: String? = nil, codeVersion: String = RunCache.codeVersion,
                arithmetic: String = BLASRuntime.arithmetic) {
        self.folder = folder
        self.displayName = displayName ?? folder ?? ""
        self.codeVersion = codeVersion
        self.arithmetic = arithmetic
    }

    /// A cache that stores nothing and counts the runs trained.
    public static var off: RunCache { RunCache(folder: nil, codeVersion: "", arithmetic: "") }

    /// The digest of every source compiled into this library and the libraries below it (the
    /// numeric core, the model, the engine, the datasets, the training of runs and the probes),
    /// comments left out, made by the build (see `SourceDigest`). Chapters, figures and reports are
    /// not among them, nor is any comment: editing prose, a caption or a doc comment keeps every entry.
    public static var codeVersion: String { SourceDigest.value }

    /// Runs found in the cache, and runs trained (and stored, when the cache is on), since it was made.
    public var hits: Int { lock.lock(); defer { lock.unlock() }; return hitCount }
    public var stored: Int { lock.lock(); defer { lock.unlock() }; return storedCount }

    /// What decides a run, as text: the key's material. Labels are not in it: the same setup and
    /// seed give the same numbers whatever a chapter calls them.
    func material(_ run: TrainingRun, dataset: Dataset) -> String {
        let setup = String(decoding: (try? Self.keyEncoder.encode(run.setup)) ?? Data(), as: UTF8.self)
        return ["setup \(setup)", "seed \(run.seed)", "batch order \(run.batchOrder)", "dataset \(dataset.identity)", "code \(codeVersion)",
                "arithmetic \(arithmetic)"].joined(separator: "\n")
    }

    func path(forMaterial material: String) -> String? {
        guard let folder else { return nil }
        let key = ContentHash.of(material)
        return (folder as NSString).appendingPathComponent("runs/\(key.prefix(2))/\(key).json")
    }

    /// What an entry holds: the key's text, the run's result without its label, each probe's values,
    /// and what training the run cost.
    struct Entry: Codable {
        var material: String
        var history: TrainingHistory
        var finalTestAccuracy: Double?
        var finalTestCorrectness: Correctness?
        var probes: [Probe.Kind: Probe.Reading]
        var cost: TrainingCost?
    }

    /// The entry stored for `material`, if it can be read and really is for that material.
    private func entry(_ material: String) -> Entry? {
        guard let path = path(forMaterial: material), let data = FileManager.default.contents(atPath: path),
              let entry = try? Self.decoder.decode(Entry.self, from: data), entry.material == material else { return nil }
        return entry
    }

    /// The stored result of `run`, under its own label, with the values of `probes`; nil when the
    /// run or one of the probes is not stored. A run this process already has is not counted again,
    /// in the hits or in the ledger.
    func load(_ run: TrainingRun, probes: [Probe], dataset: Dataset) -> RunResult? {
        let material = self.material(run, dataset: dataset)
        lock.lock(); let known = remembered[material]; lock.unlock()
        guard let entry = known ?? entry(material), probes.allSatisfy({ entry.probes[$0.kind] != nil }) else { return nil }
        lock.lock()
        if known == nil { hitCount += 1; remembered[material] = entry }
        lock.unlock()
        if known == nil { ledger.add(entry.cost, trained: false) }
        let readings = probes.map { entry.probes[$0.kind]! }
        let measurements = readings.reduce(into: [Measure: Double]()) { values, reading in values.merge(reading.values) { $1 } }
        let marks = readings.reduce(into: [Measure: Correctness]()) { marks, reading in marks.merge(reading.marks) { $1 } }
        return RunResult(run: run, history: entry.history, finalTestAccuracy: entry.finalTestAccuracy,
                         finalTestCorrectness: entry.finalTestCorrectness, measurements: measurements, marks: marks)
    }

    /// Stores a finished run with what each probe measured on it (keeping the values of probes an
    /// earlier entry of the same run held) and what it cost, and counts it as trained. A failure to
    /// write only costs the next run its reuse.
    func store(_ result: RunResult, probes: [Probe.Kind: Probe.Reading], cost: TrainingCost, dataset: Dataset) {
        let material = self.material(result.run, dataset: dataset)
        lock.lock(); let known = remembered[material]; lock.unlock()
        let earlier = (known ?? entry(material)).map(\.probes) ?? [:]
        let entry = Entry(material: material, history: result.history, finalTestAccuracy: result.finalTestAccuracy,
                          finalTestCorrectness: result.finalTestCorrectness, probes: earlier.merging(probes) { $1 }, cost: cost)
        lock.lock(); storedCount += 1; remembered[material] = entry; lock.unlock()
        // A run trained again for a probe its entry lacked was counted when first read: only its new cost counts.
        if known == nil { ledger.add(cost, trained: true) }
        guard let path = path(forMaterial: material) else { return }
        guard let data = try? Self.encoder.encode(entry) else { return }
        try? AtomicFile.write(Array(data), to: path)
    }

    /// A value that is a pure function of `material` (no training): computed once and kept under
    /// `memos/<kind>/`, then read back whenever the same material asks again, so that a warm report
    /// repeats no costly computation (Bayesian optimisation's proposals). The material must hold
    /// everything that decides the value, code digest included. With the cache off, computed every time.
    public func memo<Value: Codable>(_ kind: String, material: String, _ compute: () -> Value) -> Value {
        guard let folder else { return compute() }
        let key = ContentHash.of(material)
        let path = (folder as NSString).appendingPathComponent("memos/\(kind)/\(key.prefix(2))/\(key).json")
        if let data = FileManager.default.contents(atPath: path), let memo = try? Self.decoder.decode(Memo<Value>.self, from: data),
           memo.material == material {
            return memo.value
        }
        let value = compute()
        if let data = try? Self.encoder.encode(Memo(material: material, value: value)) { try? AtomicFile.write(Array(data), to: path) }
        return value
    }

    /// A memo on disk: the material it was computed from, and the value.
    struct Memo<V: Codable>: Codable {
        var material: String
        var value: V
    }

    /// Setups as key text: sorted keys, so that equal setups give equal text.
    private static let keyEncoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }()

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return encoder
    }()

    private static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return decoder
    }()
}

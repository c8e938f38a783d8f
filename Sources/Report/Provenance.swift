import Foundation

/// How a report was made: enough to rerun it and to know what the numbers came from.
public struct Provenance: Sendable {
    public var command: String
    public var settings: [(String, String)]
    public var dataset: String
    public var seeds: [UInt64]
    public var wallTime: Double
    public var blas: String
    /// How many training runs were trained and how many read from the cache, with a line saying so.
    public var runs: (trained: Int, cached: Int, summary: String)?
    /// What training cost, as numbers for `provenance.json` (the cost ledger) and a line for the table.
    public var cost: (numbers: [String: Double], summary: String)?
    public var date: Date

    public init(command: String, settings: [(String, String)], dataset: String, seeds: [UInt64], wallTime: Double, blas: String,
                runs: (trained: Int, cached: Int, summary: String)? = nil, cost: (numbers: [String: Double], summary: String)? = nil,
                date: Date = Date()) {
        self.command = command; self.settings = settings; self.dataset = dataset
        self.seeds = seeds; self.wallTime = wallTime; self.blas = blas; self.runs = runs; self.cost = cost; self.date = date
    }

    /// What changes from one making of a report to the next (when, from which commit, how long,
    /// how much came from the cache), kept out of results.json so that the same numbers give the
    /// same file: `provenance.json` beside it.
    public func sidecar(git state: (commit: String, dirty: Bool)? = gitState()) -> JSONValue {
        var object: [String: JSONValue] = ["command": .string(command), "date": .string(Self.timestamp(date)),
                                           "wall_time_seconds": .number(wallTime)]
        if let state { object["commit"] = .string(state.commit); object["dirty"] = .bool(state.dirty) }
        if let runs { object["runs_trained"] = .number(Double(runs.trained)); object["runs_cached"] = .number(Double(runs.cached)) }
        if let cost { object["cost"] = .object(cost.numbers.mapValues { .number($0) }) }
        return .object(object)
    }

    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }

    /// The current commit and whether the work tree differs from it, or nil outside a git checkout.
    public static func gitState(in folder: String = SourceExcerpt.repositoryRoot) -> (commit: String, dirty: Bool)? {
        func git(_ arguments: [String]) -> String? {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["git", "-C", folder] + arguments
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = FileHandle.nullDevice
            guard (try? process.run()) != nil else { return nil }
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return process.terminationStatus == 0 ? String(decoding: data, as: UTF8.self) : nil
        }
        guard let commit = git(["rev-parse", "--short=12", "HEAD"])?.trimmingCharacters(in: .whitespacesAndNewlines) else { return nil }
        // Generated output does not make the tree dirty: only changes to what produced it count.
        let status = git(["status", "--porcelain", "--untracked-files=no", "--", ".", ":(exclude)output"]) ?? ""
        return (commit, !status.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
    }

    /// The compiler this program was built with.
    public static var swiftVersion: String {
        #if compiler(>=6.4)
        "Swift 6.4 or later"
        #elseif compiler(>=6.3)
        "Swift 6.3"
        #elseif compiler(>=6.2)
        "Swift 6.2"
        #elseif compiler(>=6.1)
        "Swift 6.1"
        #else
        "Swift 6.0"
        #endif
    }

    /// "2 cores, Intel(R) Xeon(R) Processor, 24 GiB"
    public static var machine: String {
        let info = ProcessInfo.processInfo
        var model = "unknown CPU"
        if let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
           let line = text.split(separator: "\n").first(where: { $0.hasPrefix("model name") }),
           let colon = line.firstIndex(of: ":") {
            model = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let memory = Double(info.physicalMemory) / 1_073_741_824
        return "\(info.activeProcessorCount) cores, \(model), \(String(format: "%.0f", memory)) GiB"
    }

    /// The Markdown section that ends every report; `git` is the checkout's state (nil outside one).
    public func markdown(git state: (commit: String, dirty: Bool)? = gitState()) -> String {
        let git = state.map { "`\($0.commit)`" + ($0.dirty ? " (with uncommitted changes)" : "") } ?? "not a git checkout"
        var rows: [[String]] = [
            ["command", "`\(command)`"],
            ["date", Self.timestamp(date)],
            ["git commit", git],
        ]
        rows += settings.map { [$0.0, $0.1] }
        rows += [
            ["seeds", seeds.map(String.init).joined(separator: ", ")],
            ["dataset", dataset],
            ["wall time", String(format: "%.1f s", wallTime)],
        ]
        if let runs { rows.append(["training runs", runs.summary]) }
        if let cost { rows.append(["training cost", cost.summary]) }
        rows += [
            ["compiler", Self.swiftVersion],
            ["BLAS", blas],
            ["machine", Self.machine],
        ]
        return Markdown.table(headers: ["", "how this report was made"], rows: rows, alignments: [.left, .left])
    }
}

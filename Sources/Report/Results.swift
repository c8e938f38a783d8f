import Foundation

/// One curve of numbers: the unit shared by figures, tables, CSV files and results.json.
public struct Series: Codable, Sendable, Equatable {
    /// The experiment the series belongs to: the key its setups (`settings.setups`) and its final
    /// values (`summary.comparisons`) are found by in results.json.
    public var experiment: String?
    /// Other experiments with exactly this series (the same runs read twice, as a sweep's settings
    /// and a longer comparison's first length): it is stored once, under the first.
    public var alsoIn: [String]?
    /// The name a reader expects ("Adam", "Xavier", ...), the same in legends and in results.json.
    public var label: String
    public var seed: UInt64?
    /// `train_loss`, `train_acc`, `test_acc`, `val_acc`, or a chapter-specific name the report explains.
    public var metric: String
    public var x: [Double]
    public var y: [Double]

    public init(experiment: String? = nil, label: String, seed: UInt64? = nil, metric: String, x: [Double], y: [Double]) {
        self.experiment = experiment; self.label = label; self.seed = seed; self.metric = metric; self.x = x; self.y = y
        alsoIn = nil
    }
}

/// A JSON value for settings and summaries.
public enum JSONValue: Codable, Sendable, Equatable, ExpressibleByStringLiteral, ExpressibleByFloatLiteral,
                       ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral {
    /// Any encodable value as JSON (a training setup, say); `null` for one that cannot be encoded.
    public init(encoding value: some Encodable) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        self = (try? encoder.encode(value)).flatMap { try? JSONDecoder().decode(JSONValue.self, from: $0) } ?? .null
    }

    case string(String)
    case number(Double)
    case bool(Bool)
    case array([JSONValue])
    case object([String: JSONValue])
    case null

    public init(stringLiteral value: String) { self = .string(value) }
    public init(floatLiteral value: Double) { self = .number(value) }
    public init(integerLiteral value: Int) { self = .number(Double(value)) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case let .string(s): try container.encode(s)
        case let .number(n): if n.isFinite { try container.encode(n) } else { try container.encodeNil() }
        case let .bool(b): try container.encode(b)
        case let .array(a): try container.encode(a)
        case let .object(o): try container.encode(o)
        case .null: try container.encodeNil()
        }
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let b = try? container.decode(Bool.self) { self = .bool(b) }
        else if let n = try? container.decode(Double.self) { self = .number(n) }
        else if let s = try? container.decode(String.self) { self = .string(s) }
        else if let a = try? container.decode([JSONValue].self) { self = .array(a) }
        else { self = .object(try container.decode([String: JSONValue].self)) }
    }

    public var stringValue: String? { if case let .string(s) = self { s } else { nil } }
    public var numberValue: Double? { if case let .number(n) = self { n } else { nil } }
    public var objectValue: [String: JSONValue]? { if case let .object(o) = self { o } else { nil } }
    public var arrayValue: [JSONValue]? { if case let .array(a) = self { a } else { nil } }
}

/// The machine-readable record of a chapter: `output/<chapter>/results.json`.
public struct ResultsFile: Codable, Sendable {
    public var chapter: String
    public var settings: [String: JSONValue]
    public var series: [Series]
    public var summary: [String: JSONValue]
    /// Every trial of a search, one object each, where the chapter runs one.
    public var trials: [JSONValue]?

    public init(chapter: String, settings: [String: JSONValue], series: [Series], summary: [String: JSONValue], trials: [JSONValue]? = nil) {
        self.chapter = chapter; self.settings = settings; self.series = series; self.summary = summary; self.trials = trials
    }

    public func encoded() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Non-finite numbers (a diverged run) become null rather than failing the whole report.
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return Array(try encoder.encode(self))
    }

    public static func read(_ path: String) throws -> ResultsFile {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try decoder.decode(ResultsFile.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
    }
}

/// Series in long format: one row per point, `label,seed,metric,x,y`.
public enum CSV {
    public static func encode(_ series: [Series]) -> String {
        var text = "label,seed,metric,x,y\n"
        for s in series {
            // The same three fields start every row of a series: made once.
            let start = field(s.label) + "," + (s.seed.map(String.init) ?? "") + "," + field(s.metric) + ","
            for (x, y) in zip(s.x, s.y) {
                text += start
                text += number(x)
                text += ","
                text += number(y)
                text += "\n"
            }
        }
        return text
    }

    /// Objects as a table, one row each, one column per key in `columns` (empty where an object lacks it).
    public static func table(_ rows: [JSONValue], columns: [String]) -> String {
        var lines = [columns.joined(separator: ",")]
        for row in rows {
            let object = row.objectValue ?? [:]
            lines.append(columns.map { key -> String in
                switch object[key] {
                case let .number(n): number(n)
                case let .string(s): field(s)
                case let .bool(b): b ? "true" : "false"
                default: ""
                }
            }.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func field(_ text: String) -> String {
        text.utf8.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\n") }
            ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
    }

    static func number(_ v: Double) -> String {
        v.isFinite ? (v == v.rounded() && abs(v) < 1e15 ? String(Int(v)) : String(format: "%.8g", v)) : "nan"
    }
}

/// Why a dataset could not be read. Each description is one line that names the file or flag.
public enum DatasetError: Error, CustomStringConvertible, Equatable {
    case missingFile(String)
    case unreadable(String, reason: String)
    case badMagic(String, found: UInt32, expected: UInt32)
    case unsupportedType(String, typeCode: UInt8)
    case badDimensions(String, String)
    case truncated(String, expectedBytes: Int, foundBytes: Int)
    case trailingBytes(String, extra: Int)
    case countMismatch(images: String, imageCount: Int, labels: String, labelCount: Int)
    case labelOutOfRange(String, index: Int, value: Int)

    public var description: String {
        switch self {
        case let .missingFile(path):
            "data file not found: \(path)"
        case let .unreadable(path, reason):
            "cannot read \(path): \(reason)"
        case let .badMagic(path, found, expected):
            "\(path) is not an IDX file of the expected kind: magic number 0x\(hex(found)), expected 0x\(hex(expected))"
        case let .unsupportedType(path, code):
            "\(path): IDX element type 0x\(String(code, radix: 16)) is not unsigned bytes (0x08)"
        case let .badDimensions(path, detail):
            "\(path): bad dimensions: \(detail)"
        case let .truncated(path, expected, found):
            "\(path) is truncated: expected \(expected) bytes of data, found \(found)"
        case let .trailingBytes(path, extra):
            "\(path) has \(extra) unexpected bytes after its data"
        case let .countMismatch(images, imageCount, labels, labelCount):
            "\(images) holds \(imageCount) images but \(labels) holds \(labelCount) labels"
        case let .labelOutOfRange(path, index, value):
            "\(path): label \(value) of item \(index) is outside 0-9"
        }
    }

    private func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, 8 - digits.count)) + digits
    }
}

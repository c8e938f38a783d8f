/// A 128-bit fingerprint of bytes: two 64-bit FNV-1a hashes with different starting values, fed
/// eight bytes at a time. For telling contents apart (cache keys, dataset identity), not for security.
public struct ContentHash: Sendable {
    private var a: UInt64 = 0xCBF2_9CE4_8422_2325
    private var b: UInt64 = 0x6C62_272E_07BB_0142
    private static let prime: UInt64 = 0x0000_0100_0000_01B3

    public init() {}

    /// Adds raw bytes.
    public mutating func add(_ bytes: UnsafeRawBufferPointer) {
        var offset = 0
        while offset + 8 <= bytes.count {
            let word = bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            a = (a ^ word) &* Self.prime
            b = (b ^ word.byteSwapped) &* Self.prime
            offset += 8
        }
        while offset < bytes.count {
            a = (a ^ UInt64(bytes[offset])) &* Self.prime
            b = (b ^ UInt64(bytes[offset]) << 8) &* Self.prime
            offset += 1
        }
        // The length too, so that no content is a prefix of another's hash input.
        a = (a ^ UInt64(bytes.count)) &* Self.prime
        b = (b ^ UInt64(bytes.count).byteSwapped) &* Self.prime
    }

    public mutating func add(_ text: String) {
        var text = text
        text.withUTF8 { add(UnsafeRawBufferPointer($0)) }
    }

    public mutating func add<T>(_ values: [T]) {
        values.withUnsafeBytes { add($0) }
    }

    /// 32 hexadecimal digits.
    public var hex: String {
        func digits(_ v: UInt64) -> String {
            let text = String(v, radix: 16)
            return String(repeating: "0", count: 16 - text.count) + text
        }
        return digits(a) + digits(b)
    }

    /// The hash of one string.
    public static func of(_ text: String) -> String {
        var hash = ContentHash()
        hash.add(text)
        return hash.hex
    }
}

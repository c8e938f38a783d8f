import Foundation

/// Which images of a set a network classified correctly, one bit per image.
///
/// An accuracy says how many; this says which, so that two networks measured on the same images
/// can be compared image by image. Their accuracies differ only through the images one gets right
/// and the other wrong (the discordant images), and the noise of that difference is set by how
/// many such images there are, not by either accuracy alone (McNemar's view of a paired test).
public struct Correctness: Sendable, Hashable {
    /// How many images were measured.
    public let count: Int
    /// Bit `i % 64` of word `i / 64` is set when image `i` was classified correctly.
    public private(set) var words: [UInt64]

    /// `count` images, none of them marked correct yet.
    public init(count: Int) {
        precondition(count >= 0, "a negative number of images")
        self.count = count
        words = Array(repeating: 0, count: (count + 63) / 64)
    }

    /// Images marked correct where `correct` is true.
    public init(_ correct: [Bool]) {
        self.init(count: correct.count)
        for (i, c) in correct.enumerated() where c { mark(i) }
    }

    /// Marks image `i` as classified correctly.
    public mutating func mark(_ i: Int) {
        precondition(i >= 0 && i < count, "image \(i) outside 0..<\(count)")
        words[i >> 6] |= 1 << UInt64(i & 63)
    }

    public subscript(i: Int) -> Bool {
        precondition(i >= 0 && i < count, "image \(i) outside 0..<\(count)")
        return words[i >> 6] & (1 << UInt64(i & 63)) != 0
    }

    /// How many images were classified correctly.
    public var correct: Int { words.reduce(0) { $0 + $1.nonzeroBitCount } }

    /// The share classified correctly (0 for no images): exactly `Double(correct) / Double(count)`.
    public var accuracy: Double { count == 0 ? 0 : Double(correct) / Double(count) }

    /// These images followed by `other`'s, as one set.
    public func followed(by other: Correctness) -> Correctness {
        var joined = Correctness(count: count + other.count)
        for i in 0..<count where self[i] { joined.mark(i) }
        for i in 0..<other.count where other[i] { joined.mark(count + i) }
        return joined
    }

    /// The images only this network got right and those only `other` got right: what a paired
    /// comparison of the two on the same images rests on.
    public func discordant(with other: Correctness) -> (onlyThis: Int, onlyOther: Int) {
        precondition(count == other.count, "compared on \(count) and \(other.count) images")
        var onlyThis = 0, onlyOther = 0
        for (a, b) in zip(words, other.words) {
            onlyThis += (a & ~b).nonzeroBitCount
            onlyOther += (b & ~a).nonzeroBitCount
        }
        return (onlyThis, onlyOther)
    }

    /// The standard error of `accuracy − other.accuracy` as an estimate for new images drawn like
    /// these: with d the share of discordant images and m the difference of the two shares,
    /// √((d − m²) / n).
    public func pairedStandardError(against other: Correctness) -> Double {
        guard count > 0 else { return .nan }
        let (a, b) = discordant(with: other), n = Double(count)
        let d = Double(a + b) / n, m = Double(a - b) / n
        return (max(d - m * m, 0) / n).squareRoot()
    }
}

extension Correctness: Codable {
    /// Stored as the image count and the words' little-endian bytes in base64: a 10,000-image set
    /// takes 1,668 characters.
    enum CodingKeys: String, CodingKey { case count, bits }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        count = try container.decode(Int.self, forKey: .count)
        let text = try container.decode(String.self, forKey: .bits)
        guard count >= 0, let data = Data(base64Encoded: text), data.count == (count + 63) / 64 * 8 else {
            throw DecodingError.dataCorruptedError(forKey: .bits, in: container, debugDescription: "not the bits of \(count) images")
        }
        words = stride(from: 0, to: data.count, by: 8).map { start in
            data[start..<(start + 8)].enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << UInt64(8 * $1.offset) }
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(count, forKey: .count)
        let bytes = words.flatMap { word in (0..<8).map { UInt8(truncatingIfNeeded: word >> UInt64(8 * $0)) } }
        try container.encode(Data(bytes).base64EncodedString(), forKey: .bits)
    }
}

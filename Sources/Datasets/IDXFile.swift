/// The IDX format of the MNIST distribution: a big-endian magic number (two zero bytes, an element
/// type, a dimension count), the dimensions as 32-bit big-endian integers, then the elements.
public struct IDXFile: Equatable {
    public let dimensions: [Int]
    public let bytes: [UInt8]

    public init(dimensions: [Int], bytes: [UInt8]) {
        self.dimensions = dimensions
        self.bytes = bytes
    }

    /// Reads and checks an IDX file of unsigned bytes with `dimensionCount` dimensions.
    public static func read(_ path: String, dimensionCount: Int) throws -> IDXFile {
        try parse(CompressedFile.read(path), path: path, dimensionCount: dimensionCount)
    }

    static func parse(_ data: [UInt8], path: String, dimensionCount: Int) throws -> IDXFile {
        let expectedMagic = UInt32(0x0800) | UInt32(dimensionCount)
        let headerSize = 4 + 4 * dimensionCount
        guard data.count >= 4 else { throw DatasetError.truncated(path, expectedBytes: headerSize, foundBytes: data.count) }
        let magic = bigEndian(data, at: 0)
        if magic >> 16 == 0, data[2] != 0x08, Int(data[3]) == dimensionCount {
            throw DatasetError.unsupportedType(path, typeCode: data[2])
        }
        guard magic == expectedMagic else { throw DatasetError.badMagic(path, found: magic, expected: expectedMagic) }
        guard data.count >= headerSize else {
            throw DatasetError.truncated(path, expectedBytes: headerSize, foundBytes: data.count)
        }
        let dimensions = (0..<dimensionCount).map { Int(bigEndian(data, at: 4 + 4 * $0)) }
        guard dimensions.allSatisfy({ $0 > 0 }) else {
            throw DatasetError.badDimensions(path, dimensions.map(String.init).joined(separator: " x "))
        }
        let expected = dimensions.reduce(1, *)
        let found = data.count - headerSize
        guard found >= expected else { throw DatasetError.truncated(path, expectedBytes: expected, foundBytes: found) }
        guard found == expected else { throw DatasetError.trailingBytes(path, extra: found - expected) }
        return IDXFile(dimensions: dimensions, bytes: Array(data[headerSize...]))
    }

    /// The file's bytes: header then elements.
    public var encoded: [UInt8] {
        var data: [UInt8] = [0, 0, 0x08, UInt8(dimensions.count)]
        for d in dimensions { data += [24, 16, 8, 0].map { UInt8((UInt32(d) >> $0) & 0xFF) } }
        return data + bytes
    }

    private static func bigEndian(_ data: [UInt8], at offset: Int) -> UInt32 {
        data[offset..<offset + 4].reduce(0) { $0 << 8 | UInt32($1) }
    }
}

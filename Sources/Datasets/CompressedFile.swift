import CZlib
import Foundation

/// Reads a whole file through zlib, which inflates gzip and passes other files through unchanged,
/// so `train-images-idx3-ubyte` and `train-images-idx3-ubyte.gz` read alike.
enum CompressedFile {
    static func read(_ path: String) throws -> [UInt8] {
        guard FileManager.default.fileExists(atPath: path) else { throw DatasetError.missingFile(path) }
        guard let file = gzopen(path, "rb") else {
            throw DatasetError.unreadable(path, reason: String(cString: strerror(errno)))
        }
        defer { gzclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let count = chunk.withUnsafeMutableBytes { gzread(file, $0.baseAddress, UInt32($0.count)) }
            if count < 0 { throw DatasetError.unreadable(path, reason: zlibMessage(file)) }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<Int(count)])
        }
        // A gzip stream cut short reads as a short file; zlib reports it only through its error state.
        var code: Int32 = 0
        _ = gzerror(file, &code)
        if code != Z_OK && code != Z_STREAM_END {
            throw DatasetError.unreadable(path, reason: zlibMessage(file))
        }
        return bytes
    }

    private static func zlibMessage(_ file: gzFile) -> String {
        var code: Int32 = 0
        guard let message = gzerror(file, &code) else { return "decompression failed" }
        let text = String(cString: message)
        return text.isEmpty ? "decompression failed (zlib code \(code))" : "corrupt compressed data (\(text))"
    }
}

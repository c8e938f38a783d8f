import Foundation

/// Writes files so that a reader sees either the old file or the whole new one, never a part:
/// the bytes go to a temporary file in the same folder, which is then renamed over the target.
public enum AtomicFile {
    public static func write(_ bytes: [UInt8], to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        // A name no other writer uses, in this process or another.
        let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).\(UUID().uuidString).tmp")
        do {
            try Data(bytes).write(to: temporary)
            guard rename(temporary.path, url.path) == 0 else {
                throw ReportError.cannotWrite(path, String(cString: strerror(errno)))
            }
        } catch let error as ReportError {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw ReportError.cannotWrite(path, (error as NSError).localizedDescription)
        }
    }

    public static func write(_ text: String, to path: String) throws {
        try write(Array(text.utf8), to: path)
    }
}

public enum ReportError: Error, CustomStringConvertible, Equatable {
    case cannotWrite(String, String)
    case missingExcerpt(file: String, marker: String)
    case unreadableSource(String)

    public var description: String {
        switch self {
        case let .cannotWrite(path, reason): "cannot write \(path): \(reason)"
        case let .missingExcerpt(file, marker): "\(file) has no '// BEGIN \(marker)' ... '// END \(marker)' excerpt"
        case let .unreadableSource(file): "cannot read source file \(file)"
        }
    }
}

import Foundation

/// Code shown in a report, read from the project's own source files between marker comments
/// (`// BEGIN name` and `// END name`), so the code a reader sees is the code that ran.
public enum SourceExcerpt {
    /// The repository's root folder, found from this file's own path at build time.
    public static let repositoryRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }  // Sources/Report/SourceExcerpt.swift
        return url.path
    }()

    /// The lines between the markers in `file` (relative to the repository root), with their
    /// common indentation removed and nested markers dropped.
    public static func read(file: String, marker: String, root: String = repositoryRoot) throws -> String {
        let path = file.hasPrefix("/") ? file : (root as NSString).appendingPathComponent(file)
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw ReportError.unreadableSource(file) }
        return try extract(text, marker: marker, file: file)
    }

    static func extract(_ text: String, marker: String, file: String) throws -> String {
        let lines = text.components(separatedBy: "\n")
        let trimmed = lines.map { $0.trimmingCharacters(in: .whitespaces) }
        guard let start = trimmed.firstIndex(of: "// BEGIN \(marker)"),
              let end = trimmed[start...].firstIndex(of: "// END \(marker)") else {
            throw ReportError.missingExcerpt(file: file, marker: marker)
        }
        let body = lines[(start + 1)..<end].filter {
            let t = $0.trimmingCharacters(in: .whitespaces)
            return !t.hasPrefix("// BEGIN ") && !t.hasPrefix("// END ")
        }
        let indent = body.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
            .map { $0.prefix(while: { $0 == " " }).count }.min() ?? 0
        return body.map { String($0.dropFirst(min(indent, $0.prefix(while: { $0 == " " }).count))) }.joined(separator: "\n")
    }
}

import Foundation
import Testing

/// The seam itself: a matrix's memory is reached only where matrices are defined (NumericCore) and
/// where they are computed on (the CPU backend, in Engine); the model, the runs, the chapters and
/// the benchmark go through a backend value.
struct BackendSeamTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    @Test func onlyTheBackendReachesAMatrixsMemory() throws {
        let pattern = try NSRegularExpression(pattern: #"\.base\b"#)
        var reached: [String] = []
        for folder in ["Sources", "chapters", "bench"] {
            let files = (FileManager.default.enumerator(atPath: Self.root + "/" + folder)?.allObjects as? [String]) ?? []
            for file in files where file.hasSuffix(".swift") {
                let path = folder + "/" + file
                guard !path.hasPrefix("Sources/NumericCore/") && !path.hasPrefix("Sources/Engine/") else { continue }
                let text = try String(contentsOfFile: Self.root + "/" + path, encoding: .utf8)
                if pattern.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil { reached.append(path) }
            }
        }
        #expect(reached.isEmpty, "\(reached)")
    }
}

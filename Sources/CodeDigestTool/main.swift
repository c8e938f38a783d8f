import CodeDigest
import Foundation

// `code-digest ROOT FILE…`: each file (relative to ROOT) as the compiler sees it, comments and blank
// lines removed (see `CodeText`), after a line naming it: what the SourceDigest build plugin hashes,
// so that a doc comment or an excerpt marker never changes the run cache's keys.
let arguments = CommandLine.arguments.dropFirst()
guard let root = arguments.first else {
    FileHandle.standardError.write(Data("usage: code-digest ROOT FILE...\n".utf8))
    exit(2)
}
var output = ""
for file in arguments.dropFirst() {
    guard let data = FileManager.default.contents(atPath: root + "/" + file) else {
        FileHandle.standardError.write(Data("code-digest: cannot read \(file)\n".utf8))
        exit(1)
    }
    output += "== \(file)\n" + CodeText.withoutComments(String(decoding: data, as: UTF8.self), language: .init(path: file)) + "\n"
}
FileHandle.standardOutput.write(Data(output.utf8))

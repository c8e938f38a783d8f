/// Source code as the compiler sees it, for the run cache's key: comments (and so the report's
/// `// BEGIN`/`// END` excerpt markers) removed, blank lines dropped, each line trimmed, while the
/// text of string literals is kept exactly as written. Two files that differ only in their
/// comments, their blank lines or their indentation give the same text; any other change shows.
public enum CodeText {
    /// The languages whose comments are recognised: Swift (nested block comments, raw and
    /// multi-line strings with interpolation) and C (flat block comments, character literals).
    public enum Language: Sendable {
        case swift, c

        /// By the file's extension: `.c` and `.h` are C, anything else Swift.
        public init(path: String) {
            self = path.hasSuffix(".c") || path.hasSuffix(".h") ? .c : .swift
        }
    }

    /// `source` without its comments, one trimmed line of code per line (lines inside a multi-line
    /// string literal verbatim), no blank lines.
    public static func withoutComments(_ source: String, language: Language = .swift) -> String {
        var lexer = Lexer(Array(source.unicodeScalars), language: language)
        lexer.run()
        return lexer.lines.compactMap { line in
            if line.verbatim { return line.endsInString ? line.text : line.text.trimmingTrailingWhitespace }
            let trimmed = line.text.trimmingWhitespace
            return trimmed.isEmpty ? nil : trimmed
        }.joined(separator: "\n")
    }
}

/// A line of output, whether it began inside a multi-line string literal (kept as it is), and
/// whether it ended inside one (its trailing spaces too).
private struct Line {
    var text = ""
    var verbatim = false
    var endsInString = false
}

/// A scanner over a file's scalars that copies code and strings, and skips comments.
private struct Lexer {
    let scalars: [Unicode.Scalar]
    let language: CodeText.Language
    var index = 0
    var lines = [Line()]
    /// Open string literals, innermost last, with interpolations counting their parentheses.
    var stack: [Context] = []

    enum Context {
        /// A string literal: how many `#` delimit it, and whether it spans lines.
        case string(hashes: Int, multiline: Bool)
        /// Code inside `\( … )` of a string: how many parentheses are open in it.
        case interpolation(depth: Int)
        /// A C character literal.
        case character
    }

    init(_ scalars: [Unicode.Scalar], language: CodeText.Language) {
        self.scalars = scalars
        self.language = language
    }

    func peek(_ offset: Int = 0) -> Unicode.Scalar? { index + offset < scalars.count ? scalars[index + offset] : nil }

    func starts(with text: String) -> Bool {
        for (offset, scalar) in text.unicodeScalars.enumerated() where peek(offset) != scalar { return false }
        return true
    }

    mutating func emit(_ scalar: Unicode.Scalar) {
        if scalar == "\n" {
            var line = Line()
            if case .string(_, true)? = stack.last { line.verbatim = true }
            lines[lines.count - 1].endsInString = line.verbatim
            lines.append(line)
        } else {
            lines[lines.count - 1].text.unicodeScalars.append(scalar)
        }
    }

    mutating func copy(_ count: Int) {
        for _ in 0..<count where index < scalars.count { emit(scalars[index]); index += 1 }
    }

    mutating func run() {
        while index < scalars.count {
            switch stack.last {
            case let .string(hashes, multiline)?: string(hashes: hashes, multiline: multiline)
            case .character?: character()
            case .interpolation?, nil: code()
            }
        }
    }

    /// Code: comments skipped, string literals opened, interpolations' parentheses counted.
    mutating func code() {
        if starts(with: "//") {
            while let scalar = peek(), scalar != "\n" { index += 1 }
        } else if starts(with: "/*") {
            skipBlockComment()
            emit(" ")
        } else if language == .swift, let (hashes, multiline, length) = stringOpening() {
            copy(length)
            stack.append(.string(hashes: hashes, multiline: multiline))
        } else if peek() == "\"" {
            copy(1)
            stack.append(.string(hashes: 0, multiline: false))
        } else if language == .c, peek() == "'" {
            copy(1)
            stack.append(.character)
        } else if case let .interpolation(depth)? = stack.last, peek() == "(" || peek() == ")" {
            let closes = peek() == ")"
            copy(1)
            stack.removeLast()
            if closes && depth == 0 { return }   // the interpolation ends: back in its string
            stack.append(.interpolation(depth: depth + (closes ? -1 : 1)))
        } else {
            copy(1)
        }
    }

    /// A Swift string's opening delimiter here: `#…#"` or `#…#"""`, with its length.
    func stringOpening() -> (hashes: Int, multiline: Bool, length: Int)? {
        var hashes = 0
        while peek(hashes) == "#" { hashes += 1 }
        guard peek(hashes) == "\"" else { return nil }
        let multiline = peek(hashes + 1) == "\"" && peek(hashes + 2) == "\""
        return (hashes, multiline, hashes + (multiline ? 3 : 1))
    }

    /// Skips `/* … */`, nested in Swift, flat in C.
    mutating func skipBlockComment() {
        var depth = 0
        repeat {
            if starts(with: "/*") { depth += 1; index += 2 } else if starts(with: "*/") {
                depth -= 1; index += 2
                if language == .c { depth = 0 }
            } else { index += 1 }
        } while depth > 0 && index < scalars.count
    }

    /// Inside a string literal: copied as is, up to its closing delimiter or an interpolation.
    mutating func string(hashes: Int, multiline: Bool) {
        let closing = String(repeating: "\"", count: multiline ? 3 : 1) + String(repeating: "#", count: hashes)
        let escape = "\\" + String(repeating: "#", count: hashes)
        if starts(with: closing) {
            copy(closing.unicodeScalars.count)
            stack.removeLast()
        } else if starts(with: escape + "(") {
            copy(escape.unicodeScalars.count + 1)
            stack.append(.interpolation(depth: 0))
        } else if starts(with: escape) {
            copy(escape.unicodeScalars.count + 1)   // the escape and the character it escapes
        } else if !multiline && peek() == "\n" {
            stack.removeLast()                      // an unterminated string: the compiler's problem, not ours
        } else {
            copy(1)
        }
    }

    /// Inside a C character literal.
    mutating func character() {
        if peek() == "\\" { copy(2) } else if peek() == "'" || peek() == "\n" {
            if peek() == "'" { copy(1) }
            stack.removeLast()
        } else { copy(1) }
    }
}

extension String {
    fileprivate var trimmingTrailingWhitespace: String {
        let scalars = unicodeScalars
        guard let last = scalars.lastIndex(where: { $0 != " " && $0 != "\t" && $0 != "\r" }) else { return "" }
        return String(scalars[...last])
    }

    fileprivate var trimmingWhitespace: String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { $0 != " " && $0 != "\t" && $0 != "\r" }),
              let last = scalars.lastIndex(where: { $0 != " " && $0 != "\t" && $0 != "\r" }) else { return "" }
        return String(scalars[first...last])
    }
}

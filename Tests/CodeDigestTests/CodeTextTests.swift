import CodeDigest
import Foundation
import Testing

/// The text the run cache's key is made from: comments gone, code and string literals kept.
struct CodeTextTests {
    static let original = #"""
    import Foundation

    /// Adds two numbers.
    /// - Returns: their sum
    public func add(_ a: Int, _ b: Int) -> Int {
        // BEGIN add
        a + b   // the sum
        // END add
    }

    let url = "https://example.com/*not a comment*/" // a URL
    let rate = 0.01 /* the course's */ * 2
    """#

    @Test func aCommentChangeLeavesTheTextAsItWas() {
        let edited = Self.original
            .replacingOccurrences(of: "/// Adds two numbers.", with: "/// Adds two integers, as the course's `add` does.\n///\n/// More prose.")
            .replacingOccurrences(of: "// the sum", with: "// their sum, checked in the tests")
            .replacingOccurrences(of: "        // BEGIN add\n", with: "")
            .replacingOccurrences(of: "/* the course's */", with: "/* the notes' /* nested */ value */")
            .replacingOccurrences(of: "    a + b", with: "        a + b")        // indentation alone
        #expect(edited != Self.original)
        #expect(CodeText.withoutComments(edited) == CodeText.withoutComments(Self.original))
    }

    @Test func aCodeChangeChangesTheText() {
        for (old, new) in [("a + b", "a - b"), ("0.01", "0.02"), ("example.com/*not", "example.org/*not"), ("Int {", "Int32 {")] {
            let edited = Self.original.replacingOccurrences(of: old, with: new)
            #expect(CodeText.withoutComments(edited) != CodeText.withoutComments(Self.original), "\(old) → \(new)")
        }
    }

    @Test func whatRemainsIsTheCode() {
        #expect(CodeText.withoutComments(Self.original) == """
            import Foundation
            public func add(_ a: Int, _ b: Int) -> Int {
            a + b
            }
            let url = "https://example.com/*not a comment*/"
            let rate = 0.01   * 2
            """)
    }

    @Test func stringsOfEveryKindKeepWhatLooksLikeAComment() {
        let source = ##"""
        let a = "// kept \(f("/* kept */")) // kept"   // gone
        let b = #"raw "// kept" \(x)"#  /* gone */
        let c = """
            // kept, and its indentation
          kept
            """ // gone
        """##
        #expect(CodeText.withoutComments(source) == ##"""
            let a = "// kept \(f("/* kept */")) // kept"
            let b = #"raw "// kept" \(x)"#
            let c = """
                // kept, and its indentation
              kept
                """
            """##)
        // Indentation inside a multi-line string is part of its value: a change there shows.
        let moved = source.replacingOccurrences(of: "\n  kept\n", with: "\n   kept\n")
        #expect(moved != source)
        #expect(CodeText.withoutComments(moved) != CodeText.withoutComments(source))
    }

    @Test func cCommentsDoNotNestAndCharactersAreLiterals() {
        let source = "int x = '/'; /* a /* b */ int y = 2; // z\nchar *s = \"/* kept */\";"
        #expect(CodeText.withoutComments(source, language: .c) == "int x = '/';   int y = 2;\nchar *s = \"/* kept */\";")
        #expect(CodeText.Language(path: "Sources/CFloatControl/include/float_control.h") == .c)
    }
}

import Analysis
import Claims
import Foundation
import Report
import Statistics

/// The chapters, in the notes' order: `chapters/chapters.list`, the one list that Package.swift
/// (products and targets), the Makefile (`make report`), the index and the chapter tests all read.
public enum ChapterRegistry {
    /// The list's file, from the checkout's root.
    public static let path = "chapters/chapters.list"

    /// The chapter names (folders of `chapters/`, executables `chapter-<name>`), in order.
    public static func names(root: String = SourceExcerpt.repositoryRoot) throws -> [String] {
        let file = (root as NSString).appendingPathComponent(path)
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { throw ReportError.unreadableSource(path) }
        return parse(text)
    }

    /// Every line that is neither empty nor a `#` comment, trimmed.
    public static func parse(_ text: String) -> [String] {
        text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty && !$0.hasPrefix("#") }
    }
}

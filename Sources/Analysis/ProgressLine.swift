import Foundation
import Runs

/// A one-line progress display on standard error, shown only when standard error is a terminal,
/// so logs and CI output stay clean. Safe to update from several runs at once.
public final class ProgressLine: TrainingProgress, @unchecked Sendable {
    private let title: String
    private var total: Int
    private let unit: String
    private let lock = NSLock()
    private var done = 0
    private var lastDrawn = Date.distantPast
    private var start = Date()
    private let enabled: Bool
    /// A few words after the count, such as the best result so far.
    private var detail = ""

    /// Whether standard error is a terminal, where a progress line belongs.
    public static var toTerminal: Bool { isatty(STDERR_FILENO) == 1 }

    public init(_ title: String, total: Int = 1, unit: String = "steps", enabled: Bool = toTerminal) {
        self.title = title
        self.total = max(total, 1)
        self.unit = unit
        self.enabled = enabled
    }

    /// Starts counting `steps` (for a training call's progress).
    public func begin(steps: Int) {
        lock.lock(); defer { lock.unlock() }
        total = max(steps, 1); done = 0; start = Date()
    }

    public func advance(by steps: Int) { advance(by: steps, detail: nil) }
    public func end() { finish() }

    /// Records `count` more units of work done, and optionally what to show after the count.
    public func advance(by count: Int = 1, detail: String?) {
        lock.lock(); defer { lock.unlock() }
        if let detail { self.detail = detail }
        done = min(done + count, total)
        guard enabled, Date().timeIntervalSince(lastDrawn) > 0.2 || done == total else { return }
        lastDrawn = Date()
        draw()
    }

    /// Prints `line` on standard output, moving the progress line out of its way on a terminal.
    public func log(_ line: String) {
        lock.lock(); defer { lock.unlock() }
        if enabled { FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8)) }
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
        if enabled { draw() }
    }

    /// Clears the line and prints a closing summary (to the terminal only).
    public func finish() {
        lock.lock(); defer { lock.unlock() }
        guard enabled else { return }
        let seconds = Date().timeIntervalSince(start)
        FileHandle.standardError.write(Data("\r\u{1B}[2K\(title): done in \(String(format: "%.1f", seconds)) s\n".utf8))
    }

    private func draw() {
        let fraction = Double(done) / Double(total)
        let width = 28
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
        let elapsed = Date().timeIntervalSince(start)
        let remaining = done > 0 ? elapsed / fraction - elapsed : 0
        let line = String(format: "\r\u{1B}[2K%@ %@ %3.0f%% (%d/%d %@%@, %.0f s left)", title, bar, fraction * 100, done, total, unit,
                          detail.isEmpty ? "" : ", " + detail, remaining)
        FileHandle.standardError.write(Data(line.utf8))
    }
}

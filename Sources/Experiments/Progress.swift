import Foundation

/// A one-line progress display on standard error, shown only when standard error is a terminal,
/// so logs and CI output stay clean. Safe to update from several runs at once.
public final class Progress: @unchecked Sendable {
    private let title: String
    private let total: Int
    private let unit: String
    private let lock = NSLock()
    private var done = 0
    private var lastDrawn = Date.distantPast
    private let start = Date()
    private let enabled: Bool

    public init(_ title: String, total: Int, unit: String = "steps", enabled: Bool = isatty(STDERR_FILENO) == 1) {
        self.title = title
        self.total = max(total, 1)
        self.unit = unit
        self.enabled = enabled
    }

    /// Records `count` more units of work done.
    public func advance(by count: Int = 1) {
        lock.lock(); defer { lock.unlock() }
        done = min(done + count, total)
        guard enabled, Date().timeIntervalSince(lastDrawn) > 0.2 || done == total else { return }
        lastDrawn = Date()
        draw()
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
        let line = String(format: "\r\u{1B}[2K%@ %@ %3.0f%% (%d/%d %@, %.0f s left)", title, bar, fraction * 100, done, total, unit, remaining)
        FileHandle.standardError.write(Data(line.utf8))
    }
}

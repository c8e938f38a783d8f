import Foundation
import Testing
@testable import Datasets

struct IDXTests {
    /// A fresh folder for one test's files.
    static func folder() -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("idx-tests-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func write(_ bytes: [UInt8], to url: URL, gzip: Bool = false) {
        try! Data(bytes).write(to: url)
        if gzip {
            let task = Process()
            task.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            task.arguments = ["gzip", "-f", url.path]
            try! task.run()
            task.waitUntilExit()
        }
    }

    static let images = IDXFile(dimensions: [3, 2, 2], bytes: [0, 255, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16])
    static let labels = IDXFile(dimensions: [3], bytes: [4, 0, 9])

    static func error(_ body: () throws -> Void) -> DatasetError? {
        do { try body(); return nil } catch let error as DatasetError { return error } catch { return nil }
    }

    @Test(arguments: [false, true])
    func roundTripPlainAndGzipped(gzipped: Bool) throws {
        let dir = Self.folder()
        Self.write(Self.images.encoded, to: dir.appendingPathComponent("images"), gzip: gzipped)
        Self.write(Self.labels.encoded, to: dir.appendingPathComponent("labels"), gzip: gzipped)
        let suffix = gzipped ? ".gz" : ""
        let read = try IDXFile.read(dir.appendingPathComponent("images" + suffix).path, dimensionCount: 3)
        #expect(read == Self.images)
        let pair = try Dataset.readPair(images: dir.appendingPathComponent("images" + suffix).path,
                                        labels: dir.appendingPathComponent("labels" + suffix).path)
        #expect(pair.labels == [4, 0, 9])
        #expect(pair.samples.row(0) == [0, 1, 7 / 255, 8 / 255])
    }

    @Test func missingFile() {
        let error = Self.error { _ = try IDXFile.read("/nonexistent/train-images-idx3-ubyte.gz", dimensionCount: 3) }
        #expect(error == .missingFile("/nonexistent/train-images-idx3-ubyte.gz"))
        #expect(error?.description == "data file not found: /nonexistent/train-images-idx3-ubyte.gz")
    }

    @Test func truncatedData() {
        let url = Self.folder().appendingPathComponent("short")
        Self.write(Array(Self.images.encoded.dropLast(5)), to: url)
        #expect(Self.error { _ = try IDXFile.read(url.path, dimensionCount: 3) } == .truncated(url.path, expectedBytes: 12, foundBytes: 7))
    }

    @Test func truncatedHeader() {
        let url = Self.folder().appendingPathComponent("header")
        Self.write(Array(Self.images.encoded.prefix(9)), to: url)
        #expect(Self.error { _ = try IDXFile.read(url.path, dimensionCount: 3) } == .truncated(url.path, expectedBytes: 16, foundBytes: 9))
    }

    @Test func truncatedGzipStream() {
        let dir = Self.folder()
        let url = dir.appendingPathComponent("cut")
        Self.write(Self.images.encoded + [UInt8](repeating: 0, count: 4000), to: url, gzip: true)
        let gz = dir.appendingPathComponent("cut.gz")
        let data = try! Data(contentsOf: gz)
        try! data.prefix(data.count / 2).write(to: gz)
        guard case .unreadable(let path, _)? = Self.error({ _ = try IDXFile.read(gz.path, dimensionCount: 3) }) else {
            Issue.record("a cut gzip stream must be reported as unreadable"); return
        }
        #expect(path == gz.path)
    }

    @Test func corruptGzipStream() {
        let dir = Self.folder()
        let url = dir.appendingPathComponent("bad")
        Self.write(Self.images.encoded + [UInt8](repeating: 7, count: 4000), to: url, gzip: true)
        let gz = dir.appendingPathComponent("bad.gz")
        var bytes = [UInt8](try! Data(contentsOf: gz))
        for i in 20..<min(40, bytes.count - 8) { bytes[i] ^= 0x5A }
        try! Data(bytes).write(to: gz)
        guard case .unreadable? = Self.error({ _ = try IDXFile.read(gz.path, dimensionCount: 3) }) else {
            Issue.record("corrupt deflate data must be reported as unreadable"); return
        }
    }

    @Test func wrongMagicNumber() {
        let url = Self.folder().appendingPathComponent("labels-as-images")
        Self.write(Self.labels.encoded, to: url)
        #expect(Self.error { _ = try IDXFile.read(url.path, dimensionCount: 3) } == .badMagic(url.path, found: 0x801, expected: 0x803))
    }

    @Test func nonByteElements() {
        let url = Self.folder().appendingPathComponent("floats")
        var bytes = Self.labels.encoded
        bytes[2] = 0x0D
        Self.write(bytes, to: url)
        #expect(Self.error { _ = try IDXFile.read(url.path, dimensionCount: 1) } == .unsupportedType(url.path, typeCode: 0x0D))
    }

    @Test func trailingBytes() {
        let url = Self.folder().appendingPathComponent("long")
        Self.write(Self.labels.encoded + [1, 2], to: url)
        #expect(Self.error { _ = try IDXFile.read(url.path, dimensionCount: 1) } == .trailingBytes(url.path, extra: 2))
    }

    @Test func labelCountMustMatchImageCount() {
        let dir = Self.folder()
        let imagesURL = dir.appendingPathComponent("images"), labelsURL = dir.appendingPathComponent("labels")
        Self.write(Self.images.encoded, to: imagesURL)
        Self.write(IDXFile(dimensions: [2], bytes: [1, 2]).encoded, to: labelsURL)
        #expect(Self.error { _ = try Dataset.readPair(images: imagesURL.path, labels: labelsURL.path) }
                == .countMismatch(images: imagesURL.path, imageCount: 3, labels: labelsURL.path, labelCount: 2))
    }

    @Test func labelsOutsideTheTenClasses() {
        let dir = Self.folder()
        let imagesURL = dir.appendingPathComponent("images"), labelsURL = dir.appendingPathComponent("labels")
        Self.write(Self.images.encoded, to: imagesURL)
        Self.write(IDXFile(dimensions: [3], bytes: [1, 12, 2]).encoded, to: labelsURL)
        #expect(Self.error { _ = try Dataset.readPair(images: imagesURL.path, labels: labelsURL.path) }
                == .labelOutOfRange(labelsURL.path, index: 1, value: 12))
    }

    @Test func aFolderWithoutTheFourFiles() {
        let dir = Self.folder()
        #expect(Self.error { _ = try Dataset.load(.mnist, directory: dir.path) }
                == .missingFile(dir.appendingPathComponent("train-images-idx3-ubyte.gz").path))
    }
}

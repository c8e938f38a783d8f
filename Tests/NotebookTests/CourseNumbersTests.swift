import Foundation
@testable import Notebook
import Statistics
import Testing

/// The course's own numbers: read from the numbers file by script and path, and set beside a
/// chapter's with a test that says where the two differ beyond seed noise.
struct CourseNumbersTests {
    static func file(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("course-\(UUID().uuidString).json").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func valuesAreReadPerSeedByScriptAndPath() throws {
        let path = try Self.file("""
            {"course": "oreilly-japan/deep-learning-from-scratch", "commit": "07b11618cdb5d5f78ad45464de0730efc07b0a4a",
             "seeds": [0, 1],
             "runs": {"optimizers": {"script": "optimizer_compare_mnist.py",
                                     "by_seed": [{"SGD": {"after_update": 0.25}}, {"SGD": {"after_update": 0.5}}]},
                      "batch-norm": {"script": "batch_norm_test.py", "by_seed": [{"with": [0.5, 1.0]}, {"with": [0.25, 0.75]}]},
                      "not-a-script": {"by_seed": [{"x": 1}]}}}
            """)
        let numbers = try #require(CourseNumbers.load(path))
        #expect(numbers.values(.optimizers, "SGD", "after_update") == [0.25, 0.5])
        #expect(numbers.values(.optimizers, "SGD", "before_update").isEmpty)
        #expect(numbers.values(.dropout, "train_acc").isEmpty)
        #expect(numbers.lists(.batchNorm, "with") == [[0.5, 1.0], [0.25, 0.75]])
        #expect(numbers.source(.optimizers) == "`ch06/optimizer_compare_mnist.py` of oreilly-japan/deep-learning-from-scratch at `07b1161`, NumPy seeds 0–1")
        #expect(CourseNumbers.load(path + ".missing") == nil)
    }

    /// Welch's t-test by hand: means 1.0 and 1.3, each over three seeds with a standard deviation of
    /// 0.1, give t = 0.3 / √(0.01/3 + 0.01/3) = 3.67 on 4 degrees of freedom, beyond 2.776; means 1.0
    /// and 1.2 give 2.45, within it.
    @Test func aDepartureIsADifferenceWelchsTestTellsApart() {
        func row(_ course: [Double], _ here: [Double]) -> CourseRow {
            CourseRow("x", course: course, here: SeedSummary(here), isAccuracy: false)
        }
        #expect(row([0.9, 1.0, 1.1], [1.2, 1.3, 1.4]).departs())
        #expect(!row([0.9, 1.0, 1.1], [1.1, 1.2, 1.3]).departs())
        // Shared among six rows, 5% / 6 each: t = 3.67 on 4 degrees of freedom is within about 5.2.
        #expect(!row([0.9, 1.0, 1.1], [1.2, 1.3, 1.4]).departs(level: 0.05 / 6))
        // No spread on either side: apart exactly when the values differ.
        #expect(!row([1, 1, 1], [1, 1]).departs() && row([1, 1, 1], [0.9, 0.9]).departs())
        // One seed on a side: nothing to judge the noise by.
        #expect(!row([1], [5, 6, 7]).departs())
    }
}

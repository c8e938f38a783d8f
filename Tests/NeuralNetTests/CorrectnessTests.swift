import Datasets
import Foundation
import NumericCore
import Testing
@testable import NeuralNet

/// Which images a network got right: bits set by hand, counted, compared and stored.
struct CorrectnessTests {
    @Test func marksAreCountedAndReadBack() {
        var marks = Correctness(count: 130)              // three words, the last partly used
        for i in [0, 63, 64, 129] { marks.mark(i) }
        #expect(marks.correct == 4 && marks[63] && marks[64] && !marks[65] && marks[129])
        #expect(marks.accuracy == 4.0 / 130)
        #expect(Correctness(count: 0).accuracy == 0)
        #expect(Correctness([true, false, true]).followed(by: Correctness([false, true])) == Correctness([true, false, true, false, true]))
    }

    @Test func aPairedDifferenceRestsOnTheDiscordantImages() {
        // Ten images: A right on 0–7, B right on 2–9. Only A: 0, 1; only B: 8, 9.
        let a = Correctness((0..<10).map { $0 < 8 }), b = Correctness((0..<10).map { $0 >= 2 })
        #expect(a.discordant(with: b) == (2, 2))
        // d = 4/10, m = 0: √(0.4 / 10) = 0.2.
        #expect(abs(a.pairedStandardError(against: b) - 0.2) < 1e-15)
        // A right on all ten, B on the first nine: d = m = 1/10, √((0.1 − 0.01) / 10) = √0.009.
        let all = Correctness(Array(repeating: true, count: 10)), nine = Correctness((0..<10).map { $0 < 9 })
        #expect(abs(all.pairedStandardError(against: nine) - 0.009.squareRoot()) < 1e-15)
        // The same network against itself: no discordant image, no noise.
        #expect(a.pairedStandardError(against: a) == 0)
    }

    @Test func storedAsBase64AndReadBackExactly() throws {
        var marks = Correctness(count: 70)
        for i in stride(from: 1, to: 70, by: 3) { marks.mark(i) }
        let data = try JSONEncoder().encode(marks)
        #expect(try JSONDecoder().decode(Correctness.self, from: data) == marks)
        // 70 images are two words, 16 bytes, 24 characters of base64.
        let text = try #require(String(data: data, encoding: .utf8))
        #expect(text.contains("\"count\":70") && text.contains("\"bits\":\"") && text.count < 60)
        // Bits of another count are refused, not read as something else.
        let wrong = Data(text.replacingOccurrences(of: "\"count\":70", with: "\"count\":200").utf8)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Correctness.self, from: wrong) }
    }
}

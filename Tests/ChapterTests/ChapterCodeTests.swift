import Analysis
import NeuralNet
import Plot
import Runs
import Statistics
import Testing
@testable import chapter_dropout
@testable import chapter_initial_values

/// The code that lives beside one chapter, against cases worked by hand.
struct ActivationSpreadTests {
    @Test func theShareOfALayerWhereTheSigmoidIsFlat() {
        #expect(ActivationSpread.saturation([0.01, 0.5, 0.97, 0.94, 0.05]) == 0.4)
    }

    @Test func layersOfTheExperimentFollowTheirInitialWeights() {
        // Five sigmoid layers from std 1: most outputs pile up at 0 and 1; from std 0.01 they all sit
        // near 0.5 with almost no spread. The notes' two histograms, as numbers.
        let wide = ActivationSpread.layerOutputs(samples: 200, activation: .sigmoid, initialization: .standardDeviation(1), seed: 1)
        let narrow = ActivationSpread.layerOutputs(samples: 200, activation: .sigmoid, initialization: .standardDeviation(0.01), seed: 1)
        #expect(wide.count == 5 && wide.allSatisfy { $0.count == 200 * 100 })
        #expect(wide.allSatisfy { ActivationSpread.saturation($0) > 0.5 })
        #expect(narrow.allSatisfy { Descriptive.populationStandardDeviation($0) < 0.05 && abs(Descriptive.mean($0) - 0.5) < 0.05 })
        // The same seed gives the same outputs.
        #expect(ActivationSpread.layerOutputs(samples: 200, activation: .sigmoid, initialization: .standardDeviation(1), seed: 1) == wide)
    }
}

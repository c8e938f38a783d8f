import Formatting
import Foundation
import NumericCore
import Runs

/// One setting a search can tune, and how a trial's training takes it.
public enum Hyperparameter: String, Sendable, Hashable, Codable, CaseIterable, CodingKeyRepresentable {
    /// SGD's step size.
    case learningRate = "learning_rate"
    /// The strength λ of the L2 penalty on the weights.
    case weightDecay = "weight_decay"

    /// What a reader calls it: "learning rate".
    public var name: String {
        switch self {
        case .learningRate: "learning rate"
        case .weightDecay: "weight decay"
        }
    }

    /// Its short form in a trial's title: "lr".
    public var abbreviation: String {
        switch self {
        case .learningRate: "lr"
        case .weightDecay: "wd"
        }
    }

    /// Its value when a search does not tune it: the notes' SGD rate, and no weight decay.
    public var standard: Double {
        switch self {
        case .learningRate: 0.01
        case .weightDecay: 0
        }
    }

    /// Sets `value` where a trial's training reads it.
    func apply(_ value: Double, to setup: inout TrainingSetup) {
        switch self {
        case .learningRate: setup.optimizer = .sgd(learningRate: value)
        case .weightDecay: setup.network.weightDecay = value
        }
    }
}

/// A value for every hyperparameter: what a search tunes, the rest at their standard values.
public struct Hyperparameters: Sendable, Hashable, Codable {
    private var values: [Hyperparameter: Double]

    /// `values`, with every hyperparameter not named at its standard value.
    public init(_ values: [Hyperparameter: Double]) {
        self.values = Dictionary(uniqueKeysWithValues: Hyperparameter.allCases.map { ($0, values[$0] ?? $0.standard) })
    }

    public init(learningRate: Double, weightDecay: Double) {
        self.init([.learningRate: learningRate, .weightDecay: weightDecay])
    }

    public subscript(_ parameter: Hyperparameter) -> Double { values[parameter] ?? parameter.standard }

    /// "lr 6.2e-3, wd 3.1e-7"
    public var summary: String {
        Hyperparameter.allCases.map { "\($0.abbreviation) \(Format.rate(self[$0]))" }.joined(separator: ", ")
    }

    /// A trial's training with these settings.
    public func applied(to setup: TrainingSetup) -> TrainingSetup {
        var setup = setup
        for parameter in Hyperparameter.allCases { parameter.apply(self[parameter], to: &setup) }
        return setup
    }
}

/// Where a search looks: a box with one side per tuned hyperparameter, each in log10 units (the
/// value is 10^u), sampled uniformly in the exponent as the notes' search does. The box has as
/// many sides as it is given; the hyperparameters it leaves out stay at their standard values.
public struct SearchSpace: Sendable, Hashable, Codable {
    /// One side of the box: which hyperparameter, and its range of exponents of ten.
    public struct Side: Sendable, Hashable, Codable {
        public let parameter: Hyperparameter
        public var exponents: ClosedRange<Double>

        public init(_ parameter: Hyperparameter, _ exponents: ClosedRange<Double>) {
            self.parameter = parameter
            self.exponents = exponents
        }

        /// The value at relative position `u` (0...1) along this side.
        func value(at u: Double) -> Double { pow(10, exponents.lowerBound + u * (exponents.upperBound - exponents.lowerBound)) }
        /// Where `value` sits along this side, 0...1.
        func position(of value: Double) -> Double {
            (log10(value) - exponents.lowerBound) / (exponents.upperBound - exponents.lowerBound)
        }
    }

    /// The sides, in the order a point of the unit box lists its coordinates.
    public var sides: [Side]

    public init(_ sides: [Side]) {
        precondition(!sides.isEmpty && Set(sides.map(\.parameter)).count == sides.count,
                     "a search space needs at least one side, and each hyperparameter once")
        self.sides = sides
    }

    /// The two-sided box of the notes' search: learning rate 10^`learningRate`, weight decay 10^`weightDecay`.
    public init(learningRate: ClosedRange<Double>, weightDecay: ClosedRange<Double>) {
        self.init([Side(.learningRate, learningRate), Side(.weightDecay, weightDecay)])
    }

    /// The notes' ranges: learning rate 10^U(−6, −2), weight decay 10^U(−8, −4).
    public static let notes = SearchSpace(learningRate: -6 ... -2, weightDecay: -8 ... -4)

    /// How many hyperparameters the search tunes.
    public var dimensions: Int { sides.count }

    /// The exponents of `parameter`'s side; nil if the box does not tune it.
    public subscript(_ parameter: Hyperparameter) -> ClosedRange<Double>? {
        get { sides.first { $0.parameter == parameter }?.exponents }
        set {
            guard let index = sides.firstIndex(where: { $0.parameter == parameter }) else {
                if let newValue { sides.append(Side(parameter, newValue)) }
                return
            }
            if let newValue { sides[index].exponents = newValue } else { sides.remove(at: index) }
        }
    }

    /// `parameter`'s range of values (not exponents); nil if the box does not tune it.
    public func values(_ parameter: Hyperparameter) -> ClosedRange<Double>? {
        self[parameter].map { pow(10, $0.lowerBound)...pow(10, $0.upperBound) }
    }

    /// A point drawn uniformly in log space, one draw per side in order.
    public func sample(using generator: inout SeededGenerator) -> Hyperparameters {
        point(at: sides.map { _ in generator.nextUniform() })
    }

    /// Trial `number` of a random search of search seed `seed`, drawn from a stream of its own, so
    /// that it is the same point whatever else runs, and every method that starts at random starts
    /// with the same points.
    public func randomPoint(seed: UInt64, number: Int) -> Hyperparameters {
        var generator = SeededGenerator(seed: seed, stream: "random trial \(number)")
        return sample(using: &generator)
    }

    /// The point at relative position `p` (0...1 along each side of the box, in the sides' order).
    public func point(at p: [Double]) -> Hyperparameters {
        precondition(p.count == sides.count, "a point of a \(sides.count)-sided box has \(sides.count) coordinates, not \(p.count)")
        return Hyperparameters(Dictionary(uniqueKeysWithValues: zip(sides, p).map { ($0.parameter, $0.value(at: $1)) }))
    }

    /// Where `h` sits in the box, 0...1 along each side.
    public func position(of h: Hyperparameters) -> [Double] { sides.map { $0.position(of: h[$0.parameter]) } }

    // BEGIN narrowing
    /// The notes' step 4 as a rule: the smallest box (in log10 units) that holds `best`, widened on
    /// each side by a quarter of its width or a quarter of a decade, whichever is more, and kept
    /// inside this box.
    public func narrowed(around best: [Hyperparameters]) -> SearchSpace {
        func range(_ exponents: [Double], within outer: ClosedRange<Double>) -> ClosedRange<Double> {
            let low = exponents.min()!, high = exponents.max()!
            let margin = max((high - low) / 4, 0.25)
            return max(low - margin, outer.lowerBound)...min(high + margin, outer.upperBound)
        }
        return SearchSpace(sides.map { side in
            Side(side.parameter, range(best.map { log10($0[side.parameter]) }, within: side.exponents))
        })
    }
    // END narrowing

    /// "lr 10^−6…10^−2, wd 10^−8…10^−4"
    public var summary: String {
        func power(_ e: Double) -> String { e == e.rounded() ? Format.powerOfTen(Int(e)) : "10^\(Format.exponent(e))" }
        func side(_ r: ClosedRange<Double>) -> String { "\(power(r.lowerBound))…\(power(r.upperBound))" }
        return sides.map { "\($0.parameter.abbreviation) \(side($0.exponents))" }.joined(separator: ", ")
    }
}

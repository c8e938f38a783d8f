import Foundation

/// A Gaussian process over points of the unit box, with a Matérn 5/2 kernel: a belief about an
/// unknown function that is exact where it has been measured (up to noise) and uncertain in
/// between, the more so the farther from any measurement.
///
/// The kernel is `σ² r(x, x′)` with the correlation
/// `r = (1 + √5 d + 5d²/3) exp(−√5 d)`, `d = sqrt(Σ ((x_i − x′_i) / ℓ_i)²)`, one length scale per
/// dimension; measurements carry noise of variance `σ² η`. The prior mean is a constant.
public struct GaussianProcess: Sendable {
    public let inputs: [[Double]]
    public let outputs: [Double]
    public let lengthScales: [Double]
    /// η: the noise variance as a share of the signal variance σ².
    public let noise: Double
    public let priorMean: Double
    /// σ²: how far the function strays from the prior mean.
    public let amplitude: Double
    /// The inputs divided by their length scales, row after row, so that a distance is a plain one.
    private let scaled: [Double]
    /// The Cholesky factor L of R + ηI (row-major, lower triangle) and (R + ηI)⁻¹ (y − m).
    private let factor: [Double]
    private let weights: [Double]
    /// log det(R + ηI)
    private let logDeterminant: Double

    /// A process through `outputs` measured at `inputs`. Without a prior mean, the outputs' mean;
    /// without an amplitude, the one that makes the outputs most likely (`(y − m)ᵀ(R + ηI)⁻¹(y − m) / n`).
    public init(inputs: [[Double]], outputs: [Double], lengthScales: [Double], noise: Double,
                priorMean: Double? = nil, amplitude: Double? = nil) {
        precondition(inputs.count == outputs.count && !inputs.isEmpty, "a process needs as many outputs as inputs, at least one")
        self.inputs = inputs
        self.outputs = outputs
        self.lengthScales = lengthScales
        self.noise = noise
        let mean = priorMean ?? outputs.reduce(0, +) / Double(outputs.count)
        self.priorMean = mean
        let n = inputs.count, d = lengthScales.count
        let scaled = inputs.flatMap { x in (0..<d).map { x[$0] / lengthScales[$0] } }
        var matrix = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0...i {
                let r = Self.scaledCorrelation(scaled, i * d, scaled, j * d, d)
                matrix[i * n + j] = r
                matrix[j * n + i] = r
            }
            matrix[i * n + i] += noise
        }
        let l = Self.cholesky(matrix, n)
        let centred = outputs.map { $0 - mean }
        let w = Self.solve(l, n, centred)
        self.scaled = scaled
        factor = l
        weights = w
        logDeterminant = 2 * (0..<n).map { log(l[$0 * n + $0]) }.reduce(0, +)
        self.amplitude = amplitude ?? max(zip(centred, w).map(*).reduce(0, +) / Double(n), 1e-12)
    }

    // BEGIN matern
    /// The Matérn 5/2 correlation between two points.
    public static func correlation(_ a: [Double], _ b: [Double], _ lengthScales: [Double]) -> Double {
        var squares = 0.0
        for i in a.indices { squares += ((a[i] - b[i]) / lengthScales[i]) * ((a[i] - b[i]) / lengthScales[i]) }
        return matern(squares)
    }

    /// (1 + √5 d + 5d²/3) e^(−√5 d), from d².
    static func matern(_ squaredDistance: Double) -> Double {
        let u = (5 * squaredDistance).squareRoot()      // √5 d
        return (1 + u + u * u / 3) * exp(-u)
    }
    // END matern

    /// The correlation of two points given already divided by the length scales, at offsets of flat storage.
    private static func scaledCorrelation(_ a: [Double], _ i: Int, _ b: [Double], _ j: Int, _ d: Int) -> Double {
        var squares = 0.0
        for k in 0..<d { squares += (a[i + k] - b[j + k]) * (a[i + k] - b[j + k]) }
        return matern(squares)
    }

    // BEGIN posterior
    /// What the process believes at `x`: the mean `m + rᵀ(R + ηI)⁻¹(y − m)` and the variance
    /// `σ² (1 − rᵀ(R + ηI)⁻¹ r)` of the function there (without the measurement noise).
    public func posterior(at x: [Double]) -> (mean: Double, variance: Double) {
        let n = outputs.count, d = lengthScales.count
        let point = (0..<d).map { x[$0] / lengthScales[$0] }
        return withUnsafeTemporaryAllocation(of: Double.self, capacity: n) { v in
            var mean = priorMean
            for i in 0..<n {
                let r = Self.scaledCorrelation(point, 0, scaled, i * d, d)   // r_i: correlation with measurement i
                mean += r * weights[i]
                v[i] = r
            }
            // Solve L v = r in place: then vᵀv = rᵀ(R + ηI)⁻¹ r.
            var explained = 0.0
            for i in 0..<n {
                var sum = v[i]
                for k in 0..<i { sum -= factor[i * n + k] * v[k] }
                v[i] = sum / factor[i * n + i]
                explained += v[i] * v[i]
            }
            return (mean, amplitude * max(1 - explained, 0))
        }
    }
    // END posterior

    /// The log of how likely the outputs are under this process (its marginal likelihood).
    public var logMarginalLikelihood: Double {
        let n = Double(outputs.count)
        let fit = zip(outputs.map { $0 - priorMean }, weights).map(*).reduce(0, +) / amplitude
        return -0.5 * fit - 0.5 * (logDeterminant + n * log(amplitude)) - 0.5 * n * log(2 * Double.pi)
    }

    /// The process whose length scales and noise make the outputs most likely, among every
    /// combination of the values offered (each dimension's length scale chosen separately), with
    /// the amplitude that suits each.
    public static func fitted(inputs: [[Double]], outputs: [Double], lengthScales: [Double] = [0.05, 0.1, 0.2, 0.4, 0.8, 1.6],
                              noises: [Double] = [1e-6, 1e-4, 1e-3, 1e-2, 0.1]) -> GaussianProcess {
        let dimensions = inputs[0].count
        var combinations: [[Double]] = [[]]
        for _ in 0..<dimensions { combinations = combinations.flatMap { prefix in lengthScales.map { prefix + [$0] } } }
        var best: GaussianProcess?
        for scales in combinations {
            for noise in noises {
                let candidate = GaussianProcess(inputs: inputs, outputs: outputs, lengthScales: scales, noise: noise)
                if best == nil || candidate.logMarginalLikelihood > best!.logMarginalLikelihood { best = candidate }
            }
        }
        return best!
    }

    /// The same process with one more measurement (its length scales, noise, prior mean and amplitude kept).
    public func adding(_ x: [Double], _ y: Double) -> GaussianProcess {
        GaussianProcess(inputs: inputs + [x], outputs: outputs + [y], lengthScales: lengthScales, noise: noise,
                        priorMean: priorMean, amplitude: amplitude)
    }

    // MARK: A small Cholesky routine (n is at most a few hundred here)

    /// L with L Lᵀ = A, for a symmetric positive definite n × n A stored row by row.
    static func cholesky(_ a: [Double], _ n: Int) -> [Double] {
        var l = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0...i {
                var sum = a[i * n + j]
                for k in 0..<j { sum -= l[i * n + k] * l[j * n + k] }
                l[i * n + j] = i == j ? max(sum, 1e-12).squareRoot() : sum / l[j * n + j]
            }
        }
        return l
    }

    /// x with L Lᵀ x = b.
    static func solve(_ l: [Double], _ n: Int, _ b: [Double]) -> [Double] {
        var x = b
        for i in 0..<n {                                // L y = b
            for k in 0..<i { x[i] -= l[i * n + k] * x[k] }
            x[i] /= l[i * n + i]
        }
        for i in (0..<n).reversed() {                   // Lᵀ x = y
            for k in (i + 1)..<n { x[i] -= l[k * n + i] * x[k] }
            x[i] /= l[i * n + i]
        }
        return x
    }
}

// BEGIN expected-improvement
/// How much a measurement at a point with posterior mean `mean` and standard deviation `sd` is
/// expected to improve on `best` (for a maximum): `E[max(f − best, 0)] = (μ − best) Φ(z) + σ φ(z)`
/// with `z = (μ − best) / σ`.
public func expectedImprovement(mean: Double, standardDeviation sd: Double, best: Double) -> Double {
    guard sd > 0 else { return max(mean - best, 0) }
    let z = (mean - best) / sd
    let density = exp(-z * z / 2) / (2 * Double.pi).squareRoot()      // φ(z)
    let cumulative = erfc(-z / 2.0.squareRoot()) / 2                     // Φ(z)
    return (mean - best) * cumulative + sd * density
}
// END expected-improvement

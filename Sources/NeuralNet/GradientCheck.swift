import NumericCore

/// Numerical gradients by central differences, for checking backpropagation.
public enum GradientCheck {
    /// `(f(θ + h) − f(θ − h)) / 2h` for every element of every parameter, with `loss` evaluated
    /// afresh each time. Use Float64: in Float32 the differences drown in rounding.
    public static func numericalGradients<Scalar: MatrixScalar>(
        of parameters: [Parameter<Scalar>], step h: Double = 1e-5, loss: () -> Double
    ) -> [[Double]] {
        parameters.map { numericalGradient(of: $0, at: Array(0..<$0.value.count), step: h, loss: loss) }
    }

    /// The central difference for the elements `indices` of one parameter only: for arrays too
    /// large to check whole.
    public static func numericalGradient<Scalar: MatrixScalar>(
        of p: Parameter<Scalar>, at indices: [Int], step h: Double = 1e-5, loss: () -> Double
    ) -> [Double] {
        indices.map { i in
            let original = p.value[element: i]
            p.value[element: i] = original + Scalar(h)
            let plus = loss()
            p.value[element: i] = original - Scalar(h)
            let minus = loss()
            p.value[element: i] = original
            return (plus - minus) / (2 * h)
        }
    }

    /// `max|a − n| / max(max|a|, max|n|)`: the error relative to the size of the gradient array as a
    /// whole, so that elements whose true gradient is nearly zero do not turn rounding noise (about
    /// 1e-11 in Float64) into large per-element ratios.
    public static func relativeError(_ analytic: [Double], _ numerical: [Double]) -> Double {
        let scale = max(analytic.map(abs).max() ?? 0, numerical.map(abs).max() ?? 0, .leastNormalMagnitude)
        return (zip(analytic, numerical).map { abs($0 - $1) }.max() ?? 0) / scale
    }
}

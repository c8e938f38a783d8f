import NumericCore

/// Numerical gradients by central differences, for checking backpropagation.
public enum GradientCheck {
    /// `(f(θ + h) − f(θ − h)) / 2h` for every element of every parameter, with `loss` evaluated
    /// afresh each time. Use Float64: in Float32 the differences drown in rounding.
    public static func numericalGradients<Scalar: NeuralScalar>(
        of parameters: [Parameter<Scalar>], step h: Double = 1e-5, loss: () -> Double
    ) -> [[Double]] {
        parameters.map { p in
            (0..<p.value.count).map { i in
                let original = p.value.base[i]
                p.value.base[i] = original + Scalar(h)
                let plus = loss()
                p.value.base[i] = original - Scalar(h)
                let minus = loss()
                p.value.base[i] = original
                return (plus - minus) / (2 * h)
            }
        }
    }

    /// The largest elementwise relative error `|a − n| / max(|a|, |n|, floor)`. The floor keeps
    /// elements whose true gradient is zero from dividing rounding noise by zero.
    public static func maximumRelativeError(_ analytic: [Double], _ numerical: [Double], floor: Double = 1e-6) -> Double {
        zip(analytic, numerical).map { a, n in abs(a - n) / max(abs(a), abs(n), floor) }.max() ?? 0
    }

    /// The mean absolute difference, the measure the reference prints.
    public static func meanAbsoluteDifference(_ analytic: [Double], _ numerical: [Double]) -> Double {
        guard !analytic.isEmpty else { return 0 }
        return zip(analytic, numerical).map { abs($0 - $1) }.reduce(0, +) / Double(analytic.count)
    }
}

import NumericCore

/// `y = tanh(x)`; its derivative is `1 - y^2`.
public final class Tanh<Scalar: NeuralScalar>: Layer {
    private let output = Matrix<Scalar>(rows: 0, columns: 0)
    private let inputGradient = Matrix<Scalar>(rows: 0, columns: 0)

    public init() {}

    public func forward(_ x: Matrix<Scalar>, training: Bool) -> Matrix<Scalar> {
        output.resize(like: x)
        Scalar.tanhForward(count: x.count, x.base, into: output.base)
        return output
    }

    public func backward(_ dy: Matrix<Scalar>) -> Matrix<Scalar> {
        inputGradient.resize(like: dy)
        Scalar.tanhBackward(count: dy.count, output: output.base, dy.base, into: inputGradient.base)
        return inputGradient
    }
}

extension NeuralScalar {
    @_specialize(exported: true, where Self == Float)
    @_specialize(exported: true, where Self == Double)
    public static func tanhForward(count: Int, _ x: UnsafePointer<Self>, into y: UnsafeMutablePointer<Self>) {
        for i in 0..<count { y[i] = Self.tanh(x[i]) }
    }

    @_specialize(exported: true, where Self == Float)
    @_specialize(exported: true, where Self == Double)
    public static func tanhBackward(count: Int, output y: UnsafePointer<Self>, _ dy: UnsafePointer<Self>, into dx: UnsafeMutablePointer<Self>) {
        for i in 0..<count { dx[i] = dy[i] * (1 - y[i] * y[i]) }
    }
}

import NumericCore

/// `y = 1 / (1 + e^-x)`; its derivative is `y (1 - y)`.
public final class Sigmoid<Scalar: NeuralScalar>: ElementwiseActivation<Scalar> {
    override func apply(count: Int, _ x: UnsafePointer<Scalar>, into y: UnsafeMutablePointer<Scalar>) {
        Scalar.sigmoidForward(count: count, x, into: y)
    }

    override func derivative(count: Int, output y: UnsafePointer<Scalar>, _ dy: UnsafePointer<Scalar>, into dx: UnsafeMutablePointer<Scalar>) {
        Scalar.sigmoidBackward(count: count, output: y, dy, into: dx)
    }
}

extension NeuralScalar {
    @_specialize(exported: true, where Self == Float)
    @_specialize(exported: true, where Self == Double)
    public static func sigmoidForward(count: Int, _ x: UnsafePointer<Self>, into y: UnsafeMutablePointer<Self>) {
        for i in 0..<count { y[i] = 1 / (1 + Self.exp(-x[i])) }
    }

    @_specialize(exported: true, where Self == Float)
    @_specialize(exported: true, where Self == Double)
    public static func sigmoidBackward(count: Int, output y: UnsafePointer<Self>, _ dy: UnsafePointer<Self>, into dx: UnsafeMutablePointer<Self>) {
        for i in 0..<count { dx[i] = dy[i] * y[i] * (1 - y[i]) }
    }
}

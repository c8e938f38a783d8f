import NumericCore

/// `y = tanh(x)`; its derivative is `1 - y^2`.
public final class Tanh<Scalar: NeuralScalar>: ElementwiseActivation<Scalar> {
    override func apply(count: Int, _ x: UnsafePointer<Scalar>, into y: UnsafeMutablePointer<Scalar>) {
        Scalar.tanhForward(count: count, x, into: y)
    }

    override func derivative(count: Int, output y: UnsafePointer<Scalar>, _ dy: UnsafePointer<Scalar>, into dx: UnsafeMutablePointer<Scalar>) {
        Scalar.tanhBackward(count: count, output: y, dy, into: dx)
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

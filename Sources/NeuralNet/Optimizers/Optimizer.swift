import NumericCore

/// A rule that moves parameters against their gradients, keeping whatever state it needs per
/// parameter (velocities, squared-gradient sums, moments) across calls.
public protocol Optimizer<Scalar>: AnyObject {
    associatedtype Scalar: MatrixScalar
    /// The rate of the next step; a `LearningRateSchedule` sets it before each one.
    var learningRate: Scalar { get set }
    /// One step: every parameter moves by its gradient, in place.
    func update(_ parameters: [Parameter<Scalar>])
}

/// Zero-initialised buffers shaped like each parameter, made on the first step.
struct PerParameterState<Scalar: MatrixScalar> {
    private(set) var buffers: [Matrix<Scalar>] = []

    mutating func buffers(for parameters: [Parameter<Scalar>]) -> [Matrix<Scalar>] {
        if buffers.count != parameters.count {
            buffers = parameters.map { Matrix(rows: $0.value.rows, columns: $0.value.columns) }
        }
        return buffers
    }
}

/// Which optimizer, with which hyperparameters: a value that can be stored, printed and compared.
public enum OptimizerSpec: Sendable, Hashable, Codable {
    case sgd(learningRate: Double = 0.01)
    case momentum(learningRate: Double = 0.01, momentum: Double = 0.9)
    case nesterov(learningRate: Double = 0.01, momentum: Double = 0.9)
    case adaGrad(learningRate: Double = 0.01)
    case rmsProp(learningRate: Double = 0.01, decay: Double = 0.99)
    case adam(learningRate: Double = 0.001, beta1: Double = 0.9, beta2: Double = 0.999)

    /// Which rule, whatever its hyperparameters: what a chapter finds an optimizer's results by.
    public enum Kind: Sendable, Hashable, CaseIterable {
        case sgd, momentum, nesterov, adaGrad, rmsProp, adam
    }

    public var kind: Kind {
        switch self {
        case .sgd: .sgd
        case .momentum: .momentum
        case .nesterov: .nesterov
        case .adaGrad: .adaGrad
        case .rmsProp: .rmsProp
        case .adam: .adam
        }
    }

    /// The six optimizers at the reference's defaults, in the order the chapter presents them.
    public static let referenceDefaults: [OptimizerSpec] = [.sgd(), .momentum(), .nesterov(), .adaGrad(), .rmsProp(), .adam()]

    public var learningRate: Double {
        switch self {
        case let .sgd(lr), let .momentum(lr, _), let .nesterov(lr, _), let .adaGrad(lr), let .rmsProp(lr, _), let .adam(lr, _, _): lr
        }
    }

    /// The same optimizer with another learning rate.
    public func with(learningRate lr: Double) -> OptimizerSpec {
        switch self {
        case .sgd: .sgd(learningRate: lr)
        case let .momentum(_, m): .momentum(learningRate: lr, momentum: m)
        case let .nesterov(_, m): .nesterov(learningRate: lr, momentum: m)
        case .adaGrad: .adaGrad(learningRate: lr)
        case let .rmsProp(_, d): .rmsProp(learningRate: lr, decay: d)
        case let .adam(_, b1, b2): .adam(learningRate: lr, beta1: b1, beta2: b2)
        }
    }

    /// A fresh optimizer (no state yet) that computes through `backend`.
    public func make<Scalar: MatrixScalar>(on backend: any NeuralBackend<Scalar>) -> any Optimizer<Scalar> {
        switch self {
        case let .sgd(lr): SGD(learningRate: Scalar(lr), backend: backend)
        case let .momentum(lr, m): Momentum(learningRate: Scalar(lr), momentum: Scalar(m), backend: backend)
        case let .nesterov(lr, m): Nesterov(learningRate: Scalar(lr), momentum: Scalar(m), backend: backend)
        case let .adaGrad(lr): AdaGrad(learningRate: Scalar(lr), backend: backend)
        case let .rmsProp(lr, d): RMSProp(learningRate: Scalar(lr), decay: Scalar(d), backend: backend)
        case let .adam(lr, b1, b2): Adam(learningRate: Scalar(lr), beta1: Scalar(b1), beta2: Scalar(b2), backend: backend)
        }
    }
}

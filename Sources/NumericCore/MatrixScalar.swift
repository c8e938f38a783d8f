import RealModule

/// A floating-point type that matrices can hold: `Float` for training, `Double` for gradient checks.
///
/// A marker and nothing more: what is computed on matrices of it, and how, is a `ComputeBackend`'s.
public protocol MatrixScalar: Real, BinaryFloatingPoint, Sendable where Self.RawSignificand: FixedWidthInteger {}

extension Float: MatrixScalar {}
extension Double: MatrixScalar {}

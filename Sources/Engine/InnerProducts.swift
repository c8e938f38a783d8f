import Foundation
import NumericCore

/// The inner products of a training set's images with one another, `G = X Xᵀ`, and with the images
/// of a held-out set, `Z Xᵀ`: what the dual form of SGD computes with (see `DualFirstLayer`).
/// Computed the first time they are asked for, by the backend of whoever asks (whose ledger then
/// carries their cost), and shared read-only by every run that trains on the same images, on any
/// thread. It keeps every set of images it holds products with, so a set is never mistaken for
/// another that took its place in memory.
public final class InnerProducts<Scalar: MatrixScalar>: @unchecked Sendable {
    /// The training images, one per row.
    public let images: Matrix<Scalar>
    private let lock = NSLock()
    private var gramMatrix: Matrix<Scalar>?
    private var heldOut: [(images: Matrix<Scalar>, products: Matrix<Scalar>)] = []

    public init(_ images: Matrix<Scalar>) { self.images = images }

    /// `X Xᵀ`: N × N.
    public func gram(on backend: some ComputeBackend<Scalar>) -> Matrix<Scalar> {
        lock.lock(); defer { lock.unlock() }
        if let gramMatrix { return gramMatrix }
        let product = Matrix<Scalar>(rows: 0, columns: 0)
        backend.multiply(images, images, into: product, transposeB: true)
        gramMatrix = product
        return product
    }

    /// `Z Xᵀ` for the images `z` (M × N): each held-out set's once.
    public func products(with z: Matrix<Scalar>, on backend: some ComputeBackend<Scalar>) -> Matrix<Scalar> {
        lock.lock(); defer { lock.unlock() }
        if let known = heldOut.first(where: { $0.images === z }) { return known.products }
        let product = Matrix<Scalar>(rows: 0, columns: 0)
        backend.multiply(z, images, into: product, transposeB: true)
        heldOut.append((z, product))
        return product
    }
}

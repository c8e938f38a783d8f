import Foundation
import NumericCore

/// The inner products of a training set's images with one another, `G = X Xᵀ`, and with the images
/// of a held-out set, `Z Xᵀ`: what the dual form of SGD computes with (see `DualFirstLayers`).
/// Computed the first time they are asked for and shared, read-only, by every group of networks
/// that trains on the same images, on any thread.
public final class InnerProducts<Scalar: NeuralScalar>: @unchecked Sendable {
    /// The training images, one per row.
    public let images: Matrix<Scalar>
    private let lock = NSLock()
    private var gramMatrix: Matrix<Scalar>?
    private var heldOut: [ObjectIdentifier: Matrix<Scalar>] = [:]
    /// The operations spent computing them, not yet claimed by a trainer's ledger.
    private var unclaimed = 0.0

    public init(_ images: Matrix<Scalar>) { self.images = images }

    /// `X Xᵀ`: N × N.
    public var gram: Matrix<Scalar> {
        lock.lock(); defer { lock.unlock() }
        if let gramMatrix { return gramMatrix }
        let product = Matrix<Scalar>(rows: 0, columns: 0)
        product.assignProduct(images, images, transposeB: true)
        unclaimed += productFlops(images.rows, images.rows, images.columns)
        gramMatrix = product
        return product
    }

    /// `Z Xᵀ` for the images `z` (M × N): each held-out set's once.
    public func products(with z: Matrix<Scalar>) -> Matrix<Scalar> {
        lock.lock(); defer { lock.unlock() }
        if let known = heldOut[ObjectIdentifier(z)] { return known }
        let product = Matrix<Scalar>(rows: 0, columns: 0)
        product.assignProduct(z, images, transposeB: true)
        unclaimed += productFlops(z.rows, images.rows, images.columns)
        heldOut[ObjectIdentifier(z)] = product
        return product
    }

    /// The operations spent since the last call: each counted once, by whoever claims it first.
    func claimFlops() -> Double {
        lock.lock(); defer { lock.unlock() }
        defer { unclaimed = 0 }
        return unclaimed
    }
}

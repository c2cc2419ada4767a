import Foundation
import GrokSimCore

/// How the fixed second-layer weights a_j are drawn.
public enum SecondLayer: String, Sendable, CaseIterable {
    /// a_j i.i.d. uniform on {+1/sqrt(m), -1/sqrt(m)}, as in the paper.
    case iid
    /// Exactly ceil(m/2) positive and floor(m/2) negative signs, in a random order.
    case balanced
}

/// The XOR model's settings read from a resolved config, named as in the paper (Xu et al., ICLR 2024).
public struct XORReLUSettings: Sendable {
    /// Number of training points.
    public var n: Int
    /// Input dimension.
    public var p: Int
    /// Number of hidden neurons (the width that is sharded over ranks).
    public var m: Int
    /// Number of clean test points.
    public var nTest: Int
    /// ||mu|| set directly; when nil, ||mu|| = muNormFactor * sqrt(p / n).
    public var muNorm: Double?
    public var muNormFactor: Double
    /// Label-flip probability on the training set.
    public var eta: Double
    /// Gradient-descent step size (the dynamics' learning rate).
    public var alpha: Double
    /// Standard deviation of the initial first-layer weights.
    public var omega: Double
    /// Weight decay lambda of the dynamics.
    public var weightDecay: Double
    public var steps: Int
    public var seed: UInt64
    public var precision: Precision
    public var secondLayer: SecondLayer
    /// How data and weights are stored; nil until resolved (see `Representation.automatic`).
    public var representation: Representation?

    /// The settings of `config`, which must be an XOR config.
    public init(_ config: ExperimentConfig) {
        n = config.integer(XORReLUModel.Keys.n)
        p = config.integer(XORReLUModel.Keys.p)
        m = config.integer(XORReLUModel.Keys.m)
        nTest = config.integer(XORReLUModel.Keys.nTest)
        muNorm = config.optionalNumber(XORReLUModel.Keys.muNorm)
        muNormFactor = config.number(XORReLUModel.Keys.muNormFactor)
        eta = config.number(XORReLUModel.Keys.eta)
        alpha = config.number(XORReLUModel.Keys.alpha)
        omega = config.number(XORReLUModel.Keys.omega)
        weightDecay = config.number(DynamicsKeys.weightDecay)
        steps = config.steps
        seed = config.seed
        precision = config.precision
        secondLayer = SecondLayer(rawValue: config.string(XORReLUModel.Keys.secondLayer))!
        representation = config.value(XORReLUModel.Keys.representation).flatMap { value in
            if case .string(let text) = value { return Representation(rawValue: text) }
            return nil
        }
    }

    /// The norm of each cluster mean.
    public var resolvedMuNorm: Double {
        muNorm ?? muNormFactor * (Double(p) / Double(n)).squareRoot()
    }

    /// The representation this config runs in.
    public var resolvedRepresentation: Representation {
        representation ?? Representation.automatic(for: self)
    }

    /// Length of each weight row and test point: p, or min(p, 2 + n + m) in the reduced representation.
    public var weightDimension: Int {
        resolvedRepresentation == .explicit ? p : min(p, SizeArithmetic.sum(2, n, m))
    }

    /// Length of each training point: p, or min(p, 2 + n) in the reduced representation (the training
    /// data never reach the basis vectors of the initial weights).
    public var trainDimension: Int {
        resolvedRepresentation == .explicit ? p : min(p, SizeArithmetic.sum(2, n))
    }

    /// Bytes per floating-point element of the data and weights.
    public var elementSize: Int { precision == .float64 ? 8 : 4 }
}

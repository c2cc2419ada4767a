import GrokSimCore

/// How the p-dimensional experiment is stored: in full, or exactly in the span the dynamics can reach.
///
/// Gradient descent keeps every w_j in span{mu1, mu2, x_1..x_n, w_1(0)..w_m(0)}. The data noise and the
/// initial weights are isotropic Gaussians, so written in the orthonormal basis that Gram–Schmidt builds from
/// mu1, mu2, then the noise vectors, then the initial weights, each new vector of scale s has i.i.d. N(0, s^2)
/// coordinates on the basis built so far, s chi_(p - k) on one new basis vector, and zeros beyond (the
/// Bartlett decomposition). Every inner product the training and the metrics use then has exactly the
/// same joint law as in the explicit representation, in dimension min(p, 2 + n + m) whatever p is.
public enum Representation: String, Sendable, CaseIterable {
    /// Data and weights as vectors in R^p.
    case explicit
    /// Data and weights as coordinates on the Bartlett basis of dimension min(p, 2 + n + m).
    case exactReduced = "exact-reduced"

    /// Explicit arrays up to this many bytes are chosen automatically; beyond it, the reduced representation.
    public static let automaticExplicitLimit = 4 << 30

    /// The representation used when the config does not name one.
    ///
    /// Depends on the config only (never on the machine), so a config always produces the same trajectory.
    public static func automatic(for config: XORReLUSettings) -> Representation {
        if !reductionShrinks(config) { return .explicit }
        let rows = Double(config.n) + Double(config.nTest) + Double(config.m)
        return rows * Double(config.p) * Double(config.elementSize) <= Double(automaticExplicitLimit) ? .explicit : .exactReduced
    }

    /// Whether the reduced rows (min(p, 2 + n + m) long) would be shorter than explicit ones (p long).
    public static func reductionShrinks(_ config: XORReLUSettings) -> Bool {
        config.p > SizeArithmetic.sum(2, config.n, config.m)
    }

    /// Appended to the description of stored rows: how to read their coordinates.
    public var rowsNote: String {
        self == .exactReduced ? ", as coordinates on the reduced (Bartlett) basis" : ""
    }

    /// What the stored vectors are, in words, for the run file's readers.
    public static func description(_ config: XORReLUSettings) -> String {
        switch config.resolvedRepresentation {
        case .explicit:
            return "explicit: data and weight rows are vectors in R^p, p = \(config.p)"
        case .exactReduced:
            return "exact-reduced: data and weight rows are coordinates on an orthonormal basis of dimension "
                + "min(p, 2+n+m) = \(config.weightDimension) built from mu1, mu2, the training noise vectors and the initial "
                + "weights (Bartlett decomposition); inner products, norms and <w, mu_k> have the same law as with "
                + "explicit vectors in R^p, p = \(config.p)"
        }
    }
}

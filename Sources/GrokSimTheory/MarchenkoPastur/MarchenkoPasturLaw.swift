import _CGSL

/// The Marchenko-Pastur law with ratio λ = d/N: the limiting eigenvalue distribution of XᵀX/N for an N × d matrix
/// X of independent standard normals. Density √((λ₊ − ν)(ν − λ₋))/(2πλν) on [λ₋, λ₊], λ± = (1 ± √λ)², plus an atom
/// of mass 1 − 1/λ at 0 when λ > 1. Mean 1 for every λ.
public struct MarchenkoPasturLaw: Sendable {
    /// λ = d/N.
    public let ratio: Double

    public init(ratio: Double) {
        precondition(ratio > 0 && ratio.isFinite, "the ratio must be positive")
        self.ratio = ratio
    }

    /// λ₋ = (1 − √λ)².
    public var lowerEdge: Double { (1 - ratio.squareRoot()) * (1 - ratio.squareRoot()) }
    /// λ₊ = (1 + √λ)².
    public var upperEdge: Double { (1 + ratio.squareRoot()) * (1 + ratio.squareRoot()) }
    /// Mass of the atom at ν = 0: 1 − 1/λ for λ > 1, else 0.
    public var atomAtZero: Double { ratio > 1 ? 1 - 1 / ratio : 0 }

    /// Density of the continuous part at ν (0 outside [λ₋, λ₊]).
    public func density(_ nu: Double) -> Double {
        guard nu > lowerEdge, nu < upperEdge else { return 0 }
        return ((upperEdge - nu) * (nu - lowerEdge)).squareRoot() / (2 * Double.pi * ratio * nu)
    }

    /// ∫ f(ν) ρ(ν) dν over the continuous part.
    ///
    /// The density has square-root edges (infinite slope at λ±), which slow any polynomial rule. With
    /// ν = 1 + λ + 2√λ cos θ the measure becomes (2/π) sin²θ / ν dθ on [0, π]: smooth, so GSL's adaptive
    /// Gauss-Kronrod rule converges geometrically.
    public func continuousIntegral(_ quadrature: Quadrature = Quadrature(), _ f: (Double) -> Double) throws -> Double {
        let centre = 1 + ratio, halfWidth = 2 * ratio.squareRoot()
        return try quadrature.integrate(from: 0, to: Double.pi) { theta in
            let nu = centre + halfWidth * cos(theta)
            let s = sin(theta)
            return nu > 0 ? 2 / Double.pi * s * s / nu * f(nu) : 0
        }.value
    }

    /// E[f(ν)] over the whole law, atom included.
    public func expectation(_ quadrature: Quadrature = Quadrature(), _ f: (Double) -> Double) throws -> Double {
        let atom = atomAtZero
        return try continuousIntegral(quadrature, f) + (atom > 0 ? atom * f(0) : 0)
    }

    /// E[ν e^(−cν)] in closed form: e^(−c(1 + λ)) ₀F₁(2; c²λ).
    ///
    /// ₀F₁(2; z) grows like e^(2√z), so it is combined with the exponential in log space, and for 2c√λ > 500
    /// (where ₀F₁ nears overflow) replaced by the identity ₀F₁(2; z) = I₁(x)/(x/2), x = 2√z, with GSL's
    /// exponentially scaled Bessel function: the result is then e^(−c(1 − √λ)²) · 2 e^(−x) I₁(x) / x.
    public func exponentialFirstMoment(rate c: Double) -> Double {
        Self.exponentialFirstMoment(ratio: ratio, rate: c, besselBeyond: 500)
    }

    static func exponentialFirstMoment(ratio: Double, rate c: Double, besselBeyond switchPoint: Double) -> Double {
        precondition(c >= 0, "the rate must be non-negative")
        GSL.prepare()
        let root = ratio.squareRoot()
        let x = 2 * c * root
        if x == 0 { return 1 }
        if x <= switchPoint {
            return exp(-c * (1 + ratio) + log(gsl_sf_hyperg_0F1(2, c * c * ratio)))
        }
        return exp(-c * (1 - root) * (1 - root)) * 2 * gsl_sf_bessel_I1_scaled(x) / x
    }
}

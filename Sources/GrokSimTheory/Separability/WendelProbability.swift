import _CGSL

/// Wendel's probability that N points drawn from a distribution symmetric about the origin (and in general
/// position) in R^d lie in an open half-space through the origin: P(N, d) = 2^−(N−1) Σ_{k=0}^{d−1} C(N−1, k).
public enum WendelProbability {
    /// P(N, d), with a relative error below about N·1e-15 (measured against exact sums for N ≤ 50).
    ///
    /// P is the Binomial(N − 1, ½) distribution function at d − 1. Summed from the median outwards,
    /// P = ½ ± (terms between the median and d − 1), which makes P(N, N/2) exactly ½ for even N (an empty sum)
    /// and keeps the absolute error at rounding level; a lower tail below ¼ is instead summed on its own from its
    /// smallest term, for relative accuracy when P is tiny. Terms are exp(log C(N − 1, k) − (N − 1) log 2), from
    /// GSL's log-binomial, so nothing overflows; the rounding of that difference of two numbers of size N is what
    /// limits the accuracy to about N·ε.
    public static func probability(points n: Int, dimension d: Int) -> Double {
        precondition(n >= 1 && d >= 0, "need at least one point and a non-negative dimension")
        GSL.prepare()
        let m = n - 1
        let k = d - 1
        if k < 0 { return 0 }
        if k >= m { return 1 }
        let logHalfPower = Double(m) * log(2.0)
        let term = { (j: Int) -> Double in exp(gsl_sf_lnchoose(UInt32(m), UInt32(j)) - logHalfPower) }
        // Sum of terms j in [from, through], smallest terms first.
        func sum(_ from: Int, _ through: Int, ascending: Bool) -> Double {
            guard from <= through else { return 0 }
            var total = 0.0
            if ascending { for j in from...through { total += term(j) } }
            else { for j in (from...through).reversed() { total += term(j) } }
            return total
        }
        if m % 2 == 1 {
            // Odd m: the terms split evenly, Σ_{j ≤ (m−1)/2} = ½ exactly.
            let half = (m - 1) / 2
            if k >= half { return 0.5 + sum(half + 1, k, ascending: false) }
            let between = sum(k + 1, half, ascending: false)
            return between < 0.25 ? 0.5 - between : sum(0, k, ascending: true)
        }
        // Even m: the middle term m/2 is shared by the two halves.
        let middle = m / 2
        let halfMiddle = 0.5 * term(middle)
        if k >= middle { return 0.5 + halfMiddle + sum(middle + 1, k, ascending: false) }
        let between = halfMiddle + sum(k + 1, middle - 1, ascending: false)
        return between < 0.25 ? 0.5 - between : sum(0, k, ascending: true)
    }
}

/// The integrated autocorrelation time of a stationary series, with Sokal's self-consistent window.
///
/// tau_int(M) = 1 + 2 sum_{t=1..M} rho(t), where rho is the normalised autocovariance; the window M is the
/// smallest with M >= c tau_int(M) (Sokal 1997; c = 5 keeps the truncation bias near e^-5 for a single
/// exponential while the noise of the sum grows only like sqrt(M / N)). With this convention an AR(1) series
/// x_t = rho x_{t-1} + noise has tau_int = (1 + rho) / (1 - rho), and the variance of the mean of N samples is
/// Var(x) tau_int / N, so N / tau_int is the effective number of independent samples.
public struct AutocorrelationTime: Sendable, Equatable {
    public let tau: Double
    public let window: Int
    /// Whether a window satisfying M >= c tau was found before M reached N / 2 (otherwise the series is too
    /// short for its correlations, and tau is a lower bound).
    public let converged: Bool

    public init(_ series: [Double], windowFactor c: Double = 5) {
        let n = series.count
        guard n >= 4 else {
            tau = 1; window = 0; converged = false
            return
        }
        let mean = series.reduce(0, +) / Double(n)
        let centred = series.map { $0 - mean }
        var c0 = 0.0
        for x in centred { c0 += x * x }
        c0 /= Double(n)
        guard c0 > 0 else {
            tau = 1; window = 0; converged = true
            return
        }
        var sum = 1.0
        var m = 0
        let limit = n / 2
        var found = false
        while m < limit {
            m += 1
            var ct = 0.0
            for i in 0..<(n - m) { ct += centred[i] * centred[i + m] }
            sum += 2 * ct / (Double(n) * c0)
            if Double(m) >= c * sum {
                found = true
                break
            }
        }
        tau = max(sum, 1e-12)
        window = m
        converged = found
    }
}

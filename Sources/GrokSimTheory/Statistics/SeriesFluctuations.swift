/// The mean and variance of a correlated stationary series, with standard errors from their autocorrelation times.
///
/// The mean's error is sqrt(Var tau_x / N). The variance is the mean of y_t = (x_t - mean)^2, corrected for the
/// bias of a correlated sample (E s^2 = Var (1 - tau_x / N) to leading order), and its error is that of the
/// mean of y with y's own autocorrelation time (for a Gaussian AR(1), tau_y = (1 + rho^2) / (1 - rho^2)).
public struct SeriesFluctuations: Sendable, Equatable {
    public let count: Int
    public let mean: Double
    public let meanError: Double
    public let variance: Double
    public let varianceError: Double
    /// Autocorrelation of the series and of its squared deviations.
    public let time: AutocorrelationTime
    public let squareTime: AutocorrelationTime

    /// Effective number of independent samples, N / tau_int.
    public var effectiveSamples: Double { Double(count) / time.tau }

    public init(_ series: [Double], windowFactor: Double = 5) {
        count = series.count
        let n = Double(max(1, series.count))
        let average = series.reduce(0, +) / n
        mean = average
        time = AutocorrelationTime(series, windowFactor: windowFactor)
        let squares = series.map { ($0 - average) * ($0 - average) }
        let raw = squares.reduce(0, +) / n
        squareTime = AutocorrelationTime(squares, windowFactor: windowFactor)
        let correction = n > time.tau ? n / (n - time.tau) : .nan
        variance = raw * correction
        meanError = (raw * time.tau / n).squareRoot()
        let squareMean = raw
        var squareSpread = 0.0
        for y in squares { squareSpread += (y - squareMean) * (y - squareMean) }
        squareSpread /= n
        varianceError = (squareSpread * squareTime.tau / n).squareRoot() * correction
    }
}

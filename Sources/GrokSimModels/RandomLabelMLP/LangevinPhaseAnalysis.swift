import GrokSimTheory

/// The loss fluctuations of each Langevin phase and the effective dimensions read from them.
///
/// Per phase: the burn-in by the MSER rule on the loss series of the phase, then on the rows kept the mean and
/// variance of the loss with errors from their integrated autocorrelation times, and by equipartition of a
/// loss quadratic in D directions, D_mean = 2 <L - L0> / T and D_var = 2 Var(L) / T^2. L0 is the loss at the
/// start of sampling (where GD stopped), so D_mean also holds any drift away from it; D_var needs no L0.
struct LangevinPhaseAnalysis {
    struct Phase {
        var temperature = 0.0
        var firstStep = 0
        var rows = 0
        var burnInRows = 0
        var burnInSteps = 0
        var fluctuations: SeriesFluctuations
        /// Steps between rows, to state autocorrelation times in steps.
        var rowSpacing = 1.0
        var nearBoundary = 0.0
        var minimumLoss = 0.0
        var dMean = 0.0, dMeanError = 0.0, dVar = 0.0, dVarError = 0.0
    }

    let reference: Double
    let phases: [Phase]

    /// `phaseOfRow[k]` is the phase of row k (0: GD); `temperatures[p]` the temperature of phase p.
    init(steps: [Int], loss: [Double], nearBoundary: [Double], phaseOfRow: [Int], temperatures: [Double], samplingStart: Int) {
        let startRow = steps.firstIndex(of: samplingStart) ?? steps.firstIndex { $0 >= samplingStart } ?? 0
        reference = loss.isEmpty ? .nan : loss[startRow]
        var result: [Phase] = []
        for p in 1..<max(1, temperatures.count) {
            let rows = phaseOfRow.indices.filter { phaseOfRow[$0] == p }
            guard rows.count >= 8 else { continue }
            let series = rows.map { loss[$0] }
            let cut = BurnIn.mser(series)
            let kept = Array(series[cut...])
            let t = temperatures[p]
            var phase = Phase(fluctuations: SeriesFluctuations(kept))
            phase.temperature = t
            phase.firstStep = steps[rows[0]]
            phase.rows = rows.count
            phase.burnInRows = cut
            phase.burnInSteps = steps[rows[cut]] - steps[rows[0]]
            phase.rowSpacing = Double(steps[rows.last!] - steps[rows[0]]) / Double(max(1, rows.count - 1))
            let counts = rows[cut...].map { nearBoundary[$0] }
            phase.nearBoundary = counts.reduce(0, +) / Double(max(1, counts.count))
            phase.minimumLoss = kept.min() ?? .nan
            let f = phase.fluctuations
            phase.dMean = 2 * (f.mean - reference) / t
            phase.dMeanError = 2 * f.meanError / t
            phase.dVar = 2 * f.variance / (t * t)
            phase.dVarError = 2 * f.varianceError / (t * t)
            result.append(phase)
        }
        phases = result
    }

    /// Least-squares line y = intercept + slope x, with the slope's standard error (NaN below three points).
    static func line(x: [Double], y: [Double]) -> (intercept: Double, slope: Double, slopeError: Double) {
        let n = Double(x.count)
        guard x.count >= 2 else { return (.nan, .nan, .nan) }
        let mx = x.reduce(0, +) / n, my = y.reduce(0, +) / n
        var sxx = 0.0, sxy = 0.0
        for (a, b) in zip(x, y) { sxx += (a - mx) * (a - mx); sxy += (a - mx) * (b - my) }
        let slope = sxx > 0 ? sxy / sxx : .nan
        let intercept = my - slope * mx
        var residual = 0.0
        for (a, b) in zip(x, y) { residual += (b - intercept - slope * a) * (b - intercept - slope * a) }
        let error = x.count > 2 && sxx > 0 ? (residual / (n - 2) / sxx).squareRoot() : .nan
        return (intercept, slope, error)
    }
}

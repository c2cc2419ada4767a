/// The number of initial samples to discard from a series that relaxes towards a stationary state.
///
/// The marginal standard error rule (White 1997, MSER): among cut points d = 0, step, 2 step, ... <= N / 2,
/// pick the one minimising sum_{i >= d} (x_i - mean_d)^2 / (N - d)^2, the squared standard error of the kept
/// mean as if the samples were independent. Discarding a drifting start lowers it; discarding stationary
/// samples raises it. The rule needs no knowledge of the relaxation time, and the chosen d is reported.
public enum BurnIn {
    /// The chosen cut, searched on a grid of `candidates` + 1 points.
    public static func mser(_ series: [Double], candidates: Int = 50) -> Int {
        let n = series.count
        guard n >= 8 else { return 0 }
        // Suffix sums give every candidate's mean and spread in O(1).
        var suffix = [Double](repeating: 0, count: n + 1), suffixSquares = [Double](repeating: 0, count: n + 1)
        let shift = series[n - 1]
        for i in stride(from: n - 1, through: 0, by: -1) {
            let x = series[i] - shift
            suffix[i] = suffix[i + 1] + x
            suffixSquares[i] = suffixSquares[i + 1] + x * x
        }
        let stepSize = max(1, (n / 2) / candidates)
        var best = 0, bestScore = Double.infinity
        for d in stride(from: 0, through: n / 2, by: stepSize) {
            let kept = Double(n - d)
            let spread = suffixSquares[d] - suffix[d] * suffix[d] / kept
            let score = spread / (kept * kept)
            if score < bestScore {
                bestScore = score
                best = d
            }
        }
        return best
    }
}

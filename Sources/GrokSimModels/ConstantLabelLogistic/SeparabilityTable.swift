import Foundation
import GrokSimCore
import GrokSimPlot
import GrokSimTheory

/// The fraction of training sets separable from the origin against λ = d/N, measured over seeds beside Wendel's
/// probability: the transition at λ = ½ of Beck, Levi and Bar-Sinai (2025), as a JSON table and an SVG figure.
///
/// Seed s is the training set that `groksim run --set model=constant-label-logistic --set seed=s` draws at that
/// (N, d) (the same random stream; σ does not change separability). Each set is decided by
/// `OriginSeparability.fastTest` (a certified Newton method, an LP where it is undecided).
public struct SeparabilityTable: Sendable {
    public struct Row: Sendable, Codable {
        public let n: Int
        public let lambda: Double
        public let d: Int
        public let seeds: Int
        public let separable: Int
        public let fraction: Double
        public let wendel: Double
        /// √(P(1 − P)/seeds) with P Wendel's probability: the binomial spread of `fraction` if Wendel holds.
        public let binomialSD: Double
        public let seconds: Double
    }

    public let rows: [Row]

    /// Decides seeds 0..<`seeds` at every (N, round(λN)); `progress` gets each finished row.
    public static func measure(sizes: [Int], lambdas: [Double], seeds: Int, progress: (Row) -> Void = { _ in }) throws -> SeparabilityTable {
        var rows: [Row] = []
        for n in sizes {
            for lambda in lambdas {
                let d = Int((lambda * Double(n)).rounded())
                let start = Date()
                var separable = 0
                for seed in 0..<seeds where try OriginSeparability.fastTest(trainingSet(n: n, d: d, seed: UInt64(seed))).isSeparable {
                    separable += 1
                }
                let p = WendelProbability.probability(points: n, dimension: d)
                let row = Row(n: n, lambda: lambda, d: d, seeds: seeds, separable: separable, fraction: Double(separable) / Double(seeds),
                              wendel: p, binomialSD: (p * (1 - p) / Double(seeds)).squareRoot(), seconds: Date().timeIntervalSince(start))
                progress(row)
                rows.append(row)
            }
        }
        return SeparabilityTable(rows: rows)
    }

    /// The constant-label model's training inputs of `seed` at (N, d), in units of σ.
    static func trainingSet(n: Int, d: Int, seed: UInt64) -> PointMatrix {
        let stream = RandomStream(seed: seed, stream: ConstantLabelData.trainInputs)
        return PointMatrix(count: n, dimension: d, values: (0..<(n * d)).map { stream.normal(UInt64($0)) })
    }

    /// One line per row, measured beside Wendel.
    public var text: String {
        rows.map {
            String(format: "N %4d  lambda %.2f  d %3d  seeds %d  separable %3d  fraction %.3f  Wendel %.3f  binomial sd %.3f  (%.1f s)",
                   $0.n, $0.lambda, $0.d, $0.seeds, $0.separable, $0.fraction, $0.wendel, $0.binomialSD, $0.seconds)
        }.joined(separator: "\n")
    }

    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(rows)
    }

    /// Wendel's curve P(N, round(λN)) for each N, with the measured fractions and a band of ±2 binomial standard
    /// deviations about them.
    public func svg() -> String {
        let sizes = Array(Set(rows.map(\.n))).sorted()
        let colors = ["#0072B2", "#D55E00", "#009E73", "#CC79A7"]
        let grid = stride(from: 0.4, through: 0.6, by: 0.001).map { $0 }
        var series: [LineChart.Series] = []
        for (k, n) in sizes.enumerated() {
            let color = colors[k % colors.count]
            let mine = rows.filter { $0.n == n }.sorted { $0.lambda < $1.lambda }
            series.append(LineChart.Series(label: "Wendel, N = \(n)", x: grid,
                                           y: grid.map { WendelProbability.probability(points: n, dimension: Int(($0 * Double(n)).rounded())) },
                                           color: color, dashed: true))
            series.append(LineChart.Series(label: "measured, N = \(n) (\(mine.first?.seeds ?? 0) seeds, band ±2 sd)", x: mine.map(\.lambda),
                                           y: mine.map(\.fraction), color: color,
                                           band: (mine.map { max(0, $0.fraction - 2 * $0.binomialSD) }, mine.map { min(1, $0.fraction + 2 * $0.binomialSD) })))
        }
        return LineChart(title: "Training sets separable from the origin, measured and Wendel's probability",
                         caption: "Beck, Levi, Bar-Sinai (2025): generalisation iff not separable; the transition at lambda = d/N = 1/2",
                         xLabel: "lambda = d/N", yLabel: "fraction separable", xRange: 0.4...0.6, yRange: 0...1.02,
                         series: series).svg()
    }
}

import GrokSimCore

/// Counts, medians and 20–80 percentile ranges of `TheoremCheck`s over the seeds of an ensemble.
///
/// Fractions count every seed in the denominator: a seed whose value could not be measured (NaN) does not
/// satisfy the condition, so nothing unmeasured is counted in the theorem's favour.
public struct TheoremCheckSummary: Sendable, Equatable {
    /// Median, 20th and 80th percentiles, extremes and how many values were measured (not NaN).
    public struct Spread: Sendable, Equatable {
        public let median, low, high, minimum, maximum: Double
        public let measured: Int

        public init(_ values: [Double]) {
            let present = values.filter { !$0.isNaN }
            median = Quantiles.median(present)
            low = Quantiles.percentile(present, 0.2)
            high = Quantiles.percentile(present, 0.8)
            minimum = present.min() ?? .nan
            maximum = present.max() ?? .nan
            measured = present.count
        }

        /// The same spread of the values plus `offset` (every statistic here moves with a shift).
        public func shifted(by offset: Double) -> Spread {
            Spread(median: median + offset, low: low + offset, high: high + offset,
                   minimum: minimum + offset, maximum: maximum + offset, measured: measured)
        }

        private init(median: Double, low: Double, high: Double, minimum: Double, maximum: Double, measured: Int) {
            (self.median, self.low, self.high, self.minimum, self.maximum, self.measured) = (median, low, high, minimum, maximum, measured)
        }
    }

    public let seeds: Int
    public let horizon: Int
    public let threshold: Double
    public let fitsTrainingSetToHorizon: Int
    public let reachesThresholdByHorizon: Int
    public let reachesThreshold: Int
    /// Seeds with at least one test cluster below 1/2 at the last step.
    public let losesCluster: Int
    /// `clustersRightAtStep1[k]`: seeds with exactly k clusters at test accuracy >= 1/2 at t = 1
    /// (the one-step linear classifier predicts k = 2: one of ±mu1 and one of ±mu2).
    public let clustersRightAtStep1: [Int]
    public let minTrainAccuracyToHorizon: Spread
    public let testAccuracyAtStep1: Spread
    /// Over the seeds that reach the threshold.
    public let thresholdStep: Spread
    public let testAccuracyAtHorizon: Spread
    public let testAccuracyAtLastStep: Spread
    public let oneStepAgreement: Spread
    public let maxPointWeightRatioToHorizon: Spread

    public init(_ checks: [TheoremCheck]) {
        seeds = checks.count
        horizon = checks.first?.horizon ?? 0
        threshold = checks.first?.threshold ?? .nan
        fitsTrainingSetToHorizon = checks.filter(\.fitsTrainingSetToHorizon).count
        reachesThresholdByHorizon = checks.filter(\.reachesThresholdByHorizon).count
        reachesThreshold = checks.filter(\.reachesThreshold).count
        losesCluster = checks.filter { $0.clustersBelowHalfAtLastStep >= 1 }.count
        var histogram = [Int](repeating: 0, count: 5)
        for check in checks where !check.clusterTestAccuracyAtStep1.contains(where: \.isNaN) {
            histogram[check.clusterTestAccuracyAtStep1.filter { $0 >= 0.5 }.count] += 1
        }
        clustersRightAtStep1 = histogram
        minTrainAccuracyToHorizon = Spread(checks.map(\.minTrainAccuracyToHorizon))
        testAccuracyAtStep1 = Spread(checks.map(\.testAccuracyAtStep1))
        thresholdStep = Spread(checks.map(\.thresholdStep))
        testAccuracyAtHorizon = Spread(checks.map(\.testAccuracyAtHorizon))
        testAccuracyAtLastStep = Spread(checks.map(\.testAccuracyAtLastStep))
        oneStepAgreement = Spread(checks.map(\.oneStepAgreement))
        maxPointWeightRatioToHorizon = Spread(checks.map(\.maxPointWeightRatioToHorizon))
    }
}

/// Medians and percentiles of samples, as reported over seeds and timed repetitions.
public enum Quantiles {
    /// The q-quantile (0 ≤ q ≤ 1) by linear interpolation between order statistics; NaNs are ignored,
    /// and the result is NaN when nothing is left.
    public static func percentile(_ values: [Double], _ q: Double) -> Double {
        let sorted = values.filter { !$0.isNaN }.sorted()
        guard !sorted.isEmpty else { return .nan }
        let position = q * Double(sorted.count - 1)
        let low = Int(position.rounded(.down)), high = min(low + 1, sorted.count - 1)
        return sorted[low] + (sorted[high] - sorted[low]) * (position - Double(low))
    }

    /// The median, NaNs ignored.
    public static func median(_ values: [Double]) -> Double {
        percentile(values, 0.5)
    }
}

import Foundation

/// The logistic loss log(1 + exp(-y f)), written to stay finite and accurate at any margin.
public enum LogisticLoss {
    /// log(1 + exp(-margin)) for margin = y f.
    @inlinable
    public static func value(margin: Double) -> Double {
        let u = -margin
        return max(u, 0) + Foundation.log1p(Foundation.exp(-abs(u)))
    }

    /// g = sigmoid(-margin) = -d/dmargin log(1 + exp(-margin)), the weight each point gets in a GD step.
    @inlinable
    public static func pointWeight(margin: Double) -> Double {
        if margin >= 0 {
            let e = Foundation.exp(-margin)
            return e / (1 + e)
        }
        return 1 / (1 + Foundation.exp(margin))
    }
}

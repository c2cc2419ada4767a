import Foundation

/// The losses models train with; each maps whole outputs and targets to a mean loss and to dL/df.
///
/// Means are over samples: a model with several outputs per sample (logits) divides by the sample count.
public enum Loss: Sendable, Equatable {
    /// Mean of log(1 + exp(-y f)) with y in {+1, -1}.
    case logistic
    /// Mean of exp(-y f).
    case exponential
    /// Mean over every output of (f - y)^2.
    case squared
    /// Mean of -log softmax(f)_y over samples of `classes` logits; the target is the class index.
    case crossEntropy(classes: Int)

    /// Writes dL/df for every output into `gradients`.
    @inlinable
    public func outputGradients(outputs: UnsafeBufferPointer<Double>, targets: [Double], into gradients: UnsafeMutableBufferPointer<Double>) {
        switch self {
        case .logistic:
            let n = Double(outputs.count)
            for i in 0..<outputs.count {
                let y = targets[i]
                gradients[i] = -y * LogisticLoss.pointWeight(margin: y * outputs[i]) / n
            }
        case .exponential:
            let n = Double(outputs.count)
            for i in 0..<outputs.count {
                let y = targets[i]
                gradients[i] = -y * Foundation.exp(-y * outputs[i]) / n
            }
        case .squared:
            let scale = 2 / Double(outputs.count)
            for i in 0..<outputs.count { gradients[i] = scale * (outputs[i] - targets[i]) }
        case .crossEntropy(let classes):
            let samples = outputs.count / classes
            for s in 0..<samples {
                let base = s * classes
                var largest = -Double.infinity
                for c in 0..<classes { largest = max(largest, outputs[base + c]) }
                var total = 0.0
                for c in 0..<classes { total += Foundation.exp(outputs[base + c] - largest) }
                let label = Int(targets[s])
                for c in 0..<classes {
                    let probability = Foundation.exp(outputs[base + c] - largest) / total
                    gradients[base + c] = (probability - (c == label ? 1 : 0)) / Double(samples)
                }
            }
        }
    }

    /// The mean loss.
    public func value(outputs: UnsafeBufferPointer<Double>, targets: [Double]) -> Double {
        switch self {
        case .logistic:
            var total = 0.0
            for i in 0..<outputs.count { total += LogisticLoss.value(margin: targets[i] * outputs[i]) }
            return total / Double(outputs.count)
        case .exponential:
            var total = 0.0
            for i in 0..<outputs.count { total += Foundation.exp(-targets[i] * outputs[i]) }
            return total / Double(outputs.count)
        case .squared:
            var total = 0.0
            for i in 0..<outputs.count { total += (outputs[i] - targets[i]) * (outputs[i] - targets[i]) }
            return total / Double(outputs.count)
        case .crossEntropy(let classes):
            let samples = outputs.count / classes
            var total = 0.0
            for s in 0..<samples {
                let base = s * classes
                var largest = -Double.infinity
                for c in 0..<classes { largest = max(largest, outputs[base + c]) }
                var sum = 0.0
                for c in 0..<classes { sum += Foundation.exp(outputs[base + c] - largest) }
                total += largest + Foundation.log(sum) - outputs[base + Int(targets[s])]
            }
            return total / Double(samples)
        }
    }
}

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

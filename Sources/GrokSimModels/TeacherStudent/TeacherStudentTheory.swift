import Foundation
import GrokSimCore
import GrokSimTheory

/// The Marchenko-Pastur predictions for one teacher-student config (Levi, Beck, Bar-Sinai 2024): loss and accuracy
/// curves, the 95% crossing times and the limits the paper quotes.
///
/// The curves count exact GD steps, (1 − η'a)^t per eigenmode, which is what the simulator runs (the paper's
/// gradient-flow e^(−η'at) differs by O(η)); when GD is unstable on the top of the spectrum they fall back to
/// gradient flow. They assume noise-free labels and plain GD: `applies` says whether the config is such a run.
public struct TeacherStudentTheory: Sendable {
    public let ratio: Double
    public let learningRate: Double
    public let outputs: Int
    /// γ in the paper's convention: the dynamics' weight decay times d_out.
    public let gamma: Double
    public let initScale: Double
    public let epsilon: Double
    public let threshold: Double
    public let dynamics: LinearEstimatorDynamics
    /// Whether the config is a run the theory describes: GD without Langevin noise, noise-free labels.
    public let applies: Bool

    public init(_ config: ExperimentConfig, threshold: Double = 0.95) {
        typealias Keys = TeacherStudentModel.Keys
        ratio = Double(config.integer(Keys.inputs)) / Double(config.integer(Keys.samples))
        learningRate = config.number(Keys.learningRate)
        outputs = config.integer(Keys.outputs)
        gamma = config.number(DynamicsKeys.weightDecay) * Double(outputs)
        initScale = config.number(Keys.initScale)
        epsilon = config.number(Keys.epsilon)
        self.threshold = threshold
        let stable = learningRate / Double(outputs) * (2 * MarchenkoPasturLaw(ratio: ratio).upperEdge + gamma) < 1
        dynamics = LinearEstimatorDynamics(ratio: ratio, learningRate: learningRate, outputs: outputs, weightDecay: gamma,
                                           initScale: initScale, evolution: stable ? .gradientDescent : .gradientFlow)
        applies = config.string(DynamicsKeys.optimizer) == "gd" && config.number(DynamicsKeys.temperature) == 0
            && config.number(Keys.labelNoise) == 0
    }

    /// Predicted (L_train, L_gen, train accuracy, test accuracy) after `step` steps; NaN where a quadrature fails.
    public func curves(step: Int) -> [Double] {
        let t = Double(step)
        let train = (try? dynamics.trainLoss(steps: t)) ?? .nan
        let generalization = (try? dynamics.generalizationLoss(steps: t)) ?? .nan
        func accuracy(_ loss: Double) -> Double {
            loss.isFinite && loss >= 0 ? SquaredErrorAccuracy.accuracy(loss: loss, epsilon: epsilon, outputs: outputs) : .nan
        }
        return [train, generalization, accuracy(train), accuracy(generalization)]
    }

    /// The step at which the predicted accuracy of `split` reaches the threshold (∞ if never, NaN if the search failed).
    public func crossing(_ split: LinearEstimatorDynamics.Split) -> Double {
        do { return try dynamics.crossingTime(split, epsilon: epsilon, threshold: threshold) ?? .infinity } catch { return .nan }
    }

    /// The ε → 0, γ = 0 grokking delay log(1/(1 − √λ))/(2η'(1 − √λ)²), η' = η/d_out (NaN for λ ≥ 1).
    public var delayAsEpsilonVanishes: Double {
        ratio < 1 ? GrokkingAsymptotes.delayAsEpsilonVanishes(ratio: ratio, learningRate: learningRate / Double(outputs)) : .nan
    }

    /// The γ = 0 plateau of L_gen, (1 − 1/λ)(1 + α²)/2 / d_out for λ > 1 (the null space of Σ_train never moves);
    /// at α = 1, d_out = 1 the paper's 1 − 1/λ.
    public var generalizationPlateau: Double {
        GrokkingAsymptotes.generalizationPlateau(ratio: ratio) * (1 + initScale * initScale) / 2 / Double(outputs)
    }

    /// Every number of the prediction, named as in the run file's `/theory` group (times in steps, losses per output).
    public func values() -> [(String, Double, String)] {
        let train = crossing(.train), generalization = crossing(.generalization)
        var result: [(String, Double, String)] = [
            ("ratio", ratio, "lambda = d_in / N"),
            ("threshold", threshold, "accuracy that defines the crossing times"),
            ("t_star_train", train, "step at which the predicted training accuracy reaches the threshold (inf: never)"),
            ("t_star_gen", generalization, "step at which the predicted test accuracy reaches the threshold (inf: never)"),
            ("delay", generalization - train, "predicted grokking delay t_star_gen - t_star_train in steps"),
            ("delay_epsilon_to_zero", delayAsEpsilonVanishes,
             "the paper's eps -> 0, gamma = 0 delay log(1/(1 - sqrt(lambda))) / (2 (eta/d_out) (1 - sqrt(lambda))^2) (NaN for lambda >= 1)"),
            ("gen_loss_plateau", generalizationPlateau, "gamma = 0 limit of L_gen for lambda > 1: (1 - 1/lambda)(1 + alpha^2)/2/d_out"),
            ("train_loss_limit", (try? dynamics.trainLoss(steps: .infinity)) ?? .nan, "predicted L_train as t -> infinity"),
            ("gen_loss_limit", (try? dynamics.generalizationLoss(steps: .infinity)) ?? .nan, "predicted L_gen as t -> infinity"),
            ("equivalent_epsilon", GrokkingAsymptotes.equivalentEpsilon(epsilon, initScale: initScale),
             "init-scale rule: alpha S_0 at tolerance eps is alpha = 1 at 2 eps / (1 + alpha^2) (gamma = 0)"),
            ("applies", applies ? 1 : 0, "1 when the run is plain GD without Langevin noise on noise-free labels, as the theory assumes"),
        ]
        if gamma > 0 && ratio < 1 {
            let d = Double(outputs)
            result.append(("weight_decay_train_plateau", GrokkingAsymptotes.weightDecayTrainPlateau(ratio: ratio, weightDecay: gamma) / d,
                           "small-gamma limit v_T gamma^2 / (4 (1 - lambda)) / d_out of L_train, v_T = 1/2 (the init's teacher variance)"))
            result.append(("weight_decay_gen_plateau", GrokkingAsymptotes.weightDecayGeneralizationPlateau(ratio: ratio, weightDecay: gamma) / d,
                           "small-gamma limit v_T gamma^2 / (4 (1 - lambda)^3) / d_out of L_gen, v_T = 1/2"))
        }
        return result
    }

    /// One line for the banner and the summary header.
    public static func line(_ values: [(String, Double, String)]) -> String {
        func value(_ name: String) -> Double { values.first { $0.0 == name }?.1 ?? .nan }
        func format(_ x: Double) -> String { x.isFinite ? String(format: "%.4g", x) : (x.isNaN ? "n/a" : "never") }
        return "t*_train=\(format(value("t_star_train"))) t*_gen=\(format(value("t_star_gen"))) "
            + "delay=\(format(value("delay"))) delay(eps->0)=\(format(value("delay_epsilon_to_zero"))) "
            + "L_gen(inf)=\(format(value("gen_loss_limit")))"
    }
}

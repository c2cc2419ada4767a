import XCTest
@testable import GrokSimCore

/// The GD step against central finite differences of the loss, away from ReLU kinks.
final class GradientTests: XCTestCase {
    /// The reduced case uses p = 40 > 2 + n + m, so W has columns the data never touch (they only decay).
    private func config(weightDecay: Double = 0, representation: Representation = .explicit) -> ExperimentConfig {
        var config = ExperimentConfig()
        config.n = 7; config.p = representation == .explicit ? 9 : 40; config.m = 5; config.nTest = 3
        config.representation = representation
        config.muNorm = 2; config.eta = 0.3; config.omega = 1; config.alpha = 1
        config.weightDecay = weightDecay; config.steps = 1; config.seed = 21
        return config
    }

    private func loss(_ simulation: Simulation<Double>, _ weights: [Double]) -> Double {
        weights.withUnsafeBufferPointer { simulation.restore(step: 0, localWeights: $0) }
        return simulation.metrics()[Metric.index(of: "train_loss")!]
    }

    func testStepMatchesFiniteDifferences() {
        for (weightDecay, representation) in [(0.0, Representation.explicit), (0.3, .explicit), (0.0, .exactReduced), (0.3, .exactReduced)] {
            let config = config(weightDecay: weightDecay, representation: representation)
            let simulation = Simulation<Double>(config: config, communicator: SerialCommunicator())
            let initial = Array(simulation.network.weights)
            // Every pre-activation must be far from the ReLU kink for a finite difference to see one linear piece.
            let h = 1e-6
            _ = loss(simulation, initial)
            _ = simulation.advance(recordMetrics: false)
            let updated = Array(simulation.network.weights)
            var checked = 0
            for k in 0..<initial.count {
                // W' = (1 - alpha lambda) W - alpha grad, alpha = 1.
                let analytic = (1 - weightDecay) * initial[k] - updated[k]
                var plus = initial, minus = initial
                plus[k] += h
                minus[k] -= h
                let numeric = (loss(simulation, plus) - loss(simulation, minus)) / (2 * h)
                XCTAssertEqual(analytic, numeric, accuracy: 1e-7 + 1e-6 * abs(numeric), "weight \(k), decay \(weightDecay), \(representation.rawValue)")
                checked += 1
            }
            XCTAssertEqual(checked, config.m * config.weightDimension)
            XCTAssertGreaterThan(initial.indices.map { abs((1 - weightDecay) * initial[$0] - updated[$0]) }.max()!, 1e-3,
                                 "the gradient must not vanish, or the comparison proves nothing")
        }
    }

    /// float32 follows float64 to single-precision accuracy over a few steps.
    func testFloat32FollowsFloat64() {
        var config = config()
        config.alpha = 0.05
        config.steps = 5
        let double = Simulation<Double>(config: config, communicator: SerialCommunicator())
        var single32 = config
        single32.precision = .float32
        let single = Simulation<Float>(config: single32, communicator: SerialCommunicator())
        for _ in 0..<5 {
            _ = double.advance(recordMetrics: false)
            _ = single.advance(recordMetrics: false)
        }
        for k in 0..<double.network.weights.count {
            XCTAssertEqual(Double(single.network.weights[k]), double.network.weights[k], accuracy: 1e-5)
        }
    }
}

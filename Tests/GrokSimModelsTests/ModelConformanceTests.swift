import XCTest
import GrokSimTestSupport
import GrokSimModels
import GrokSimCore
import GrokSimModels
import GrokSimTestSupport

/// Checks every model of `TestModels.conformanceCases` the same way: its gradient against central finite
/// differences (with and without weight decay), float32 against float64, and the dynamics on it.
final class ModelConformanceTests: XCTestCase {
    override func setUp() {
        TestModels.install()
    }

    /// The mean training loss at `parameters` (canonical local layout).
    private func loss(_ simulation: Simulation<Double>, _ parameters: [Double]) -> Double {
        simulation.restore(step: 0, parameters: parameters)
        _ = simulation.metrics()
        return simulation.shard.loss.value(outputs: UnsafeBufferPointer(simulation.trainOutputs), targets: simulation.shard.targets(.train))
    }

    private func learningRateKey(_ testCase: TestModels.Case) throws -> String {
        ModelRegistry.model(of: try testCase.config()).learningRateKey
    }

    func testGradientMatchesFiniteDifferences() throws {
        for testCase in TestModels.conformanceCases {
            for weightDecay in [0.0, 0.3] {
                let config = try testCase.config([("weight_decay", .number(weightDecay))])
                let model = ModelRegistry.model(of: config)
                let lr = config.number(model.learningRateKey)
                let simulation = Simulation<Double>(config: config, communicator: SerialCommunicator())
                let initial = simulation.canonicalParameters()
                _ = loss(simulation, initial)
                _ = simulation.advance(recordMetrics: false)
                let updated = simulation.canonicalParameters()
                // theta' = theta - lr (grad + lambda theta); away from ReLU kinks a finite difference sees one linear piece.
                let h = 1e-6
                for k in initial.indices {
                    let analytic = (initial[k] - updated[k]) / lr - weightDecay * initial[k]
                    var plus = initial, minus = initial
                    plus[k] += h
                    minus[k] -= h
                    let numeric = (loss(simulation, plus) - loss(simulation, minus)) / (2 * h)
                    XCTAssertEqual(analytic, numeric, accuracy: 1e-7 + 1e-6 * abs(numeric), "\(testCase.name): parameter \(k), decay \(weightDecay)")
                }
                XCTAssertEqual(initial.count, model.parameterCount(config), testCase.name)
                XCTAssertGreaterThan(initial.indices.map { abs(initial[$0] - updated[$0]) }.max()!, 1e-3,
                                     "\(testCase.name): the step must move the parameters, or the comparison proves nothing")
            }
        }
    }

    /// Adam's first step is lr sign(g) up to epsilon: every parameter moves by lr against its gradient.
    func testAdamFirstStepIsSignedLearningRate() throws {
        for testCase in TestModels.conformanceCases where !testCase.gradientDescentOnly {
            let lrKey = try learningRateKey(testCase)
            let adam = Simulation<Double>(config: try testCase.config([("optimizer", .string("adam")), (lrKey, .number(1e-3))]),
                                          communicator: SerialCommunicator())
            let plain = Simulation<Double>(config: try testCase.config([(lrKey, .number(1e-9))]), communicator: SerialCommunicator())
            let initial = adam.canonicalParameters()
            _ = adam.advance(recordMetrics: false)
            _ = plain.advance(recordMetrics: false)
            let gdStep = zip(initial, plain.canonicalParameters()).map { $0 - $1 }
            var moved = 0
            for (k, (before, after)) in zip(initial, adam.canonicalParameters()).enumerated() where abs(gdStep[k]) > 1e-14 {
                XCTAssertEqual(before - after, 1e-3 * (gdStep[k] > 0 ? 1 : -1), accuracy: 1e-6, "\(testCase.name): parameter \(k)")
                moved += 1
            }
            XCTAssertGreaterThan(moved, 0, testCase.name)
        }
    }

    /// Langevin noise at temperature T adds sqrt(2 lr T) N(0, 1): its variance over steps and parameters matches.
    func testLangevinIncrementsHaveTheirVariance() throws {
        for testCase in TestModels.conformanceCases where !testCase.gradientDescentOnly {
            let lrKey = try learningRateKey(testCase)
            // 2 lr T = 1, while lr * grad ~ 1e-12 is negligible.
            let noisy = Simulation<Double>(config: try testCase.config([(lrKey, .number(1e-12)), ("temperature", .number(0.5e12)),
                                                                        ("steps", .integer(200))]),
                                           communicator: SerialCommunicator())
            var increments: [Double] = []
            for _ in 0..<200 {
                let before = noisy.canonicalParameters()
                _ = noisy.advance(recordMetrics: false)
                increments += zip(noisy.canonicalParameters(), before).map { $0 - $1 }
            }
            let variance = increments.map { $0 * $0 }.reduce(0, +) / Double(increments.count)
            let mean = increments.reduce(0, +) / Double(increments.count)
            // Five standard errors of the mean of chi-square(1) draws, and of a normal mean.
            XCTAssertEqual(variance, 1, accuracy: 5 * (2.0 / Double(increments.count)).squareRoot(), "\(testCase.name): \(increments.count) increments")
            XCTAssertEqual(mean, 0, accuracy: 5 / Double(increments.count).squareRoot(), testCase.name)
        }
    }

    /// float32 follows float64 to single-precision accuracy over a few steps.
    func testFloat32FollowsFloat64() throws {
        for testCase in TestModels.conformanceCases {
            let lrKey = try learningRateKey(testCase)
            let config = try testCase.config([(lrKey, .number(0.05)), ("steps", .integer(5))])
            var single32 = config
            single32.precision = .float32
            let double = Simulation<Double>(config: config, communicator: SerialCommunicator())
            let single = Simulation<Float>(config: single32, communicator: SerialCommunicator())
            for _ in 0..<5 {
                _ = double.advance(recordMetrics: false)
                _ = single.advance(recordMetrics: false)
            }
            for (a, b) in zip(single.canonicalParameters(), double.canonicalParameters()) {
                XCTAssertEqual(Double(a), b, accuracy: 1e-5, testCase.name)
            }
        }
    }
}

import XCTest
import GrokSimCore
import GrokSimTestSupport
import GrokSimTheory
@testable import GrokSimModels

/// The teacher-student model against the Marchenko-Pastur theory (Levi, Beck, Bar-Sinai 2024).
///
/// The trajectories at d_in = 1000 come from `TeacherStudentOracle`, the exact GD solution on the sampled training
/// set (the integration tests check it equals the simulator's S to 1e-9); iterating 10^5 steps in a debug build would
/// not fit the test budget.
final class TeacherStudentTests: XCTestCase {
    override func setUp() {
        TestModels.install()
    }

    func config(_ settings: [(String, ConfigValue)]) throws -> ExperimentConfig {
        try ConfigLoader.resolve(preset: nil, file: [("model", .string("teacher-student"))] + settings, overrides: [])
    }

    func testQuadratureMatchesTheClosedFormTrainLoss() throws {
        for ratio in [0.3, 0.9, 1.5] {
            let dynamics = LinearEstimatorDynamics(ratio: ratio, learningRate: 0.01)
            for t in [0.0, 10, 300, 3_000, 30_000] {
                let quadrature = try dynamics.trainLoss(steps: t), closed = dynamics.closedFormTrainLoss(steps: t)
                XCTAssertEqual(quadrature, closed, accuracy: 1e-9 * closed, "lambda \(ratio), t \(t)")
            }
        }
    }

    func testQuadratureMatchesAnAverageOverSampledEigenvalues() throws {
        for ratio in [0.3, 1.5] {
            let d = 400, n = Int(Double(d) / ratio)
            let x = TeacherStudentData.inputs(.train, count: n, inputs: d, seed: 3)
            var covariance = [Double](repeating: 0, count: d * d)
            Double.gemm(transposeA: true, transposeB: false, rows: d, columns: d, inner: n, alpha: 1 / Double(n),
                        a: x, lda: d, b: x, ldb: d, beta: 0, c: &covariance, ldc: d)
            let eigenvalues = try SymmetricEigen(matrix: covariance, order: d, computeVectors: false).values.map { max($0, 0) }
            let dynamics = LinearEstimatorDynamics(ratio: Double(d) / Double(n), learningRate: 0.01)
            for t in [10.0, 100, 300] {
                let sampledTrain = eigenvalues.reduce(0) { $0 + $1 * exp(-4 * 0.01 * $1 * t) } / Double(d)
                let sampledGeneralization = eigenvalues.reduce(0) { $0 + exp(-4 * 0.01 * $1 * t) } / Double(d)
                XCTAssertEqual(sampledTrain, try dynamics.trainLoss(steps: t), accuracy: 0.03 * sampledTrain, "lambda \(ratio), t \(t)")
                XCTAssertEqual(sampledGeneralization, try dynamics.generalizationLoss(steps: t), accuracy: 0.03 * sampledGeneralization,
                               "lambda \(ratio), t \(t)")
            }
        }
    }

    /// L_train = Tr(DᵀΣD)/d_out and L_gen = ‖D‖²/d_out of the exact trajectory at step t.
    func losses(_ oracle: TeacherStudentOracle, _ config: ExperimentConfig, step: Int) -> (train: Double, generalization: Double) {
        let d = oracle.inputs
        let teacher = TeacherStudentData.teacher(inputs: d, outputs: 1, seed: config.seed)
        let deviation = zip(oracle.student(step: step), teacher).map { $0 - $1 }
        // In the eigenbasis Tr(DᵀΣD) = Σ_k ν_k (v_kᵀD)².
        let coefficients = TeacherStudentOracle.project(oracle.eigen.vectors, deviation, order: d, columns: 1, transpose: false)
        let train = zip(oracle.eigen.values, coefficients).reduce(0) { $0 + $1.0 * $1.1 * $1.1 }
        return (train, deviation.reduce(0) { $0 + $1 * $1 })
    }

    func testLossesAtDimension1000FollowTheMarchenkoPasturPrediction() throws {
        // Tolerances, one seed at d_in = 1000: 15% while the bulk of the spectrum dominates (3 sigma of the chi-square
        // fluctuation sqrt(2/d_in) = 4.5% of ||D_0||^2), 40% at late times, when a few modes near the lower edge carry the
        // loss, and 25% for the plateau (3 sigma of sqrt(2/(d_in - N)) for the d_in - N = 333 null modes).
        for (ratio, steps) in [(0.3, [10, 100, 1_000]), (0.9, [10, 100, 1_000, 10_000]), (1.5, [10, 100, 1_000])] {
            let config = try config([("d_in", .integer(1000)), ("n", .integer(Int(1000 / ratio))), ("seed", .integer(1))])
            let oracle = try TeacherStudentOracle(config)
            let theory = TeacherStudentTheory(config)
            for step in steps {
                let measured = losses(oracle, config, step: step)
                let predicted = theory.curves(step: step)
                let tolerance = step <= 100 ? 0.15 : 0.4
                XCTAssertEqual(measured.train, predicted[0], accuracy: tolerance * predicted[0], "lambda \(ratio), L_train at t = \(step)")
                XCTAssertEqual(measured.generalization, predicted[1], accuracy: tolerance * predicted[1], "lambda \(ratio), L_gen at t = \(step)")
            }
            if ratio > 1 {
                let plateau = losses(oracle, config, step: 1_000_000).generalization
                XCTAssertEqual(plateau, 1 - 1 / ratio, accuracy: 0.25 * (1 - 1 / ratio), "the plateau 1 - 1/lambda")
                XCTAssertEqual(theory.generalizationPlateau, 1 - 1 / ratio, accuracy: 1e-3)
            }
        }
    }

    /// The first step at which the fraction of samples with squared error below ε reaches 95%, by bisection.
    func crossing(_ oracle: TeacherStudentOracle, x: [Double], y: [Double], epsilon: Double, upTo limit: Int) -> Int {
        let d = oracle.inputs, count = y.count
        func accuracy(_ step: Int) -> Double {
            let s = oracle.student(step: step)
            var correct = 0
            for i in 0..<count {
                var f = 0.0
                for k in 0..<d { f += x[i * d + k] * s[k] }
                if (f - y[i]) * (f - y[i]) < epsilon { correct += 1 }
            }
            return Double(correct) / Double(count)
        }
        var low = 0, high = limit
        while high - low > 1 {
            let middle = (low + high) / 2
            if accuracy(middle) >= 0.95 { high = middle } else { low = middle }
        }
        return high
    }

    func testGrokkingDelayAtRatio09MatchesTheExactPredictionNotTheAsymptote() throws {
        var delays: [Double] = []
        var predicted = 0.0, asymptote = 0.0
        for seed in 0..<5 {
            let config = try config([("d_in", .integer(1000)), ("n", .integer(1111)), ("n_test", .integer(1000)), ("seed", .integer(seed))])
            let oracle = try TeacherStudentOracle(config)
            let teacher = TeacherStudentData.teacher(inputs: 1000, outputs: 1, seed: config.seed)
            let trainX = TeacherStudentData.inputs(.train, count: 1111, inputs: 1000, seed: config.seed)
            let testX = TeacherStudentData.inputs(.test, count: 1000, inputs: 1000, seed: config.seed)
            let trainY = TeacherStudentData.targets(.train, count: 1111, inputs: 1000, outputs: 1, teacher: teacher, noise: 0, seed: config.seed)
            let testY = TeacherStudentData.targets(.test, count: 1000, inputs: 1000, outputs: 1, teacher: teacher, noise: 0, seed: config.seed)
            let train = crossing(oracle, x: trainX, y: trainY, epsilon: 1e-3, upTo: 1 << 20)
            let generalization = crossing(oracle, x: testX, y: testY, epsilon: 1e-3, upTo: 1 << 20)
            delays.append(Double(generalization - train))
            let theory = TeacherStudentTheory(config)
            predicted = theory.crossing(.generalization) - theory.crossing(.train)
            asymptote = theory.delayAsEpsilonVanishes
        }
        let mean = delays.reduce(0, +) / Double(delays.count)
        print("lambda 0.9: measured delays \(delays), mean \(mean); exact MP \(predicted); eps -> 0 formula \(asymptote)")
        XCTAssertEqual(predicted, 20_000, accuracy: 1_500)
        XCTAssertEqual(mean, predicted, accuracy: 0.25 * predicted)
        XCTAssertLessThan(mean, 0.6 * asymptote)
    }
}

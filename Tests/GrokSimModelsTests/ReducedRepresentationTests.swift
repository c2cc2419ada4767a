import Foundation
import XCTest
import GrokSimTestSupport
import GrokSimModels
@testable import GrokSimCore

/// The reduced representation: its layout, its automatic choice, and a pathwise match with an explicit run.
final class ReducedRepresentationTests: XCTestCase {
    override func setUp() {
        TestModels.install()
    }

    private func reducedConfig(p: Int = 1_000_000_000_000) -> ExperimentConfig {
        var config = ExperimentConfig()
        config.n = 6; config.p = p; config.m = 5; config.nTest = 9
        config.muNorm = 3; config.eta = 0.2; config.omega = 0.5; config.alpha = 1e-3; config.seed = 11
        config.representation = .exactReduced
        return config
    }

    func testDimensionsAndAutomaticChoice() {
        var config = reducedConfig()
        XCTAssertEqual(config.weightDimension, 2 + 6 + 5)
        XCTAssertEqual(config.trainDimension, 2 + 6)
        config.p = 10
        XCTAssertEqual(config.weightDimension, 10)
        XCTAssertEqual(config.trainDimension, 8)
        config.p = 5
        XCTAssertEqual(config.trainDimension, 5)
        config.representation = nil
        XCTAssertEqual(config.resolvedRepresentation, .explicit, "p <= 2 + n + m gains nothing from reducing")
        config.p = 1_000_000
        XCTAssertEqual(config.resolvedRepresentation, .explicit, "20 rows of 1e6 doubles fit easily")
        config.p = 1 << 40
        XCTAssertEqual(config.resolvedRepresentation, .exactReduced)
        XCTAssertEqual(Preset.all.filter { $0.name.hasPrefix("xu2024") }.count, 2)
        var paper = ExperimentConfig()
        paper.p = 40_000
        XCTAssertEqual(paper.resolvedRepresentation, .explicit, "the paper's own settings keep their explicit trajectories")
    }

    /// Training point i is zero after basis vector 2 + i, which holds chi_(p-2-i); weight j likewise after 2 + n + j.
    func testRowsHaveTheBartlettLayout() {
        let config = reducedConfig()
        let simulation = Simulation<Double>(config: config, communicator: SerialCommunicator())
        let train = simulation.network.train, d = config.weightDimension, k = config.trainDimension
        let sqrtP = Double(config.p).squareRoot()
        for i in 0..<config.n {
            let row = Array(train.point(i))
            XCTAssertEqual(row.count, k)
            if 3 + i < k { XCTAssertTrue(row[(3 + i)...].allSatisfy { $0 == 0 }, "point \(i)") }
            // chi_k is within a few units of sqrt(k) for huge k (its standard deviation is 1/sqrt(2)).
            XCTAssertEqual(row[2 + i], sqrtP, accuracy: 6, "point \(i)")
        }
        let weights = simulation.network.weights
        for j in 0..<config.m {
            let row = Array(weights[j * d ..< (j + 1) * d])
            XCTAssertTrue(row[(3 + config.n + j)...].allSatisfy { $0 == 0 }, "neuron \(j)")
            XCTAssertEqual(row[2 + config.n + j], config.omega * sqrtP, accuracy: 6 * config.omega, "neuron \(j)")
            XCTAssertLessThan(abs(row[0]), 6 * config.omega)
        }
        XCTAssertEqual(simulation.network.test.dimension, d)
    }

    /// Gram–Schmidt on an explicit run's own vectors gives coordinates in which the reduced engine must
    /// retrace the explicit trajectory: every metric, the weights' Gram matrix and the outputs.
    func testReducedEngineRetracesAnExplicitRunInItsOwnBasis() {
        for weightDecay in [0.0, 0.4] {
            var explicitConfig = ExperimentConfig()
            explicitConfig.n = 8; explicitConfig.p = 50; explicitConfig.m = 6; explicitConfig.nTest = 25
            explicitConfig.muNorm = 4; explicitConfig.eta = 0.25; explicitConfig.omega = 0.3; explicitConfig.alpha = 0.02
            explicitConfig.weightDecay = weightDecay; explicitConfig.seed = 6
            explicitConfig.representation = .explicit
            var reducedConfig = explicitConfig
            reducedConfig.representation = .exactReduced
            let p = explicitConfig.p, n = explicitConfig.n, m = explicitConfig.m
            let d = reducedConfig.weightDimension, k = reducedConfig.trainDimension

            let explicit = Simulation<Double>(config: explicitConfig, communicator: SerialCommunicator())
            let train = explicit.network.train, test = explicit.network.test
            XCTAssertTrue(train.flipped.contains(true), "the seed must flip a label so the flipped-point metrics are compared")
            let mu = explicitConfig.resolvedMuNorm
            func mean(_ cluster: Int) -> [Double] {
                var v = [Double](repeating: 0, count: p)
                v[cluster / 2] = cluster % 2 == 0 ? mu : -mu
                return v
            }
            func unit(_ axis: Int) -> [Double] { (0..<p).map { $0 == axis ? 1 : 0 } }
            let noise = (0..<n).map { i in zip(Array(train.point(i)), mean(train.clusters[i])).map { $0 - $1 } }
            let initial = (0..<m).map { Array(explicit.network.weights[$0 * p ..< ($0 + 1) * p]) }
            let basis = Self.gramSchmidt([unit(0), unit(1)] + noise + initial)
            XCTAssertEqual(basis.count, d)
            func coordinates(_ v: [Double], _ count: Int) -> [Double] { basis.prefix(count).map { Self.dot($0, v) } }

            // The explicit noise in its own basis is lower triangular with a positive diagonal: the Bartlett layout.
            for i in 0..<n {
                let c = coordinates(noise[i], d)
                XCTAssertGreaterThan(c[2 + i], 0)
                XCTAssertLessThan(c[(3 + i)...].map(abs).max() ?? 0, 1e-12)
            }
            let reducedTrain = XORClusterData<Double>(
                points: (0..<n).flatMap { coordinates(Array(train.point($0)), k) }, dimension: k, labels: train.labels,
                cleanLabels: train.cleanLabels, clusters: train.clusters, flipped: train.flipped)
            // Test points need only their projection on the span the weights live in.
            let reducedTest = XORClusterData<Double>(
                points: (0..<test.count).flatMap { coordinates(Array(test.point($0)), d) }, dimension: d, labels: test.labels,
                cleanLabels: test.cleanLabels, clusters: test.clusters, flipped: test.flipped)
            let network = TwoLayerReLUNetwork<Double>(config: reducedConfig.settings, partition: WidthPartition(width: reducedConfig.m, parts: 1),
                                                      part: 0, train: reducedTrain, test: reducedTest)
            let reduced = Simulation<Double>(config: reducedConfig, communicator: SerialCommunicator(), shard: network)
            let reducedInitial = initial.flatMap { coordinates($0, d) }
            reduced.restore(step: 0, parameters: reducedInitial)

            var trainAccuracies = Set<Double>()
            for step in 0..<12 {
                let a = explicit.advance(recordMetrics: true)!, b = reduced.advance(recordMetrics: true)!
                for (index, name) in XORMetrics.all.map(\.name).enumerated() {
                    if a[index].isNaN { XCTAssertTrue(b[index].isNaN, name); continue }
                    XCTAssertEqual(a[index], b[index], accuracy: 1e-9 * max(1, abs(a[index])), "\(name) at step \(step), decay \(weightDecay)")
                }
                trainAccuracies.insert(a[XORMetrics.all.index(of: "train_accuracy")!])
                for i in 0..<n {
                    XCTAssertEqual(explicit.trainOutputs[i], reduced.trainOutputs[i], accuracy: 1e-9 * max(1e-3, abs(explicit.trainOutputs[i])))
                }
                for i in 0..<test.count {
                    XCTAssertEqual(explicit.testOutputs[i], reduced.testOutputs[i], accuracy: 1e-9 * max(1e-3, abs(explicit.testOutputs[i])))
                }
            }
            XCTAssertGreaterThan(trainAccuracies.count, 1, "the trajectory must move for the comparison to mean something")
            // Inner products of the final weights with each other and with the training points.
            let wExplicit = (0..<m).map { Array(explicit.network.weights[$0 * p ..< ($0 + 1) * p]) }
            let wReduced = (0..<m).map { Array(reduced.network.weights[$0 * d ..< ($0 + 1) * d]) }
            for j in 0..<m {
                for l in 0..<m {
                    let e = Self.dot(wExplicit[j], wExplicit[l])
                    XCTAssertEqual(e, Self.dot(wReduced[j], wReduced[l]), accuracy: 1e-9 * max(1e-3, abs(e)))
                }
                for i in 0..<n {
                    let e = Self.dot(wExplicit[j], Array(train.point(i)))
                    XCTAssertEqual(e, Self.dot(Array(wReduced[j].prefix(k)), Array(reducedTrain.point(i))), accuracy: 1e-9 * max(1e-3, abs(e)))
                }
            }
        }
    }

    static func dot(_ a: [Double], _ b: [Double]) -> Double {
        zip(a, b).reduce(0) { $0 + $1.0 * $1.1 }
    }

    /// Orthonormalises in order, twice per vector for accuracy, dropping vectors already in the span.
    static func gramSchmidt(_ vectors: [[Double]]) -> [[Double]] {
        var basis: [[Double]] = []
        for vector in vectors {
            var v = vector
            let norm0 = dot(v, v).squareRoot()
            for _ in 0..<2 {
                for q in basis {
                    let c = dot(q, v)
                    for k in v.indices { v[k] -= c * q[k] }
                }
            }
            let norm = dot(v, v).squareRoot()
            if norm > 1e-10 * norm0 { basis.append(v.map { $0 / norm }) }
        }
        return basis
    }
}

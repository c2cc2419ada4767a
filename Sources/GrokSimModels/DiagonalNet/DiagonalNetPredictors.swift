import Foundation
import GrokSimCore
import GrokSimTheory

/// The two predictors of Lyu et al.'s dichotomy for a diagonal net's training set: the max-L2-margin classifier
/// (the kernel predictor of the early phase; libsvm) and the max-L1-margin classifier (the late KKT solution; GLPK).
///
/// They are solved once per process and config (rank 0 solves and broadcasts, see `DiagonalNetShard`), because the
/// run file's fixed arrays, its /theory group and every shard need them.
struct DiagonalNetPredictors: Sendable {
    let l2: [Double]
    let l1: [Double]
    /// Normalised margins min_i y_i <w, x_i> / ||w|| in each predictor's own norm.
    let l2Margin: Double
    let l1Margin: Double

    /// Solves both problems on the training set of `config` (the whole n x d matrix as doubles, freed afterwards).
    static func solve(_ config: ExperimentConfig) throws -> DiagonalNetPredictors {
        let data = DiagonalNetData(config: config)
        let n = config.integer(DiagonalNetModel.Keys.n)
        let (x, y) = data.dense(rows: n, split: .train, tile: DiagonalNetModel().tile(config))
        let points = PointMatrix(count: n, dimension: data.d, values: x)
        guard let l2 = try L2MarginSolver().solve(points: points, labels: y).solution,
              let l1 = try L1MarginSolver().solve(points: points, labels: y).solution else {
            throw ConfigError("diagonal-net: the training set is not linearly separable, so no max-margin classifier exists (set predictors = false)")
        }
        return DiagonalNetPredictors(l2: l2.weights, l1: l1.weights, l2Margin: l2.margin, l1Margin: l1.margin)
    }

    /// The bit patterns as text, for `Communicator.broadcast`.
    var encoded: String {
        ([l2Margin, l1Margin] + l2 + l1).map { String($0.bitPattern, radix: 16) }.joined(separator: " ")
    }

    init(l2: [Double], l1: [Double], l2Margin: Double, l1Margin: Double) {
        self.l2 = l2
        self.l1 = l1
        self.l2Margin = l2Margin
        self.l1Margin = l1Margin
    }

    init?(encoded: String, dimension: Int) {
        let values = encoded.split(separator: " ").compactMap { UInt64($0, radix: 16).map(Double.init(bitPattern:)) }
        guard values.count == 2 + 2 * dimension else { return nil }
        self.init(l2: Array(values[2..<(2 + dimension)]), l1: Array(values[(2 + dimension)...]), l2Margin: values[0], l1Margin: values[1])
    }

    private static let cache = PredictorCache()

    /// The predictors of `config`, solved at most once per process.
    static func shared(_ config: ExperimentConfig) throws -> DiagonalNetPredictors {
        if let cached = cache.value(for: cacheKey(config)) { return cached }
        let solved = try solve(config)
        cache.store(solved, for: cacheKey(config))
        return solved
    }

    /// Records predictors solved on another rank (received by broadcast).
    static func record(_ predictors: DiagonalNetPredictors, for config: ExperimentConfig) {
        cache.store(predictors, for: cacheKey(config))
    }

    static func cached(_ config: ExperimentConfig) -> DiagonalNetPredictors? { cache.value(for: cacheKey(config)) }

    /// The keys the training set depends on.
    private static func cacheKey(_ config: ExperimentConfig) -> String {
        typealias Keys = DiagonalNetModel.Keys
        return [config.string(Keys.task), "\(config.integer(Keys.n))", "\(config.integer(Keys.d))", "\(config.integer(Keys.k))",
                "\(config.number(Keys.gamma))", "\(config.seed)"].joined(separator: "/")
    }
}

/// A lock-protected dictionary of solved predictors.
private final class PredictorCache: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [String: DiagonalNetPredictors] = [:]

    func value(for key: String) -> DiagonalNetPredictors? {
        lock.lock()
        defer { lock.unlock() }
        return values[key]
    }

    func store(_ value: DiagonalNetPredictors, for key: String) {
        lock.lock()
        defer { lock.unlock() }
        values[key] = value
    }
}

import GrokSimCore

/// The multiplication table, its observed entries and the initial perturbation, regenerated from the seed on
/// every rank: entries are addressed by their global index i·d + j, so every rank holds the same lists.
///
/// The observed set is the first round(f·d²) entries of a Fisher-Yates permutation of the d² ordered pairs
/// (as Lyu et al.'s code draws it), sorted by index; every other entry is a test entry.
struct MatrixCompletionData: Sendable {
    static let permutationStream = RandomStreamID(rawValue: 401)
    static let perturbationStream = RandomStreamID(rawValue: 402)

    let d: Int
    /// Observed (training) and unobserved (test) entries as global indices i·d + j, ascending.
    let observed: [Int]
    let unobserved: [Int]

    init(config: ExperimentConfig) {
        typealias Keys = MatrixCompletionModel.Keys
        d = config.integer(Keys.d)
        let count = Self.observedCount(d: d, fraction: config.number(Keys.observedFraction))
        let stream = RandomStream(seed: config.seed, stream: Self.permutationStream)
        var order = Array(0..<(d * d))
        // Only the first `count` places are needed: a partial Fisher-Yates shuffle from the front.
        for t in 0..<count {
            let remaining = order.count - t
            let pick = t + min(remaining - 1, Int(stream.uniform(UInt64(t)) * Double(remaining)))
            order.swapAt(t, pick)
        }
        observed = order[0..<count].sorted()
        var isObserved = [Bool](repeating: false, count: d * d)
        for e in observed { isObserved[e] = true }
        unobserved = (0..<(d * d)).filter { !isObserved[$0] }
    }

    /// The number of observed entries for a fraction of the d² entries.
    static func observedCount(d: Int, fraction: Double) -> Int {
        Int((fraction * Double(d) * Double(d)).rounded())
    }

    /// X*_ij = i·j/d² of the entry with global index `entry`.
    func truth(_ entry: Int) -> Double {
        Double(entry / d) * Double(entry % d) / (Double(d) * Double(d))
    }

    /// The whole table X*, d × d row-major.
    var truthMatrix: [Double] { (0..<(d * d)).map(truth) }

    /// The kernel-regime predictor: X* on the observed entries and their transposes, 0 elsewhere (d × d row-major).
    var kernelPredictor: [Double] {
        var matrix = [Double](repeating: 0, count: d * d)
        for e in observed {
            let i = e / d, j = e % d
            matrix[e] = truth(e)
            matrix[j * d + i] = truth(j * d + i)
        }
        return matrix
    }

    /// The Gaussian perturbation Z_ik added (times σ) to both U and V at initialisation, by global index i·d + k.
    func perturbation(row i: Int, column k: Int, stream: RandomStream) -> Double {
        stream.normal(UInt64(i) * UInt64(d) + UInt64(k))
    }
}

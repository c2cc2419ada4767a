import GrokSimCore

/// The random streams and data of the linear logistic model; every number is addressed by global index, so any
/// rank regenerates exactly its own columns.
enum LinearLogisticData {
    static let teacherStream = RandomStreamID(rawValue: 101)
    static let trainInputs = RandomStreamID(rawValue: 102)
    static let testInputs = RandomStreamID(rawValue: 103)
    static let flips = RandomStreamID(rawValue: 104)
    static let initialWeights = RandomStreamID(rawValue: 105)

    /// The teacher w* ~ N(0, I_d).
    static func teacher(dimension: Int, seed: UInt64) -> [Double] {
        let stream = RandomStream(seed: seed, stream: teacherStream)
        return (0..<dimension).map { stream.normal(UInt64($0)) }
    }

    /// Labels sign(<w*, x_i>) of all `count` points (every rank computes them whole, in the same order), flipped
    /// with probability `flipRate`.
    static func labels(count: Int, dimension: Int, teacher: [Double], stream id: RandomStreamID, seed: UInt64, flipRate: Double) -> [Double] {
        let stream = RandomStream(seed: seed, stream: id)
        let flip = RandomStream(seed: seed, stream: flips)
        return (0..<count).map { i in
            var dot = 0.0
            for k in 0..<dimension { dot += teacher[k] * stream.normal(UInt64(i) * UInt64(dimension) + UInt64(k)) }
            let clean: Double = dot >= 0 ? 1 : -1
            return flipRate > 0 && flip.uniform(UInt64(i)) <= flipRate ? -clean : clean
        }
    }
}

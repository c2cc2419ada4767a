import GrokSimCore

/// The random streams of the random-label network: every number is addressed by a global index, so any rank
/// regenerates exactly the data it needs and its own hidden units.
enum RandomLabelMLPData {
    static let trainInputs = RandomStreamID(rawValue: 301)
    static let testInputs = RandomStreamID(rawValue: 302)
    static let trainLabels = RandomStreamID(rawValue: 303)
    static let testLabels = RandomStreamID(rawValue: 304)
    static let hiddenWeights = RandomStreamID(rawValue: 305)
    static let outputWeights = RandomStreamID(rawValue: 306)

    /// Gaussian inputs x_i ~ N(0, I_d), row-major (sample i, coordinate k at i d + k).
    static func inputs(count: Int, dimension: Int, stream id: RandomStreamID, seed: UInt64) -> [Double] {
        let stream = RandomStream(seed: seed, stream: id)
        return (0..<(count * dimension)).map { stream.normal(UInt64($0)) }
    }

    /// Labels +1 or -1 with probability 1/2 each, independent of the inputs.
    static func labels(count: Int, stream id: RandomStreamID, seed: UInt64) -> [Double] {
        let stream = RandomStream(seed: seed, stream: id)
        return (0..<count).map { stream.uniform(UInt64($0)) < 0.5 ? 1 : -1 }
    }
}

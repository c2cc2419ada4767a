import GrokSimCore

/// The random streams and points of the constant-label model; every number is addressed by global index, so a
/// rank regenerates exactly its own coordinates and the theory regenerates the whole set.
enum ConstantLabelData {
    static let trainInputs = RandomStreamID(rawValue: 121)
    static let testInputs = RandomStreamID(rawValue: 122)
    static let trainClasses = RandomStreamID(rawValue: 123)
    static let testClasses = RandomStreamID(rawValue: 124)
    static let initialWeights = RandomStreamID(rawValue: 125)

    /// Targets of the engine's binary loss: −1 for every point of the reduced and toy problems (so the loss is
    /// ℓ(f) = log(1 + e^f) or e^f, small when f < 0 as in the science notes), the class ±1 for two Gaussians.
    static func targets(_ settings: ConstantLabelSettings, test: Bool) -> [Double] {
        let count = test ? settings.nTest : settings.n
        guard settings.task == .twoGaussians else { return Array(repeating: -1, count: count) }
        let stream = RandomStream(seed: settings.seed, stream: test ? testClasses : trainClasses)
        return (0..<count).map { stream.uniform(UInt64($0)) < 0.5 ? 1 : -1 }
    }

    /// Coordinate k of point i, given the point's target `label` (used by two Gaussians only).
    static func coordinate(_ settings: ConstantLabelSettings, test: Bool, point i: Int, coordinate k: Int, label: Double) -> Double {
        let stream = RandomStream(seed: settings.seed, stream: test ? testInputs : trainInputs)
        let index = UInt64(i) * UInt64(settings.d) + UInt64(k)
        switch settings.task {
        case .constantLabel:
            return settings.sigma * stream.normal(index)
        case .toy1D:
            if test { return settings.sigma * stream.normal(index) }
            return i == 0 ? -settings.sigma : settings.sigma * (1 - 2 * settings.toyLambda)
        case .twoGaussians:
            return k == 0 ? label * settings.mu + settings.sigmaA * stream.normal(index) : settings.sigmaB * stream.normal(index)
        }
    }

    /// The initial S (or w): N(0, init_scale²) per coordinate.
    static func initialWeight(_ settings: ConstantLabelSettings, coordinate k: Int) -> Double {
        settings.initScale == 0 ? 0 : settings.initScale * RandomStream(seed: settings.seed, stream: initialWeights).normal(UInt64(k))
    }
}

import GrokSimCore

/// The random streams of the XOR model (their values are part of every recorded trajectory: never renumber them).
public enum XORStreams {
    public static let trainLabels = RandomStreamID(rawValue: 1)
    public static let trainNoise = RandomStreamID(rawValue: 2)
    public static let testLabels = RandomStreamID(rawValue: 3)
    public static let testNoise = RandomStreamID(rawValue: 4)
    public static let secondLayer = RandomStreamID(rawValue: 5)
    public static let initialWeights = RandomStreamID(rawValue: 6)
    /// The chi-distributed new coordinates of the reduced representation (one counter per vector).
    public static let chi = RandomStreamID(rawValue: 7)
}

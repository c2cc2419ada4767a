import GrokSimCore

/// The pairs (a, b) of Z_p x Z_p, their labels a op b mod p, and the random split into training and test pairs.
///
/// Every rank builds the whole split (it is small: p^2 pairs) from the seed, in the same order.
public struct ModularData: Sendable {
    static let permutationStream = RandomStreamID(rawValue: 501)
    static let firstLayerStream = RandomStreamID(rawValue: 502)
    static let secondLayerStream = RandomStreamID(rawValue: 503)

    public let modulus: Int
    public let trainA: [Int32], trainB: [Int32], trainLabels: [Int32]
    public let testA: [Int32], testB: [Int32], testLabels: [Int32]

    /// The operations on Z_p the task can learn.
    public enum Operation: String, CaseIterable, Sendable {
        case add, subtract, multiply, divide

        /// a op b mod p; for divide, b must be non-zero (p prime).
        func apply(_ a: Int, _ b: Int, modulus p: Int) -> Int {
            switch self {
            case .add: return (a + b) % p
            case .subtract: return ((a - b) % p + p) % p
            case .multiply: return (a * b) % p
            case .divide: return (a * ModularData.inverse(b, modulus: p)) % p
            }
        }
    }

    /// The pairs the operation is defined on: all p^2, or the p (p - 1) with b != 0 for division.
    public static func pairCount(modulus p: Int, operation: Operation) -> Int {
        operation == .divide ? p * (p - 1) : p * p
    }

    /// Training pairs: floor(fraction x pairs), as the paper's 40% of 97^2 = 3763.
    public static func trainCount(modulus p: Int, operation: Operation, fraction: Double) -> Int {
        Int((fraction * Double(pairCount(modulus: p, operation: operation))).rounded(.down))
    }

    public init(modulus p: Int, operation: Operation, fraction: Double, seed: UInt64) {
        modulus = p
        var pairs: [(Int, Int)] = []
        for a in 0..<p {
            for b in 0..<p where operation != .divide || b != 0 { pairs.append((a, b)) }
        }
        // A random permutation: sort the pairs by a uniform key addressed by the pair's index (ties by index).
        let stream = RandomStream(seed: seed, stream: Self.permutationStream)
        let keys = (0..<pairs.count).map { stream.uniform(UInt64($0)) }
        let order = (0..<pairs.count).sorted { keys[$0] != keys[$1] ? keys[$0] < keys[$1] : $0 < $1 }
        let n = Self.trainCount(modulus: p, operation: operation, fraction: fraction)
        func column(_ range: Range<Int>, _ pick: ((Int, Int)) -> Int) -> [Int32] {
            order[range].map { Int32(pick(pairs[$0])) }
        }
        let train = 0..<n, test = n..<pairs.count
        trainA = column(train) { $0.0 }
        trainB = column(train) { $0.1 }
        trainLabels = column(train) { operation.apply($0.0, $0.1, modulus: p) }
        testA = column(test) { $0.0 }
        testB = column(test) { $0.1 }
        testLabels = column(test) { operation.apply($0.0, $0.1, modulus: p) }
    }

    /// b^(p-2) mod p, the inverse of b in Z_p for p prime.
    static func inverse(_ b: Int, modulus p: Int) -> Int {
        var result = 1, base = b % p, exponent = p - 2
        while exponent > 0 {
            if exponent & 1 == 1 { result = result * base % p }
            base = base * base % p
            exponent >>= 1
        }
        return result
    }

    /// Whether `p` is prime (trial division; p is at most a few thousand).
    public static func isPrime(_ p: Int) -> Bool {
        if p < 2 { return false }
        var d = 2
        while d * d <= p {
            if p % d == 0 { return false }
            d += 1
        }
        return true
    }
}

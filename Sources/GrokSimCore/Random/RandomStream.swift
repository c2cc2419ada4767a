import Foundation

/// One independent random stream of an experiment; the raw value is part of every Philox counter.
///
/// Models declare their streams as static constants in their own folder (values below 1000); the engine's
/// own streams use values from 1000 on, so a model's streams never collide with the dynamics'.
public struct RandomStreamID: RawRepresentable, Sendable, Hashable {
    public let rawValue: UInt32

    public init(rawValue: UInt32) {
        self.rawValue = rawValue
    }

    /// The Langevin noise of the dynamics, keyed by (step, global parameter index).
    public static let langevinNoise = RandomStreamID(rawValue: 1000)
}

/// Random numbers addressed by (seed, stream, index): the same index always gives the same number.
///
/// Index `i` of a stream uses counter (low 32 bits of i/2, high 32 bits of i/2, stream, 0) for normals, so
/// one Philox block yields the Box–Muller pair for indices 2k and 2k+1.
public struct RandomStream: Sendable {
    public let generator: Philox
    public let stream: UInt32

    public init(seed: UInt64, stream: RandomStreamID) {
        self.generator = Philox(key: seed)
        self.stream = stream.rawValue
    }

    /// The 128 bits for counter `index` of this stream; `attempt` selects further blocks at the same index
    /// (rejection samplers use it, so their variable number of draws never collides with another index).
    @inlinable
    public func bits(_ index: UInt64, attempt: UInt32 = 0) -> Philox.Block {
        generator.block((UInt32(truncatingIfNeeded: index), UInt32(truncatingIfNeeded: index >> 32), stream, attempt))
    }

    /// A uniform number in (0, 1] built from 53 random bits; never 0, so its logarithm is finite.
    @inlinable
    public static func unitInterval(_ high: UInt32, _ low: UInt32) -> Double {
        let bits53 = (UInt64(high) << 21) ^ UInt64(low >> 11)
        return (Double(bits53) + 1) * 0x1p-53
    }

    /// The standard normal pair of block `pairIndex` (Box–Muller).
    @inlinable
    public func normalPair(_ pairIndex: UInt64) -> (Double, Double) {
        let b = bits(pairIndex)
        let u1 = RandomStream.unitInterval(b.0, b.1)
        let u2 = RandomStream.unitInterval(b.2, b.3)
        let radius = (-2 * Foundation.log(u1)).squareRoot()
        let angle = 2 * Double.pi * u2
        return (radius * Foundation.cos(angle), radius * Foundation.sin(angle))
    }

    /// The standard normal number at `index`.
    @inlinable
    public func normal(_ index: UInt64) -> Double {
        let pair = normalPair(index >> 1)
        return index & 1 == 0 ? pair.0 : pair.1
    }

    /// A uniform number in (0, 1] at `index`, from the first two words of its block.
    @inlinable
    public func uniform(_ index: UInt64) -> Double {
        let b = bits(index)
        return RandomStream.unitInterval(b.0, b.1)
    }

    /// Fills `buffer` with `scale` times the normals at indices `start ..< start + buffer.count`.
    public func fillNormals(_ buffer: UnsafeMutableBufferPointer<Double>, start: UInt64, scale: Double = 1) {
        var offset = 0
        var index = start
        if index & 1 == 1, offset < buffer.count {
            buffer[offset] = scale * normal(index)
            offset += 1
            index += 1
        }
        while offset + 1 < buffer.count {
            let pair = normalPair(index >> 1)
            buffer[offset] = scale * pair.0
            buffer[offset + 1] = scale * pair.1
            offset += 2
            index += 2
        }
        if offset < buffer.count {
            buffer[offset] = scale * normal(index)
        }
    }
}

/// The Philox4x32-10 counter-based generator (Salmon et al., SC'11).
///
/// A counter-based generator maps (key, counter) to random bits with no state, so any element of any
/// array can be drawn on its own. That is what makes the data and the initial weights identical whatever
/// the number of ranks: each rank draws exactly the elements it owns.
public struct Philox: Sendable {
    /// Four 32-bit words of output or counter.
    public typealias Block = (UInt32, UInt32, UInt32, UInt32)

    @usableFromInline static let multiplier0: UInt32 = 0xD251_1F53
    @usableFromInline static let multiplier1: UInt32 = 0xCD9E_8D57
    @usableFromInline static let weyl0: UInt32 = 0x9E37_79B9
    @usableFromInline static let weyl1: UInt32 = 0xBB67_AE85

    /// The 64-bit key.
    public let key: UInt64

    public init(key: UInt64) {
        self.key = key
    }

    /// Returns the 128 random bits for one counter value.
    @inlinable
    public func block(_ counter: Block) -> Block {
        var c = counter
        var k0 = UInt32(truncatingIfNeeded: key)
        var k1 = UInt32(truncatingIfNeeded: key >> 32)
        for _ in 0..<10 {
            let p0 = UInt64(Philox.multiplier0) &* UInt64(c.0)
            let p1 = UInt64(Philox.multiplier1) &* UInt64(c.2)
            c = (UInt32(truncatingIfNeeded: p1 >> 32) ^ c.1 ^ k0, UInt32(truncatingIfNeeded: p1),
                 UInt32(truncatingIfNeeded: p0 >> 32) ^ c.3 ^ k1, UInt32(truncatingIfNeeded: p0))
            k0 = k0 &+ Philox.weyl0
            k1 = k1 &+ Philox.weyl1
        }
        return c
    }
}

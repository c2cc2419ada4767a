/// A vector of exact floating-point sums whose partial sums can be added in any order with the same result.
///
/// Floating-point addition is not associative, so summing the same terms on 1, 2 or 3 ranks would give
/// results that differ in the last bits, and the trajectories would drift apart. Each sum here is kept
/// as a fixed-point integer spread over 32-bit limbs held in `Int64`s (a Kulisch accumulator with a
/// bounded exponent window). Integer addition is associative, so an `MPI_SUM` of the limbs over any
/// number of ranks gives bit-identical totals.
///
/// The window covers magnitudes from 2^-555 (about 1e-167) to 2^533 (about 1e160): a smaller term is
/// dropped (the same way on every rank), and a larger or non-finite term makes the sum NaN.
public final class ExactAccumulator {
    /// Number of 32-bit limbs per sum; the extra slot after them counts non-finite or overflowing terms.
    public static let limbCount = 36
    /// Slots per sum in `storage`: the limbs and the overflow counter.
    public static let slotsPerSum = limbCount + 1
    /// Binary exponent of the lowest limb's lowest bit.
    public static let lowestExponent = -608

    /// Number of independent sums.
    public let count: Int
    /// Limbs of every sum, `slotsPerSum` consecutive slots per sum; this is what is all-reduced.
    public let storage: UnsafeMutableBufferPointer<Int64>

    public init(count: Int) {
        self.count = count
        storage = .allocate(capacity: max(1, count * Self.slotsPerSum))
        storage.initialize(repeating: 0)
    }

    deinit {
        storage.deallocate()
    }

    /// Sets every sum to zero.
    public func reset() {
        storage.update(repeating: 0)
    }

    /// Adds `value` to sum `index` exactly.
    @inlinable
    public func add(_ value: Double, to index: Int) {
        let base = storage.baseAddress! + index * Self.slotsPerSum
        let bits = value.bitPattern
        let biased = Int((bits >> 52) & 0x7FF)
        if biased == 0x7FF {
            base[Self.limbCount] &+= 1
            return
        }
        var mantissa = bits & 0x000F_FFFF_FFFF_FFFF
        var exponent: Int
        if biased == 0 {
            if mantissa == 0 { return }
            exponent = -1074
        } else {
            mantissa |= 0x0010_0000_0000_0000
            exponent = biased - 1075
        }
        let position = exponent - Self.lowestExponent
        if position < 0 { return }
        let limb = position >> 5
        if limb + 2 >= Self.limbCount {
            base[Self.limbCount] &+= 1
            return
        }
        let shifted = UInt128(mantissa) << UInt128(position & 31)
        let part0 = Int64(truncatingIfNeeded: shifted & 0xFFFF_FFFF)
        let part1 = Int64(truncatingIfNeeded: (shifted >> 32) & 0xFFFF_FFFF)
        let part2 = Int64(truncatingIfNeeded: shifted >> 64)
        if bits >> 63 == 0 {
            base[limb] &+= part0
            base[limb + 1] &+= part1
            base[limb + 2] &+= part2
        } else {
            base[limb] &-= part0
            base[limb + 1] &-= part1
            base[limb + 2] &-= part2
        }
    }

    /// The value of sum `index`, rounded to a double by a fixed rule (a deterministic function of the exact sum).
    public func value(_ index: Int) -> Double {
        let base = storage.baseAddress! + index * Self.slotsPerSum
        if base[Self.limbCount] != 0 { return .nan }
        // Carry-normalise into limbs in [0, 2^32) with the sign carried out of the top limb; on the stack,
        // because this runs once per output per step.
        return withUnsafeTemporaryAllocation(of: UInt32.self, capacity: Self.limbCount) { limbs in
            var carry: Int64 = 0
            for k in 0..<Self.limbCount {
                let total = base[k] &+ carry
                limbs[k] = UInt32(truncatingIfNeeded: total)
                carry = total >> 32
            }
            let negative = carry < 0
            if negative {
                // Two's complement negation across the limbs.
                var borrow: UInt64 = 1
                for k in 0..<Self.limbCount {
                    let flipped = UInt64(~limbs[k]) + borrow
                    limbs[k] = UInt32(truncatingIfNeeded: flipped)
                    borrow = flipped >> 32
                }
            }
            var top = Self.limbCount - 1
            while top >= 0 && limbs[top] == 0 { top -= 1 }
            if top < 0 { return 0 }
            var magnitude = 0.0
            var k = top
            // Three limbs (96 bits) fix the double up to its final rounding.
            while k >= 0 && k >= top - 2 {
                magnitude = magnitude * 0x1p32 + Double(limbs[k])
                k -= 1
            }
            let result = Double(sign: .plus, exponent: Self.lowestExponent + 32 * (k + 1), significand: magnitude)
            return negative ? -result : result
        }
    }

    /// Writes every sum's value into `output`.
    public func values(into output: UnsafeMutableBufferPointer<Double>) {
        precondition(output.count >= count)
        for index in 0..<count { output[index] = value(index) }
    }
}

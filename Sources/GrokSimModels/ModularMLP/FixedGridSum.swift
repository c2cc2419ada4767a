import GrokSimCore

/// Sums of many floating-point vectors (one per tile of hidden units) over ranks that do not depend on how the
/// tiles are split, at the cost of one integer all-reduce of the plain vector's size.
///
/// An exact (Kulisch) accumulator costs 37 integers per sum, too many for n x p logits. Here every term of
/// every sum is first rounded to one common grid, the multiples of 2^s, where s is fixed by the largest
/// term over all tiles and ranks (one max all-reduce) so that no sum can leave 63 bits: terms on the grid
/// are integers, integer sums are associative, and the rounding of a term depends on the term and on s
/// alone, not on the rank that holds it. This is binned summation with a single bin (as ReproBLAS does with
/// several). The grid comes from a bound on the terms (cheaper than their maximum: it needs no pass over them).
/// The error of a sum is below tiles 2^s, about tiles^2 2^-62 of the bound: near the rounding error of plain
/// double sums of that size when the bound is tight, a few bits more when it is loose.
final class FixedGridSum {
    /// Length of each vector.
    let count: Int
    /// Number of vectors summed over all ranks (the global tile count), which bounds every sum.
    let terms: Int
    /// This rank's integer sums on the grid, all-reduced in place.
    private let sums: UnsafeMutableBufferPointer<Int64>
    private var largest = 0.0
    private var finite = true

    /// Grid exponents stay in a range where 2^s and 2^-s are normal doubles.
    private static let lowestExponent = -960, highestExponent = 900
    /// Sentinel maxima: all terms zero, and a non-finite or too large term (the sums become NaN).
    private static let allZero = Int64(lowestExponent), overflow = Int64(Int32.max)

    init(count: Int, terms: Int) {
        precondition(count >= 1 && terms >= 1)
        self.count = count
        self.terms = terms
        sums = .allocate(capacity: count)
        sums.initialize(repeating: 0)
    }

    deinit {
        sums.deallocate()
        widenedBuffer?.deallocate()
    }

    /// Bytes this sum holds.
    static func bytes(count: Int) -> Int { count * 8 }

    /// Notes a bound on the magnitude of a block of terms before they are added (every block must be bounded here
    /// first). The bound must be a function of the block's own inputs, never of the split, so every rank count agrees.
    func observe(bound: Double) {
        if !(bound <= Double.greatestFiniteMagnitude) { finite = false }
        largest = max(largest, bound)
    }

    /// Agrees on the grid over ranks (a collective) and returns its exponent s, or nil when a term is not finite.
    func agreeOnGrid(_ communicator: Communicator) -> Int? {
        let local: Int64
        if !finite || (largest > 0 && largest.exponent > Self.highestExponent - 64) {
            local = Self.overflow
        } else {
            local = largest == 0 ? Self.allZero : Int64(largest.exponent)
        }
        let global = communicator.allreduceMax(local)
        if global == Self.overflow { return nil }
        // |term| < 2^(e+1); the sum of `terms` of them on the grid stays below 2^62.
        var spread = 0
        while (1 << spread) < terms + 1 { spread += 1 }
        return max(Self.lowestExponent, Int(global) + 1 + spread - 62)
    }

    /// Clears the integer sums and the observed magnitude for the next reduction.
    func reset() {
        sums.update(repeating: 0)
        largest = 0
        finite = true
    }

    /// Adds a block of `count` terms, cut to the grid 2^s toward zero (a deterministic rule that vectorises; any
    /// rule that depends on the term and s alone keeps the sums independent of the split).
    func add(_ block: UnsafeBufferPointer<Double>, gridExponent s: Int) {
        let scale = Double(sign: .plus, exponent: -s, significand: 1)
        let target = sums.baseAddress!, source = block.baseAddress!
        for j in 0..<count {
            target[j] &+= Int64(source[j] * scale)
        }
    }

    /// Single-precision terms, through a double copy (exact).
    func add(_ block: UnsafeBufferPointer<Float>, gridExponent s: Int) {
        add(UnsafeBufferPointer(start: widened(block), count: block.count), gridExponent: s)
    }

    private var widenedBuffer: UnsafeMutableBufferPointer<Double>? = nil

    private func widened(_ block: UnsafeBufferPointer<Float>) -> UnsafePointer<Double> {
        if widenedBuffer == nil || widenedBuffer!.count < block.count {
            widenedBuffer?.deallocate()
            widenedBuffer = .allocate(capacity: block.count)
        }
        for j in 0..<block.count { widenedBuffer![j] = Double(block[j]) }
        return UnsafePointer(widenedBuffer!.baseAddress!)
    }

    /// All-reduces the integer sums (a collective) and writes their values into `output` (NaN when `gridExponent` is nil).
    func reduce(_ communicator: Communicator, gridExponent s: Int?, into output: UnsafeMutableBufferPointer<Double>) {
        guard let s else {
            // Every rank agreed there is no grid; no rank all-reduces.
            for j in 0..<count { output[j] = .nan }
            return
        }
        communicator.allreduceSum(sums)
        let step = Double(sign: .plus, exponent: s, significand: 1)
        for j in 0..<count { output[j] = Double(sums[j]) * step }
    }
}

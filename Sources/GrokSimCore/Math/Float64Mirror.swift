/// A float64 view of a block of parameters: the storage itself when it is float64, a converted copy when float32.
///
/// Model loops written as plain functions on doubles run specialised; loops generic over `Scalar` in another
/// module run unspecialised, every conversion going through the protocol's witness table.
public final class Float64Mirror<Scalar: BLASScalar> {
    private let copy: UnsafeMutableBufferPointer<Double>

    /// A mirror for up to `count` values (no copy is kept in float64).
    public init(count: Int) {
        precondition(Scalar.self == Double.self || Scalar.self == Float.self, "float64 or float32 only")
        copy = .allocate(capacity: Scalar.self == Double.self ? 1 : max(1, count))
        copy.initialize(repeating: 0)
    }

    deinit { copy.deallocate() }

    /// `values` as float64: the same memory for float64, a fresh conversion into the mirror for float32.
    public func view(_ values: UnsafeMutableBufferPointer<Scalar>) -> UnsafePointer<Double> {
        let raw = UnsafeMutableRawPointer(values.baseAddress!)
        if Scalar.self == Double.self { return UnsafePointer(raw.assumingMemoryBound(to: Double.self)) }
        let floats = raw.assumingMemoryBound(to: Float.self)
        for index in 0..<values.count { copy[index] = Double(floats[index]) }
        return UnsafePointer(copy.baseAddress!)
    }
}

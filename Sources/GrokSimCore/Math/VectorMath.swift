/// Small dense kernels outside BLAS, written to give the same bits on every rank.
public enum VectorMath {
    /// Sum of squares in a fixed order (four interleaved partial sums), so every rank gets the same bits.
    @_specialize(where Scalar == Double)
    @_specialize(where Scalar == Float)
    public static func squaredNorm<Scalar: BLASScalar>(_ row: UnsafeBufferPointer<Scalar>) -> Double {
        var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
        var k = 0
        while k + 3 < row.count {
            let v0 = Double(row[k]), v1 = Double(row[k + 1]), v2 = Double(row[k + 2]), v3 = Double(row[k + 3])
            s0 += v0 * v0; s1 += v1 * v1; s2 += v2 * v2; s3 += v3 * v3
            k += 4
        }
        while k < row.count {
            let v = Double(row[k])
            s0 += v * v
            k += 1
        }
        return (s0 + s1) + (s2 + s3)
    }
}

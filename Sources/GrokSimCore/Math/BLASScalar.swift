import _COpenBLAS

/// A floating-point type with a BLAS general matrix product; the engine is generic over float64 and float32.
public protocol BLASScalar: BinaryFloatingPoint, Sendable {
    /// C = alpha op(A) op(B) + beta C on row-major arrays (cblas_?gemm).
    static func gemm(transposeA: Bool, transposeB: Bool, rows: Int, columns: Int, inner: Int, alpha: Self,
                     a: UnsafePointer<Self>, lda: Int, b: UnsafePointer<Self>, ldb: Int,
                     beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int)
}

extension Double: BLASScalar {
    public static func gemm(transposeA: Bool, transposeB: Bool, rows: Int, columns: Int, inner: Int, alpha: Double,
                            a: UnsafePointer<Double>, lda: Int, b: UnsafePointer<Double>, ldb: Int,
                            beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int) {
        cblas_dgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                    blasint(rows), blasint(columns), blasint(inner), alpha, a, blasint(lda), b, blasint(ldb),
                    beta, c, blasint(ldc))
    }
}

extension Float: BLASScalar {
    public static func gemm(transposeA: Bool, transposeB: Bool, rows: Int, columns: Int, inner: Int, alpha: Float,
                            a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                            beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        cblas_sgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                    blasint(rows), blasint(columns), blasint(inner), alpha, a, blasint(lda), b, blasint(ldb),
                    beta, c, blasint(ldc))
    }
}

/// Process-wide BLAS settings.
public enum BLAS {
    /// Sets the number of threads OpenBLAS uses in this process.
    public static func setThreads(_ count: Int) {
        openblas_set_num_threads(Int32(count))
    }
}

import Foundation
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
    /// The kernel family OpenBLAS chose for this CPU (for example "Haswell", "SkylakeX", "Zen").
    public static var coreName: String {
        openblas_get_corename().map { String(cString: $0) } ?? "unknown"
    }

    /// A warning when OpenBLAS fell back to its generic kernels on a CPU with wider vector units (it does so for
    /// CPU models it does not recognise, and runs several times slower), or nil.
    public static func kernelWarning(cpuFlags: String? = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) -> String? {
        let generic: Set<String> = ["Prescott", "Core2", "Penryn", "Dunnington", "Nehalem", "Atom", "Katmai", "Coppermine", "Northwood"]
        guard generic.contains(coreName), let flags = cpuFlags else { return nil }
        let better = flags.contains("avx512f") ? "SkylakeX" : flags.contains("avx2") ? "Haswell" : nil
        guard let better else { return nil }
        return "OpenBLAS chose its generic \(coreName) kernels on this CPU, which has \(better == "SkylakeX" ? "AVX-512" : "AVX2"); "
            + "products run several times slower. Set OPENBLAS_CORETYPE=\(better) (export it, or pass mpirun -x OPENBLAS_CORETYPE) for full speed; "
            + "results stay identical across rank counts, but differ in the last bits from runs on other kernels."
    }

    /// Sets the number of threads OpenBLAS uses in this process.
    public static func setThreads(_ count: Int) {
        openblas_set_num_threads(Int32(count))
    }
}

import _CLAPACK

/// Eigenvalues (ascending) and orthonormal eigenvectors of a real symmetric matrix, by LAPACK's divide-and-conquer
/// driver dsyevd.
public struct SymmetricEigen: Sendable {
    /// Order of the matrix.
    public let order: Int
    /// Eigenvalues in ascending order.
    public let values: [Double]
    /// Eigenvectors, one after another: vector k is `vectors[k * order ..< (k + 1) * order]`; empty if not asked for.
    public let vectors: [Double]

    /// Decomposes the n × n symmetric matrix given in full (row- or column-major: the same for a symmetric matrix;
    /// only its lower triangle in column-major order is read).
    public init(matrix: [Double], order n: Int, computeVectors: Bool = true) throws {
        guard n >= 1, matrix.count == n * n else {
            throw SolverError.invalidInput("need an n × n matrix, got \(matrix.count) entries for n = \(n)")
        }
        var a = matrix
        var w = [Double](repeating: 0, count: n)
        var size = Int32(n)
        var info: Int32 = 0
        let job = computeVectors ? "V" : "N"
        // Workspace query first (lwork = liwork = −1), then the decomposition.
        var workSize = 0.0
        var iworkSize: Int32 = 0
        var query: Int32 = -1
        dsyevd_(job, "L", &size, &a, &size, &w, &workSize, &query, &iworkSize, &query, &info, 1, 1)
        guard info == 0 else { throw SolverError.library(name: "dsyevd_", code: Int(info), message: "workspace query") }
        var lwork = Int32(workSize)
        var liwork = iworkSize
        var work = [Double](repeating: 0, count: Int(lwork))
        var iwork = [Int32](repeating: 0, count: Int(liwork))
        dsyevd_(job, "L", &size, &a, &size, &w, &work, &lwork, &iwork, &liwork, &info, 1, 1)
        guard info == 0 else {
            throw SolverError.library(name: "dsyevd_", code: Int(info),
                                      message: info < 0 ? "argument \(-info) invalid" : "eigenvalues did not converge")
        }
        order = n
        values = w
        vectors = computeVectors ? a : []
    }

    /// Eigenvector k (unit length, for eigenvalue `values[k]`).
    public func vector(_ k: Int) -> [Double] {
        precondition(!vectors.isEmpty, "eigenvectors were not computed")
        return Array(vectors[k * order..<(k + 1) * order])
    }
}

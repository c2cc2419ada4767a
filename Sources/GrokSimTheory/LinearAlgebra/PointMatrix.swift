import _COpenBLAS

/// A set of points in R^d stored as the rows of a dense row-major matrix, the layout BLAS and the solvers read.
public struct PointMatrix: Sendable, Equatable {
    /// Number of points (rows).
    public let count: Int
    /// Dimension of each point (columns).
    public let dimension: Int
    /// Row-major entries: coordinate j of point i is `values[i * dimension + j]`.
    public let values: [Double]

    public init(count: Int, dimension: Int, values: [Double]) {
        precondition(count >= 0 && dimension >= 1, "need a non-negative point count and a positive dimension")
        precondition(values.count == count * dimension, "values must hold count × dimension entries")
        self.count = count
        self.dimension = dimension
        self.values = values
    }

    /// Points given one array each; all must have the same length.
    public init(rows: [[Double]]) {
        precondition(!rows.isEmpty, "need at least one point to know the dimension")
        let dimension = rows[0].count
        precondition(rows.allSatisfy { $0.count == dimension }, "all points must have the same dimension")
        self.init(count: rows.count, dimension: dimension, values: rows.flatMap { $0 })
    }

    /// Coordinate j of point i.
    public subscript(point i: Int, coordinate j: Int) -> Double { values[i * dimension + j] }

    /// Point i as an array.
    public func point(_ i: Int) -> [Double] { Array(values[i * dimension..<(i + 1) * dimension]) }

    /// The d × d second-moment matrix (1/N) Σ_i x_i x_iᵀ = XᵀX/N (row-major, full), by BLAS dsyrk: the sample
    /// covariance of zero-mean points, whose spectrum is Marchenko-Pastur for Gaussian points.
    public func secondMoment() -> [Double] {
        let d = dimension
        var c = [Double](repeating: 0, count: d * d)
        values.withUnsafeBufferPointer { x in
            cblas_dsyrk(CblasRowMajor, CblasUpper, CblasTrans, blasint(d), blasint(count), 1 / Double(count),
                        x.baseAddress, blasint(d), 0, &c, blasint(d))
        }
        // dsyrk fills one triangle only.
        for i in 0..<d { for j in 0..<i { c[i * d + j] = c[j * d + i] } }
        return c
    }
}

/// A linear map f_i = sum_k x_ik W_k (c outputs per sample) sharded along k, whose outputs and gradients do not
/// depend on the rank count, computed by GEMM.
///
/// Summing a rank's block of a dot product in floating point would round differently for every split, and
/// BLAS rounds a row differently when it falls in the tail of a call. So k is cut into global tiles of
/// `tile` coordinates, a rank stores its block padded with zero columns (and zero rows of W) to whole tiles,
/// every tile's partial outputs come from a GEMM of the same shape (n x tile x c) on the same data whatever
/// the split, and each tile's partials enter an exact accumulator on their own. The gradient sum_i x_ik r_ij
/// is one GEMM of the same shape per tile, too. Cost: n c exact additions per tile and step, on top of the GEMMs.
///
/// A tile must never be split between ranks (its partial sum would round differently), so the partition must
/// be by whole tiles (`WidthPartition(granularity: tile)` with at least as many tiles as ranks) and the tile
/// size must depend on the config only: `tileSize(width:)` is the rule.
public final class TiledLinearMap<Scalar: BLASScalar> {
    /// Samples (rows of X).
    public let count: Int
    /// Outputs per sample (columns of W).
    public let outputs: Int
    public let tile: Int
    /// The rank's coordinates, and the padded range of whole tiles that holds them.
    public let columns: Range<Int>
    public let paddedColumns: Range<Int>
    /// X restricted to the padded columns, count x paddedColumns.count row-major; foreign columns are zero.
    public let x: UnsafeMutableBufferPointer<Scalar>
    private let partials: UnsafeMutableBufferPointer<Scalar>
    private let residuals: UnsafeMutableBufferPointer<Scalar>

    /// Coordinates per tile for a sharded dimension of `width`: up to 64, and small enough that there are at
    /// least 32 tiles (width / 32, at least 1), so up to 32 ranks can share a run of any width (more for
    /// widths above 2048). Fewer, larger tiles mean fewer exact additions: they dominate a step at small widths.
    public static func tileSize(width: Int) -> Int {
        max(1, min(64, width / 32))
    }

    /// Builds X's block from `value(i, k)` for the rank's coordinates `columns` (global indices; the block must
    /// start on a tile boundary).
    // Specialised here: callers in other modules cannot specialise it, and the generic float conversions
    // of an unspecialised loop cost more than the GEMMs at small sizes.
    @_specialize(where Scalar == Double)
    @_specialize(where Scalar == Float)
    public init(count: Int, outputs: Int, columns: Range<Int>, tile: Int, value: (Int, Int) -> Double) {
        precondition(count >= 1 && outputs >= 1 && tile >= 1)
        precondition(columns.lowerBound % tile == 0, "a tile must not be split between ranks")
        self.count = count
        self.outputs = outputs
        self.tile = tile
        self.columns = columns
        let start = columns.lowerBound / tile * tile
        paddedColumns = start ..< (columns.upperBound + tile - 1) / tile * tile
        let width = paddedColumns.count
        x = .allocate(capacity: max(1, count * width))
        x.initialize(repeating: 0)
        for i in 0..<count {
            for k in columns { x[i * width + k - start] = Scalar(value(i, k)) }
        }
        partials = .allocate(capacity: count * outputs)
        partials.initialize(repeating: 0)
        residuals = .allocate(capacity: count * outputs)
        residuals.initialize(repeating: 0)
    }

    deinit {
        x.deallocate()
        partials.deallocate()
        residuals.deallocate()
    }

    /// Rows of W this map expects: one per padded column (rows of foreign columns must be zero).
    public var paddedRows: Int { paddedColumns.count }
    /// Offset of the rank's first coordinate within the padded rows.
    public var rowOffset: Int { columns.lowerBound - paddedColumns.lowerBound }

    /// Adds this rank's share of every output f_ij (index i * outputs + j) into `accumulator`.
    ///
    /// `weights` is W on the padded rows, paddedRows x outputs row-major.
    @_specialize(where Scalar == Double)
    @_specialize(where Scalar == Float)
    public func accumulateOutputs(weights: UnsafePointer<Scalar>, into accumulator: ExactAccumulator) {
        let width = paddedColumns.count, c = outputs
        for t in stride(from: 0, to: width, by: tile) {
            Scalar.gemm(transposeA: false, transposeB: false, rows: count, columns: c, inner: tile, alpha: 1,
                        a: x.baseAddress! + t, lda: width, b: weights + t * c, ldb: c, beta: 0, c: partials.baseAddress!, ldc: c)
            for index in 0..<(count * c) { accumulator.add(Double(partials[index]), to: index) }
        }
    }

    /// Writes sum_i x_ik r_ij into `gradient` (paddedRows x outputs row-major) for the residuals r (count x outputs,
    /// index i * outputs + j).
    @_specialize(where Scalar == Double)
    @_specialize(where Scalar == Float)
    public func gradient(residuals r: UnsafeBufferPointer<Double>, into gradient: UnsafeMutablePointer<Scalar>) {
        let width = paddedColumns.count, c = outputs
        for index in 0..<(count * c) { residuals[index] = Scalar(r[index]) }
        for t in stride(from: 0, to: width, by: tile) {
            Scalar.gemm(transposeA: true, transposeB: false, rows: tile, columns: c, inner: count, alpha: 1,
                        a: x.baseAddress! + t, lda: width, b: residuals.baseAddress!, ldb: c, beta: 0, c: gradient + t * c, ldc: c)
        }
    }
}

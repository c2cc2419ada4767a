import GrokSimCore

/// A block of input rows restricted to one rank's padded columns, with the tile kernels of f = Xw and of Xᵀr.
///
/// Signs are stored as bytes (8× less than doubles; the paper's 256 × 10^5 training set is 25.6 MB), Gaussian
/// inputs as doubles. Outputs are summed tile by tile in a fixed order and each tile's partial enters an exact
/// accumulator, as in `TiledLinearMap`, so they do not depend on the rank count; each coordinate of Xᵀr sums
/// over the rows in index order, which no split changes.
final class DiagonalNetInputs {
    enum Values {
        case signs(UnsafeMutableBufferPointer<Int8>)
        case reals(UnsafeMutableBufferPointer<Double>)
    }

    /// Rows this block can hold, and how many it holds now.
    let capacity: Int
    private(set) var rows: Int
    /// Padded columns (whole tiles), the first global coordinate they start at, and the tile size.
    let width: Int
    let start: Int
    let tile: Int
    let values: Values

    init(capacity: Int, width: Int, start: Int, tile: Int, signs: Bool) {
        self.capacity = capacity
        self.rows = 0
        self.width = width
        self.start = start
        self.tile = tile
        let count = max(1, capacity * width)
        if signs {
            let buffer = UnsafeMutableBufferPointer<Int8>.allocate(capacity: count)
            buffer.initialize(repeating: 0)
            values = .signs(buffer)
        } else {
            let buffer = UnsafeMutableBufferPointer<Double>.allocate(capacity: count)
            buffer.initialize(repeating: 0)
            values = .reals(buffer)
        }
    }

    deinit {
        switch values {
        case .signs(let buffer): buffer.deallocate()
        case .reals(let buffer): buffer.deallocate()
        }
    }

    /// Bytes the block holds.
    var bytes: Int {
        switch values {
        case .signs: return capacity * width
        case .reals: return capacity * width * 8
        }
    }

    /// Regenerates rows first ..< first + count of `split` for the rank's `columns` (padding stays zero).
    func fill(first: Int, count: Int, columns: Range<Int>, data: DiagonalNetData, split: DataSplit, labels: [Double]) {
        precondition(count <= capacity)
        rows = count
        let stream = data.stream(split)
        for r in 0..<count {
            let i = first + r
            switch values {
            case .signs(let x):
                data.signs(row: i, columns: columns, stream: stream, base: start, into: x.baseAddress! + r * width)
            case .reals(let x):
                let row = x.baseAddress! + r * width
                data.normals(row: i, columns: columns, stream: stream, base: start, into: row)
                let shift = labels[i] * data.gamma / 2
                for k in columns { row[k - start] += shift * data.teacher[k] }
            }
        }
    }

    /// Adds Σ_k x_ik w_k of every held row into `accumulator` at index `first + r`, one exact addition per tile.
    ///
    /// Four rows at a time: each row's partial still adds its tile's terms in ascending k (so the sums are those
    /// of one row at a time, bit for bit), but four independent chains keep the adder busy.
    func accumulateOutputs(weights w: UnsafePointer<Double>, first: Int, into accumulator: ExactAccumulator) {
        switch values {
        case .signs(let x): Self.accumulate(x.baseAddress!, rows: rows, width: width, tile: tile, weights: w, first: first, into: accumulator)
        case .reals(let x): Self.accumulate(x.baseAddress!, rows: rows, width: width, tile: tile, weights: w, first: first, into: accumulator)
        }
    }

    @inline(__always)
    private static func accumulate(_ x: UnsafePointer<Int8>, rows: Int, width: Int, tile: Int,
                                   weights w: UnsafePointer<Double>, first: Int, into accumulator: ExactAccumulator) {
        var r = 0
        while r + 4 <= rows {
            let x0 = x + r * width, x1 = x0 + width, x2 = x1 + width, x3 = x2 + width
            var t = 0
            while t < width {
                var p0 = 0.0, p1 = 0.0, p2 = 0.0, p3 = 0.0
                for k in t..<(t + tile) {
                    let wk = w[k]
                    p0 += Double(x0[k]) * wk
                    p1 += Double(x1[k]) * wk
                    p2 += Double(x2[k]) * wk
                    p3 += Double(x3[k]) * wk
                }
                accumulator.add(p0, to: first + r)
                accumulator.add(p1, to: first + r + 1)
                accumulator.add(p2, to: first + r + 2)
                accumulator.add(p3, to: first + r + 3)
                t += tile
            }
            r += 4
        }
        while r < rows {
            let row = x + r * width
            var t = 0
            while t < width {
                var partial = 0.0
                for k in t..<(t + tile) { partial += Double(row[k]) * w[k] }
                accumulator.add(partial, to: first + r)
                t += tile
            }
            r += 1
        }
    }

    @inline(__always)
    private static func accumulate(_ x: UnsafePointer<Double>, rows: Int, width: Int, tile: Int,
                                   weights w: UnsafePointer<Double>, first: Int, into accumulator: ExactAccumulator) {
        var r = 0
        while r + 4 <= rows {
            let x0 = x + r * width, x1 = x0 + width, x2 = x1 + width, x3 = x2 + width
            var t = 0
            while t < width {
                var p0 = 0.0, p1 = 0.0, p2 = 0.0, p3 = 0.0
                for k in t..<(t + tile) {
                    let wk = w[k]
                    p0 += x0[k] * wk
                    p1 += x1[k] * wk
                    p2 += x2[k] * wk
                    p3 += x3[k] * wk
                }
                accumulator.add(p0, to: first + r)
                accumulator.add(p1, to: first + r + 1)
                accumulator.add(p2, to: first + r + 2)
                accumulator.add(p3, to: first + r + 3)
                t += tile
            }
            r += 4
        }
        while r < rows {
            let row = x + r * width
            var t = 0
            while t < width {
                var partial = 0.0
                for k in t..<(t + tile) { partial += row[k] * w[k] }
                accumulator.add(partial, to: first + r)
                t += tile
            }
            r += 1
        }
    }

    /// Writes Σ_i x_ik r_i over the held rows into `gradient` (width entries).
    ///
    /// In blocks of coordinates that stay in cache across the rows; each coordinate still sums the rows in index
    /// order, so the result is the same bit for bit as one pass per row.
    func gradient(residuals: UnsafeBufferPointer<Double>, into gradient: UnsafeMutablePointer<Double>) {
        gradient.update(repeating: 0, count: width)
        switch values {
        case .signs(let x): Self.gradient(x.baseAddress!, rows: rows, width: width, residuals: residuals, into: gradient)
        case .reals(let x): Self.gradient(x.baseAddress!, rows: rows, width: width, residuals: residuals, into: gradient)
        }
    }

    @inline(__always)
    private static func gradient(_ x: UnsafePointer<Int8>, rows: Int, width: Int,
                                 residuals: UnsafeBufferPointer<Double>, into gradient: UnsafeMutablePointer<Double>) {
        let block = 1024
        var start = 0
        while start < width {
            let end = min(width, start + block)
            for r in 0..<rows {
                let g = residuals[r], row = x + r * width
                for k in start..<end { gradient[k] += Double(row[k]) * g }
            }
            start = end
        }
    }

    @inline(__always)
    private static func gradient(_ x: UnsafePointer<Double>, rows: Int, width: Int,
                                 residuals: UnsafeBufferPointer<Double>, into gradient: UnsafeMutablePointer<Double>) {
        let block = 1024
        var start = 0
        while start < width {
            let end = min(width, start + block)
            for r in 0..<rows {
                let g = residuals[r], row = x + r * width
                for k in start..<end { gradient[k] += row[k] * g }
            }
            start = end
        }
    }
}

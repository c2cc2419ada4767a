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
    func accumulateOutputs(weights w: UnsafePointer<Double>, first: Int, into accumulator: ExactAccumulator) {
        for r in 0..<rows {
            var t = 0
            while t < width {
                var partial = 0.0
                switch values {
                case .signs(let x):
                    let row = x.baseAddress! + r * width
                    for k in t..<(t + tile) { partial += Double(row[k]) * w[k] }
                case .reals(let x):
                    let row = x.baseAddress! + r * width
                    for k in t..<(t + tile) { partial += row[k] * w[k] }
                }
                accumulator.add(partial, to: first + r)
                t += tile
            }
        }
    }

    /// Writes Σ_i x_ik r_i over the held rows into `gradient` (width entries).
    func gradient(residuals: UnsafeBufferPointer<Double>, into gradient: UnsafeMutablePointer<Double>) {
        gradient.update(repeating: 0, count: width)
        for r in 0..<rows {
            let g = residuals[r]
            switch values {
            case .signs(let x):
                let row = x.baseAddress! + r * width
                for k in 0..<width { gradient[k] += Double(row[k]) * g }
            case .reals(let x):
                let row = x.baseAddress! + r * width
                for k in 0..<width { gradient[k] += row[k] * g }
            }
        }
    }
}

import GrokSimCore

/// The two data generators of the diagonal net, addressed by global (row, coordinate) so any rank regenerates
/// exactly its own columns, and any evaluation regenerates the same test rows.
///
/// sparse-linear: x_ik = ±1 is bit k mod 64 of the 64-bit word (i, k / 64) of the split's stream (one Philox call
/// gives 64 signs), y_i = sign(Σ_{j<k} s_j x_ij) with fixed random signs s_j. l2-margin: z_ik = N(0, 1) by index
/// i·d + k, w* a unit Gaussian direction, y_i = sign⟨z_i, w*⟩ and x_i = z_i + y_i (γ/2) w*.
struct DiagonalNetData: Sendable {
    enum Task: String, Sendable {
        case sparseLinear = "sparse-linear"
        case l2Margin = "l2-margin"
    }

    static let teacherStream = RandomStreamID(rawValue: 301)
    static let trainStream = RandomStreamID(rawValue: 302)
    static let testStream = RandomStreamID(rawValue: 303)

    let task: Task
    let d: Int
    let k: Int
    let gamma: Double
    let seed: UInt64
    /// sparse-linear: the signs s_j of the first k coordinates; l2-margin: the unit direction w* (length d).
    let teacher: [Double]

    init(config: ExperimentConfig) {
        typealias Keys = DiagonalNetModel.Keys
        task = Task(rawValue: config.string(Keys.task)) ?? .sparseLinear
        d = config.integer(Keys.d)
        k = config.integer(Keys.k)
        gamma = config.number(Keys.gamma)
        seed = config.seed
        let stream = RandomStream(seed: seed, stream: Self.teacherStream)
        switch task {
        case .sparseLinear:
            teacher = (0..<min(k, d)).map { stream.uniform(UInt64($0)) < 0.5 ? -1 : 1 }
        case .l2Margin:
            let raw = (0..<d).map { stream.normal(UInt64($0)) }
            let norm = raw.reduce(0) { $0 + $1 * $1 }.squareRoot()
            teacher = raw.map { $0 / norm }
        }
    }

    var wordsPerRow: UInt64 { UInt64((d + 63) / 64) }

    func stream(_ split: DataSplit) -> RandomStream {
        RandomStream(seed: seed, stream: split == .train ? Self.trainStream : Self.testStream)
    }

    /// Writes x_ik (sparse-linear, as Int8 ±1) for the global coordinates `columns` of row `row` to `out[k - base]`.
    func signs(row: Int, columns: Range<Int>, stream: RandomStream, base: Int, into out: UnsafeMutablePointer<Int8>) {
        var k = columns.lowerBound
        while k < columns.upperBound {
            let block = stream.bits(UInt64(row) * wordsPerRow + UInt64(k >> 6))
            let word = UInt64(block.0) | UInt64(block.1) << 32
            let end = min(columns.upperBound, (k >> 6 + 1) << 6)
            while k < end {
                out[k - base] = Int8(1 - 2 * Int((word >> UInt64(k & 63)) & 1))
                k += 1
            }
        }
    }

    /// Writes z_ik (l2-margin, before the label's shift) for `columns` of row `row` to `out[k - base]`.
    func normals(row: Int, columns: Range<Int>, stream: RandomStream, base: Int, into out: UnsafeMutablePointer<Double>) {
        for k in columns { out[k - base] = stream.normal(UInt64(row) * UInt64(d) + UInt64(k)) }
    }

    /// The sparse-linear label of row `row`, from its first k coordinates (any rank regenerates them).
    func sparseLabel(row: Int, stream: RandomStream) -> Double {
        var first = [Int8](repeating: 0, count: teacher.count)
        first.withUnsafeMutableBufferPointer { signs(row: row, columns: 0..<teacher.count, stream: stream, base: 0, into: $0.baseAddress!) }
        var dot = 0.0
        for j in 0..<teacher.count { dot += teacher[j] * Double(first[j]) }
        return dot > 0 ? 1 : -1
    }

    /// Partial ⟨z_i, w*⟩ of `count` rows over `columns` (whole tiles of `tile`), one exact addition per tile into
    /// `sums` (index i): tiles do not depend on the rank count, so the summed label does not either.
    func addPartialTeacherDots(count: Int, columns: Range<Int>, tile: Int, stream: RandomStream, into sums: ExactAccumulator) {
        guard !columns.isEmpty else { return }
        var z = [Double](repeating: 0, count: columns.count)
        for i in 0..<count {
            z.withUnsafeMutableBufferPointer { normals(row: i, columns: columns, stream: stream, base: columns.lowerBound, into: $0.baseAddress!) }
            var start = columns.lowerBound
            while start < columns.upperBound {
                let end = min(columns.upperBound, start + tile)
                var dot = 0.0
                for kk in start..<end { dot += z[kk - columns.lowerBound] * teacher[kk] }
                sums.add(dot, to: i)
                start = end
            }
        }
    }

    /// The label sign⟨z, w*⟩ from the exact sum of the partial dots.
    static func label(teacherDot: Double) -> Double { teacherDot >= 0 ? 1 : -1 }

    /// The l2-margin labels of `count` rows computed from `columns` alone (all of 0..<d, or one rank's share that the
    /// caller then sums over ranks before taking signs).
    func gaussianLabels(count: Int, columns: Range<Int>, tile: Int, stream: RandomStream) -> [Double] {
        let sums = ExactAccumulator(count: count)
        addPartialTeacherDots(count: count, columns: columns, tile: tile, stream: stream, into: sums)
        return (0..<count).map { Self.label(teacherDot: sums.value($0)) }
    }

    /// The whole n x d input matrix and labels of a split, as doubles (for the margin solvers and `--save-data`).
    func dense(rows: Int, split: DataSplit, tile: Int) -> (x: [Double], y: [Double]) {
        let stream = stream(split)
        let labels = task == .l2Margin ? gaussianLabels(count: rows, columns: 0..<d, tile: tile, stream: stream) : []
        var x = [Double](repeating: 0, count: rows * d)
        var y = [Double](repeating: 0, count: rows)
        var signRow = [Int8](repeating: 0, count: d)
        x.withUnsafeMutableBufferPointer { values in
            for i in 0..<rows {
                let out = values.baseAddress! + i * d
                switch task {
                case .sparseLinear:
                    signRow.withUnsafeMutableBufferPointer { signs(row: i, columns: 0..<d, stream: stream, base: 0, into: $0.baseAddress!) }
                    for kk in 0..<d { out[kk] = Double(signRow[kk]) }
                    y[i] = sparseLabel(row: i, stream: stream)
                case .l2Margin:
                    normals(row: i, columns: 0..<d, stream: stream, base: 0, into: out)
                    y[i] = labels[i]
                    for kk in 0..<d { out[kk] += y[i] * gamma / 2 * teacher[kk] }
                }
            }
        }
        return (x, y)
    }
}

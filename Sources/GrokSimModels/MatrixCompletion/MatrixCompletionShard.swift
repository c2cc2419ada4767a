import GrokSimCore

/// One rank's block of the inner index k: rows k of U_t and V_t (columns k of U and V), and the entry lists.
///
/// A partial output is summed tile by tile: within a global tile of k the terms are added in ascending k, the
/// same way whatever the split, and each tile's sum enters the exact accumulator on its own, so the all-reduced
/// outputs do not depend on the rank count. The gradient of row k depends on row k alone (and on the whole
/// outputs), so it is the same on any split too.
final class MatrixCompletionShard<Scalar: BLASScalar>: ModelShard {
    let d: Int
    let tile: Int
    let columns: Range<Int>
    /// Row and column of every train (observed) and test (unobserved) entry, in output order.
    private let trainRows: [Int32], trainColumns: [Int32]
    private let testRows: [Int32], testColumns: [Int32]
    let trainTargets: [Double]
    let testTargets: [Double]
    /// The kernel predictor K at the train and test entries.
    private let kernelTrain: [Double], kernelTest: [Double]
    /// U_t's local rows (columns.count x d row-major), then V_t's.
    let parameters: UnsafeMutableBufferPointer<Scalar>
    let loss: Loss = .squared
    /// One tile's partial outputs, and the gradient in float64 before it is stored as Scalar.
    private var partials: [Double]
    private let gradientScratch: UnsafeMutableBufferPointer<Double>
    /// float32 runs: the parameters converted to float64 for the loops.
    private let parameterMirror: Float64Mirror<Scalar>
    private let sums = ExactAccumulator(count: 1)

    init(config: ExperimentConfig, partition: WidthPartition, communicator: Communicator) {
        typealias Keys = MatrixCompletionModel.Keys
        let data = MatrixCompletionData(config: config)
        d = data.d
        tile = MatrixCompletionModel().tile(config)
        columns = partition.range(of: communicator.rank)
        let d = data.d
        trainRows = data.observed.map { Int32($0 / d) }
        trainColumns = data.observed.map { Int32($0 % d) }
        testRows = data.unobserved.map { Int32($0 / d) }
        testColumns = data.unobserved.map { Int32($0 % d) }
        trainTargets = data.observed.map(data.truth)
        testTargets = data.unobserved.map(data.truth)
        let kernel = data.kernelPredictor
        kernelTrain = data.observed.map { kernel[$0] }
        kernelTest = data.unobserved.map { kernel[$0] }
        partials = [Double](repeating: 0, count: max(data.observed.count, data.unobserved.count))

        let local = columns.count
        parameters = .allocate(capacity: max(1, 2 * local * d))
        parameters.initialize(repeating: 0)
        let alpha = config.number(Keys.initScale), sigma = config.number(Keys.initNoise)
        let stream = RandomStream(seed: config.seed, stream: MatrixCompletionData.perturbationStream)
        for k in columns {
            for i in 0..<d {
                // U_ik = V_ik = alpha delta_ik + sigma Z_ik: one Z for both keeps W = 0 at initialisation.
                let value = (i == k ? alpha : 0) + (sigma > 0 ? sigma * data.perturbation(row: i, column: k, stream: stream) : 0)
                parameters[(k - columns.lowerBound) * d + i] = Scalar(value)
                parameters[(local + k - columns.lowerBound) * d + i] = Scalar(value)
            }
        }
        gradientScratch = .allocate(capacity: max(1, 2 * local * d))
        gradientScratch.initialize(repeating: 0)
        parameterMirror = Float64Mirror(count: 2 * local * d)
    }

    deinit {
        parameters.deallocate()
        gradientScratch.deallocate()
    }

    func targets(_ split: DataSplit) -> [Double] { split == .train ? trainTargets : testTargets }
    func outputCount(_ split: DataSplit) -> Int { split == .train ? trainTargets.count : testTargets.count }

    /// The parameters as float64, for the loops below: plain functions on doubles (see `Float64Mirror`).
    private func doubleParameters() -> UnsafePointer<Double> { parameterMirror.view(parameters) }

    func accumulatePartialOutputs(_ split: DataSplit, into accumulator: ExactAccumulator) {
        let rows = split == .train ? trainRows : testRows, cols = split == .train ? trainColumns : testColumns
        let theta = doubleParameters()
        partials.withUnsafeMutableBufferPointer { partial in
            rows.withUnsafeBufferPointer { rows in
                cols.withUnsafeBufferPointer { cols in
                    Self.accumulateTiles(theta: theta, d: d, columns: columns, tile: tile, rows: rows, cols: cols,
                                         partial: partial, into: accumulator)
                }
            }
        }
    }

    /// Each tile's Σ_{k in tile} (U_ik U_jk − V_ik V_jk), in ascending k, added exactly as one term per entry.
    private static func accumulateTiles(theta: UnsafePointer<Double>, d: Int, columns: Range<Int>, tile: Int,
                                        rows: UnsafeBufferPointer<Int32>, cols: UnsafeBufferPointer<Int32>,
                                        partial: UnsafeMutableBufferPointer<Double>, into accumulator: ExactAccumulator) {
        let count = rows.count, local = columns.count
        var tileStart = columns.lowerBound
        while tileStart < columns.upperBound {
            let tileEnd = min(tileStart + tile, columns.upperBound)
            for e in 0..<count { partial[e] = 0 }
            for k in tileStart..<tileEnd {
                let u = theta + (k - columns.lowerBound) * d, v = theta + (local + k - columns.lowerBound) * d
                for e in 0..<count {
                    let i = Int(rows[e]), j = Int(cols[e])
                    partial[e] += u[i] * u[j] - v[i] * v[j]
                }
            }
            for e in 0..<count { accumulator.add(partial[e], to: e) }
            tileStart = tileEnd
        }
    }

    /// dL/dU_ak = Σ_{(i,j)} g_ij (δ_ai U_jk + δ_aj U_ik), and the same with a minus sign for V.
    func computeGradient(outputGradients: UnsafeBufferPointer<Double>, into gradient: UnsafeMutableBufferPointer<Scalar>) {
        let theta = doubleParameters()
        let total = 2 * columns.count * d
        trainRows.withUnsafeBufferPointer { rows in
            trainColumns.withUnsafeBufferPointer { cols in
                Self.gradient(theta: theta, d: d, local: columns.count, rows: rows, cols: cols, g: outputGradients,
                              into: gradientScratch.baseAddress!)
            }
        }
        let raw = UnsafeMutableRawPointer(gradient.baseAddress!)
        if Scalar.self == Double.self {
            raw.assumingMemoryBound(to: Double.self).update(from: gradientScratch.baseAddress!, count: total)
        } else {
            let floats = raw.assumingMemoryBound(to: Float.self)
            for index in 0..<total { floats[index] = Float(gradientScratch[index]) }
        }
    }

    private static func gradient(theta: UnsafePointer<Double>, d: Int, local: Int, rows: UnsafeBufferPointer<Int32>,
                                 cols: UnsafeBufferPointer<Int32>, g: UnsafeBufferPointer<Double>, into out: UnsafeMutablePointer<Double>) {
        out.update(repeating: 0, count: 2 * local * d)
        for r in 0..<local {
            let u = theta + r * d, v = theta + (local + r) * d
            let gu = out + r * d, gv = out + (local + r) * d
            for e in 0..<rows.count {
                let i = Int(rows[e]), j = Int(cols[e]), ge = g[e]
                gu[i] += ge * u[j]
                gu[j] += ge * u[i]
                gv[i] -= ge * v[j]
                gv[j] -= ge * v[i]
            }
        }
    }

    func metrics(trainOutputs: UnsafeBufferPointer<Double>, testOutputs: UnsafeBufferPointer<Double>,
                 sumOverRanks: (ExactAccumulator) -> Void) -> [Double] {
        sums.reset()
        let theta = doubleParameters()
        for index in 0..<(2 * columns.count * d) { sums.add(theta[index] * theta[index], to: 0) }
        sumOverRanks(sums)
        // Every rank holds the whole outputs: the distances are computed alike everywhere, in entry order.
        var kernel = 0.0, truth = 0.0, kernelNorm = 0.0, truthNorm = 0.0
        for (e, w) in trainOutputs.enumerated() {
            kernel += (w - kernelTrain[e]) * (w - kernelTrain[e])
            truth += (w - trainTargets[e]) * (w - trainTargets[e])
            kernelNorm += kernelTrain[e] * kernelTrain[e]
            truthNorm += trainTargets[e] * trainTargets[e]
        }
        for (e, w) in testOutputs.enumerated() {
            kernel += (w - kernelTest[e]) * (w - kernelTest[e])
            truth += (w - testTargets[e]) * (w - testTargets[e])
            kernelNorm += kernelTest[e] * kernelTest[e]
            truthNorm += testTargets[e] * testTargets[e]
        }
        return [loss.value(outputs: trainOutputs, targets: trainTargets), loss.value(outputs: testOutputs, targets: testTargets),
                sums.value(0).squareRoot(), kernel.squareRoot(), truth.squareRoot(),
                (kernel / kernelNorm).squareRoot(), (truth / truthNorm).squareRoot()]
    }
}

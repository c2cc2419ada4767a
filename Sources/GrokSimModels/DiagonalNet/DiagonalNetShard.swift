import Foundation
import GrokSimCore

/// One rank's coordinates of u and v (padded to whole tiles), its columns of the training rows, and the
/// predictors on the same columns; test rows are regenerated chunk by chunk at each evaluation.
final class DiagonalNetShard<Scalar: BLASScalar>: ModelShard {
    /// Test rows regenerated at a time.
    static var testChunk: Int { 256 }

    let data: DiagonalNetData
    let columns: Range<Int>
    /// Padded width P (whole tiles) and the offset of the rank's first coordinate in it.
    let width: Int
    let start: Int
    let depth: Int
    let nTest: Int
    let train: DiagonalNetInputs
    private let testBlock: DiagonalNetInputs
    let trainLabels: [Double]
    let testLabels: [Double]
    /// The predictors on the padded rows (empty without predictors) and their global norms.
    let l2Local: [Double]
    let l1Local: [Double]
    let l2Norm: Double
    let l1Norm: Double
    /// u on rows 0..<P, then v on rows P..<2P.
    let parameters: UnsafeMutableBufferPointer<Scalar>
    let storageSegments: [StorageSegment]?
    let loss: Loss
    /// w = u^L - v^L and Σ_i x_ik g_i on the padded rows.
    private let w: UnsafeMutableBufferPointer<Double>
    private let product: UnsafeMutableBufferPointer<Double>
    /// float32 runs: the parameters and the gradient in float64 for the loops.
    private let parameterMirror: Float64Mirror<Scalar>
    private let mirrorGradient: UnsafeMutableBufferPointer<Double>
    private let sums = ExactAccumulator(count: 5)
    /// sign of each predictor on every test point, measured at the first evaluation.
    private var predictorTestSigns: (l2: [Double], l1: [Double])?

    init(config: ExperimentConfig, partition: WidthPartition, communicator: Communicator) {
        typealias Keys = DiagonalNetModel.Keys
        let data = DiagonalNetData(config: config)
        self.data = data
        let n = config.integer(Keys.n), tile = DiagonalNetModel().tile(config)
        let nTest = config.integer(Keys.nTest)
        self.nTest = nTest
        depth = config.integer(Keys.depth)
        let columns = partition.range(of: communicator.rank)
        self.columns = columns
        let start = columns.lowerBound
        self.start = start
        let width = (columns.upperBound + tile - 1) / tile * tile - start
        self.width = width
        let signs = data.task == .sparseLinear
        let trainStream = data.stream(.train), testStream = data.stream(.test)
        switch data.task {
        case .sparseLinear:
            trainLabels = (0..<n).map { data.sparseLabel(row: $0, stream: trainStream) }
            testLabels = (0..<nTest).map { data.sparseLabel(row: $0, stream: testStream) }
        case .l2Margin:
            // Each rank sums its tiles of <z_i, w*>; the exact all-reduce makes the labels rank-count independent.
            func labels(_ count: Int, _ stream: RandomStream) -> [Double] {
                let dots = ExactAccumulator(count: count)
                data.addPartialTeacherDots(count: count, columns: columns, tile: tile, stream: stream, into: dots)
                communicator.allreduceSum(dots.storage)
                return (0..<count).map { DiagonalNetData.label(teacherDot: dots.value($0)) }
            }
            trainLabels = labels(n, trainStream)
            testLabels = labels(nTest, testStream)
        }
        train = DiagonalNetInputs(capacity: n, width: width, start: start, tile: tile, signs: signs)
        train.fill(first: 0, count: n, columns: columns, data: data, split: .train, labels: trainLabels)
        testBlock = DiagonalNetInputs(capacity: min(nTest, Self.testChunk), width: width, start: start, tile: tile, signs: signs)
        loss = config.string(Keys.loss) == "exponential" ? .exponential : .logistic

        let predictors = config.boolean(Keys.predictors) ? Self.agreedPredictors(config, communicator: communicator) : nil
        func local(_ global: [Double]?) -> [Double] {
            guard let global else { return [] }
            var padded = [Double](repeating: 0, count: width)
            for k in columns { padded[k - start] = global[k] }
            return padded
        }
        l2Local = local(predictors?.l2)
        l1Local = local(predictors?.l1)
        l2Norm = (predictors?.l2.reduce(0) { $0 + $1 * $1 } ?? .nan).squareRoot()
        l1Norm = (predictors?.l1.reduce(0) { $0 + $1 * $1 } ?? .nan).squareRoot()

        parameters = .allocate(capacity: 2 * width)
        parameters.initialize(repeating: 0)
        let initial = Scalar(DiagonalNetModel.initialCoordinate(config))
        for k in columns {
            parameters[k - start] = initial
            parameters[width + k - start] = initial
        }
        storageSegments = [StorageSegment(storageOffset: 0, canonicalOffset: 0, count: columns.count),
                           StorageSegment(storageOffset: width, canonicalOffset: columns.count, count: columns.count)]
        w = .allocate(capacity: width)
        w.initialize(repeating: 0)
        product = .allocate(capacity: width)
        product.initialize(repeating: 0)
        parameterMirror = Float64Mirror(count: 2 * width)
        mirrorGradient = .allocate(capacity: Scalar.self == Double.self ? 1 : 2 * width)
        mirrorGradient.initialize(repeating: 0)
        precondition(Scalar.self == Double.self || Scalar.self == Float.self, "diagonal-net: float64 or float32 only")
    }

    deinit {
        parameters.deallocate()
        w.deallocate()
        product.deallocate()
        mirrorGradient.deallocate()
    }

    /// Rank 0 solves the predictors and broadcasts them, so the solvers' n x d matrix lives on one rank only.
    private static func agreedPredictors(_ config: ExperimentConfig, communicator: Communicator) -> DiagonalNetPredictors {
        let d = config.integer(DiagonalNetModel.Keys.d)
        var message = ""
        var failure = ""
        if communicator.rank == 0 {
            do { message = try DiagonalNetPredictors.shared(config).encoded } catch { failure = "\(error)" }
        }
        let text = communicator.broadcast(message)
        guard let predictors = DiagonalNetPredictors(encoded: text, dimension: d) else {
            if communicator.rank == 0 { FileHandle.standardError.write(Data("groksim: \(failure)\n".utf8)) }
            communicator.abort(code: 2)
        }
        if communicator.rank != 0 { DiagonalNetPredictors.record(predictors, for: config) }
        return predictors
    }

    func targets(_ split: DataSplit) -> [Double] { split == .train ? trainLabels : testLabels }
    func outputCount(_ split: DataSplit) -> Int { split == .train ? trainLabels.count : nTest }

    /// x^L for the small integer L.
    @inline(__always) private static func power(_ x: Double, _ exponent: Int) -> Double {
        var result = x
        for _ in 1..<exponent { result *= x }
        return result
    }

    /// The parameters as float64, for the loops below: plain functions on doubles (see `Float64Mirror`).
    private func doubleParameters() -> UnsafePointer<Double> { parameterMirror.view(parameters) }

    private func updateWeights() {
        Self.weights(theta: doubleParameters(), width: width, depth: depth, into: w.baseAddress!)
    }

    private static func weights(theta: UnsafePointer<Double>, width: Int, depth: Int, into w: UnsafeMutablePointer<Double>) {
        for r in 0..<width { w[r] = power(theta[r], depth) - power(theta[width + r], depth) }
    }

    func accumulatePartialOutputs(_ split: DataSplit, into accumulator: ExactAccumulator) {
        updateWeights()
        if split == .train {
            train.accumulateOutputs(weights: w.baseAddress!, first: 0, into: accumulator)
            return
        }
        forEachTestChunk { first in testBlock.accumulateOutputs(weights: w.baseAddress!, first: first, into: accumulator) }
    }

    /// Regenerates the test rows chunk by chunk and calls `body` with each chunk's first row.
    private func forEachTestChunk(_ body: (Int) -> Void) {
        var first = 0
        while first < nTest {
            let count = min(testBlock.capacity, nTest - first)
            testBlock.fill(first: first, count: count, columns: columns, data: data, split: .test, labels: testLabels)
            body(first)
            first += count
        }
    }

    /// dL/du_k = L u_k^(L-1) Σ_i x_ik g_i and dL/dv_k = -L v_k^(L-1) Σ_i x_ik g_i.
    func computeGradient(outputGradients: UnsafeBufferPointer<Double>, into gradient: UnsafeMutableBufferPointer<Scalar>) {
        train.gradient(residuals: outputGradients, into: product.baseAddress!)
        let raw = UnsafeMutableRawPointer(gradient.baseAddress!)
        if Scalar.self == Double.self {
            Self.gradient(theta: doubleParameters(), product: product.baseAddress!, width: width, depth: depth,
                          into: raw.assumingMemoryBound(to: Double.self))
        } else {
            Self.gradient(theta: doubleParameters(), product: product.baseAddress!, width: width, depth: depth, into: mirrorGradient.baseAddress!)
            let floats = raw.assumingMemoryBound(to: Float.self)
            for index in 0..<(2 * width) { floats[index] = Float(mirrorGradient[index]) }
        }
    }

    private static func gradient(theta: UnsafePointer<Double>, product: UnsafePointer<Double>, width: Int, depth: Int,
                                 into gradient: UnsafeMutablePointer<Double>) {
        let l = Double(depth)
        for r in 0..<width {
            gradient[r] = l * power(theta[r], depth - 1) * product[r]
            gradient[width + r] = -l * power(theta[width + r], depth - 1) * product[r]
        }
    }

    /// The predictors' signs on the test set: one collective pass over the regenerated test rows.
    private func measurePredictorSigns(sumOverRanks: (ExactAccumulator) -> Void) -> (l2: [Double], l1: [Double]) {
        let outputs = ExactAccumulator(count: 2 * nTest)
        l2Local.withUnsafeBufferPointer { l2 in
            l1Local.withUnsafeBufferPointer { l1 in
                forEachTestChunk { first in
                    testBlock.accumulateOutputs(weights: l2.baseAddress!, first: first, into: outputs)
                    testBlock.accumulateOutputs(weights: l1.baseAddress!, first: nTest + first, into: outputs)
                }
            }
        }
        sumOverRanks(outputs)
        let values = (0..<(2 * nTest)).map { outputs.value($0) }
        let sign = values.map { $0 > 0 ? 1.0 : ($0 < 0 ? -1.0 : 0) }
        return (Array(sign[0..<nTest]), Array(sign[nTest...]))
    }

    func metrics(trainOutputs: UnsafeBufferPointer<Double>, testOutputs: UnsafeBufferPointer<Double>,
                 sumOverRanks: (ExactAccumulator) -> Void) -> [Double] {
        let hasPredictors = !l2Local.isEmpty
        if hasPredictors && predictorTestSigns == nil { predictorTestSigns = measurePredictorSigns(sumOverRanks: sumOverRanks) }
        updateWeights()
        sums.reset()
        for r in 0..<width {
            let u = Double(parameters[r]), v = Double(parameters[width + r]), wr = w[r]
            sums.add(u * u + v * v, to: 0)
            sums.add(wr * wr, to: 1)
            sums.add(abs(wr), to: 2)
            if hasPredictors {
                sums.add(wr * l2Local[r], to: 3)
                sums.add(wr * l1Local[r], to: 4)
            }
        }
        sumOverRanks(sums)
        func accuracy(_ outputs: UnsafeBufferPointer<Double>, _ labels: [Double]) -> Double {
            Double(zip(outputs, labels).filter { $0 * $1 > 0 }.count) / Double(labels.count)
        }
        let norm2 = sums.value(1).squareRoot(), norm1 = sums.value(2)
        var worst = Double.infinity
        for (f, y) in zip(trainOutputs, trainLabels) { worst = min(worst, f * y) }
        var row = [loss.value(outputs: trainOutputs, targets: trainLabels), accuracy(trainOutputs, trainLabels),
                   loss.value(outputs: testOutputs, targets: testLabels), accuracy(testOutputs, testLabels), sums.value(0).squareRoot()]
        if let signs = predictorTestSigns {
            row += [accuracy(testOutputs, signs.l2), accuracy(testOutputs, signs.l1),
                    norm2 > 0 ? sums.value(3) / (norm2 * l2Norm) : .nan, norm2 > 0 ? sums.value(4) / (norm2 * l1Norm) : .nan]
        } else {
            row += [.nan, .nan, .nan, .nan]
        }
        row += [norm2 > 0 ? worst / norm2 : .nan, norm1 > 0 ? worst / norm1 : .nan]
        return row
    }

    /// The whole training set (signs as int8) and labels, and the test labels, for `--save-data`.
    func dataArrays() -> [NamedArray] {
        let n = trainLabels.count, d = data.d
        let (x, _) = data.dense(rows: n, split: .train, tile: train.tile)
        let inputs: NamedArray.Values = data.task == .sparseLinear ? .int8(x.map { Int8($0) }) : .float64(x)
        return [NamedArray("x_train", shape: [n, d], values: inputs, "training inputs x_i, one row per point"),
                NamedArray("y_train", shape: [n], values: .float64(trainLabels), "training labels y_i = ±1"),
                NamedArray("y_test", shape: [nTest], values: .float64(testLabels), "test labels (test inputs are regenerated from their stream, not stored)")]
    }
}

import GrokSimCore

/// One rank's columns of the data and of w (padded to whole tiles, see `TiledLinearMap`), and (on every rank)
/// the replicated bias b.
final class LinearLogisticShard<Scalar: BLASScalar>: ModelShard {
    let part: Int
    let train: TiledLinearMap<Scalar>
    let test: TiledLinearMap<Scalar>
    let trainLabels: [Double]
    let testLabels: [Double]
    /// The teacher on the padded rows (zero outside the rank's coordinates).
    let localTeacher: [Double]
    let teacherNormSquared: Double
    /// w on the padded rows, then b.
    let parameters: UnsafeMutableBufferPointer<Scalar>
    let storageSegments: [StorageSegment]?
    let loss: Loss
    private let sums = ExactAccumulator(count: 2)

    init(config: ExperimentConfig, partition: WidthPartition, part: Int) {
        typealias Keys = LinearLogisticModel.Keys
        let n = config.integer(Keys.n), nTest = config.integer(Keys.nTest), d = config.integer(Keys.d), seed = config.seed
        let columns = partition.range(of: part)
        self.part = part
        let teacher = LinearLogisticData.teacher(dimension: d, seed: seed)
        teacherNormSquared = teacher.reduce(0) { $0 + $1 * $1 }
        let trainStream = RandomStream(seed: seed, stream: LinearLogisticData.trainInputs)
        let testStream = RandomStream(seed: seed, stream: LinearLogisticData.testInputs)
        let tile = LinearLogisticModel().tile(config)
        train = TiledLinearMap(count: n, outputs: 1, columns: columns, tile: tile) { i, k in
            trainStream.normal(UInt64(i) * UInt64(d) + UInt64(k))
        }
        test = TiledLinearMap(count: nTest, outputs: 1, columns: columns, tile: tile) { i, k in
            testStream.normal(UInt64(i) * UInt64(d) + UInt64(k))
        }
        var padded = [Double](repeating: 0, count: train.paddedRows)
        for (r, k) in columns.enumerated() { padded[train.rowOffset + r] = teacher[k] }
        localTeacher = padded
        trainLabels = LinearLogisticData.labels(count: n, dimension: d, teacher: teacher, stream: LinearLogisticData.trainInputs, seed: seed,
                                                flipRate: config.number(Keys.labelNoise))
        testLabels = LinearLogisticData.labels(count: nTest, dimension: d, teacher: teacher, stream: LinearLogisticData.testInputs, seed: seed,
                                               flipRate: 0)
        loss = config.string(Keys.loss) == "exponential" ? .exponential : .logistic
        let rows = train.paddedRows
        parameters = .allocate(capacity: rows + 1)
        parameters.initialize(repeating: 0)
        let initial = RandomStream(seed: seed, stream: LinearLogisticData.initialWeights)
        let scale = config.number(Keys.initScale)
        for (r, k) in columns.enumerated() { parameters[train.rowOffset + r] = Scalar(scale * initial.normal(UInt64(k))) }
        storageSegments = [StorageSegment(storageOffset: train.rowOffset, canonicalOffset: 0, count: columns.count),
                           StorageSegment(storageOffset: rows, canonicalOffset: columns.count, count: 1)]
    }

    deinit {
        parameters.deallocate()
    }

    private var bias: Double { Double(parameters[train.paddedRows]) }

    func targets(_ split: DataSplit) -> [Double] { split == .train ? trainLabels : testLabels }
    func outputCount(_ split: DataSplit) -> Int { split == .train ? trainLabels.count : testLabels.count }

    func accumulatePartialOutputs(_ split: DataSplit, into accumulator: ExactAccumulator) {
        let map = split == .train ? train : test
        map.accumulateOutputs(weights: parameters.baseAddress!, into: accumulator)
        // The replicated bias enters the sum once, from rank 0.
        if part == 0 {
            for i in 0..<map.count { accumulator.add(bias, to: i) }
        }
    }

    /// dL/dw_k = sum_i x_ik g_i by tile GEMMs, and dL/db = sum_i g_i in index order on every rank.
    func computeGradient(outputGradients: UnsafeBufferPointer<Double>, into gradient: UnsafeMutableBufferPointer<Scalar>) {
        train.gradient(residuals: outputGradients, into: gradient.baseAddress!)
        var total = 0.0
        for g in outputGradients { total += g }
        gradient[train.paddedRows] = Scalar(total)
    }

    func metrics(trainOutputs: UnsafeBufferPointer<Double>, testOutputs: UnsafeBufferPointer<Double>,
                 sumOverRanks: (ExactAccumulator) -> Void) -> [Double] {
        sums.reset()
        for r in 0..<train.paddedRows {
            let w = Double(parameters[r])
            sums.add(w * w, to: 0)
            sums.add(w * localTeacher[r], to: 1)
        }
        sumOverRanks(sums)
        func accuracy(_ outputs: UnsafeBufferPointer<Double>, _ labels: [Double]) -> Double {
            Double(zip(outputs, labels).filter { $0 * $1 > 0 }.count) / Double(labels.count)
        }
        let norm = sums.value(0).squareRoot()
        return [loss.value(outputs: trainOutputs, targets: trainLabels), accuracy(trainOutputs, trainLabels),
                loss.value(outputs: testOutputs, targets: testLabels), accuracy(testOutputs, testLabels),
                norm, bias, norm > 0 ? sums.value(1) / (norm * teacherNormSquared.squareRoot()) : .nan]
    }
}

import GrokSimCore

/// One rank's columns of the data and of w, and (on every rank) the replicated bias b.
final class LinearLogisticShard<Scalar: BLASScalar>: ModelShard {
    let columns: Range<Int>
    let part: Int
    let trainX: UnsafeMutableBufferPointer<Scalar>
    let testX: UnsafeMutableBufferPointer<Scalar>
    let trainLabels: [Double]
    let testLabels: [Double]
    let localTeacher: [Double]
    let teacherNormSquared: Double
    /// w's local block, then b (storage equals the canonical layout).
    let parameters: UnsafeMutableBufferPointer<Scalar>
    let loss: Loss
    private let sums = ExactAccumulator(count: 3)

    init(config: ExperimentConfig, partition: WidthPartition, part: Int) {
        typealias Keys = LinearLogisticModel.Keys
        let n = config.integer(Keys.n), nTest = config.integer(Keys.nTest), d = config.integer(Keys.d), seed = config.seed
        columns = partition.range(of: part)
        self.part = part
        let teacher = LinearLogisticData.teacher(dimension: d, seed: seed)
        localTeacher = Array(teacher[columns])
        teacherNormSquared = teacher.reduce(0) { $0 + $1 * $1 }
        trainX = LinearLogisticData.inputs(count: n, dimension: d, columns: columns, stream: LinearLogisticData.trainInputs, seed: seed)
        testX = LinearLogisticData.inputs(count: nTest, dimension: d, columns: columns, stream: LinearLogisticData.testInputs, seed: seed)
        trainLabels = LinearLogisticData.labels(count: n, dimension: d, teacher: teacher, stream: LinearLogisticData.trainInputs, seed: seed,
                                                flipRate: config.number(Keys.labelNoise))
        testLabels = LinearLogisticData.labels(count: nTest, dimension: d, teacher: teacher, stream: LinearLogisticData.testInputs, seed: seed,
                                               flipRate: 0)
        loss = config.string(Keys.loss) == "exponential" ? .exponential : .logistic
        parameters = .allocate(capacity: columns.count + 1)
        let initial = RandomStream(seed: seed, stream: LinearLogisticData.initialWeights)
        let scale = config.number(Keys.initScale)
        for (c, k) in columns.enumerated() { parameters[c] = Scalar(scale * initial.normal(UInt64(k))) }
        parameters[columns.count] = 0
    }

    deinit {
        trainX.deallocate()
        testX.deallocate()
        parameters.deallocate()
    }

    func targets(_ split: DataSplit) -> [Double] { split == .train ? trainLabels : testLabels }
    func outputCount(_ split: DataSplit) -> Int { split == .train ? trainLabels.count : testLabels.count }

    /// Each product x_ik w_k enters the exact sum on its own: the sharded axis is the inner one of the dot
    /// product, so a rank's partial dot product rounded in floating point would depend on the block sizes.
    func accumulatePartialOutputs(_ split: DataSplit, into accumulator: ExactAccumulator) {
        let x = split == .train ? trainX : testX, count = outputCount(split), width = columns.count
        let bias = Double(parameters[width])
        for i in 0..<count {
            let row = i * width
            for c in 0..<width { accumulator.add(Double(x[row + c]) * Double(parameters[c]), to: i) }
            // The replicated bias enters the sum once, from rank 0.
            if part == 0 { accumulator.add(bias, to: i) }
        }
    }

    /// dL/dw_k = sum_i x_ik g_i and dL/db = sum_i g_i, each summed in index order, which no rank count changes.
    func computeGradient(outputGradients: UnsafeBufferPointer<Double>, into gradient: UnsafeMutableBufferPointer<Scalar>) {
        let n = trainLabels.count, width = columns.count
        for c in 0..<width {
            var total = 0.0
            for i in 0..<n { total += Double(trainX[i * width + c]) * outputGradients[i] }
            gradient[c] = Scalar(total)
        }
        var total = 0.0
        for i in 0..<n { total += outputGradients[i] }
        gradient[width] = Scalar(total)
    }

    func metrics(trainOutputs: UnsafeBufferPointer<Double>, testOutputs: UnsafeBufferPointer<Double>,
                 sumOverRanks: (ExactAccumulator) -> Void) -> [Double] {
        sums.reset()
        for c in 0..<columns.count {
            let w = Double(parameters[c])
            sums.add(w * w, to: 0)
            sums.add(w * localTeacher[c], to: 1)
        }
        sumOverRanks(sums)
        func accuracy(_ outputs: UnsafeBufferPointer<Double>, _ labels: [Double]) -> Double {
            Double(zip(outputs, labels).filter { $0 * $1 > 0 }.count) / Double(labels.count)
        }
        let norm = sums.value(0).squareRoot()
        return [loss.value(outputs: trainOutputs, targets: trainLabels), accuracy(trainOutputs, trainLabels),
                loss.value(outputs: testOutputs, targets: testLabels), accuracy(testOutputs, testLabels),
                norm, Double(parameters[columns.count]),
                norm > 0 ? sums.value(1) / (norm * teacherNormSquared.squareRoot()) : .nan]
    }

    func dataArrays() -> [NamedArray] { [] }
}

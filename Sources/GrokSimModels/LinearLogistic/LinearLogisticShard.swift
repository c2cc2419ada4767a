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
    private let products: UnsafeMutableBufferPointer<Scalar>
    private let gradientScratch: UnsafeMutableBufferPointer<Scalar>
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
        products = .allocate(capacity: max(n, nTest))
        gradientScratch = .allocate(capacity: max(1, n))
    }

    deinit {
        trainX.deallocate()
        testX.deallocate()
        parameters.deallocate()
        products.deallocate()
        gradientScratch.deallocate()
    }

    func targets(_ split: DataSplit) -> [Double] { split == .train ? trainLabels : testLabels }
    func outputCount(_ split: DataSplit) -> Int { split == .train ? trainLabels.count : testLabels.count }

    func accumulatePartialOutputs(_ split: DataSplit, into accumulator: ExactAccumulator) {
        let x = split == .train ? trainX : testX, count = outputCount(split), width = columns.count
        // z = X_r w_r as an (count x width) x (width x 1) product.
        Scalar.gemm(transposeA: false, transposeB: false, rows: count, columns: 1, inner: width, alpha: 1,
                    a: x.baseAddress!, lda: width, b: parameters.baseAddress!, ldb: 1, beta: 0, c: products.baseAddress!, ldc: 1)
        let bias = Double(parameters[width])
        for i in 0..<count {
            accumulator.add(Double(products[i]), to: i)
            // The replicated bias enters the sum once, from rank 0.
            if part == 0 { accumulator.add(bias, to: i) }
        }
    }

    func computeGradient(outputGradients: UnsafeBufferPointer<Double>, into gradient: UnsafeMutableBufferPointer<Scalar>) {
        let n = trainLabels.count, width = columns.count
        for i in 0..<n { gradientScratch[i] = Scalar(outputGradients[i]) }
        // dL/dw_r = X_r^T g; dL/db = sum_i g_i, summed in index order on every rank.
        Scalar.gemm(transposeA: true, transposeB: false, rows: width, columns: 1, inner: n, alpha: 1,
                    a: trainX.baseAddress!, lda: width, b: gradientScratch.baseAddress!, ldb: 1, beta: 0, c: gradient.baseAddress!, ldc: 1)
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

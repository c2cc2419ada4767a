import GrokSimCore

/// One rank's rows of the student S (padded to whole tiles, see `TiledLinearMap`) and its columns of the inputs;
/// the targets and the teacher's rows it needs for ‖S − T‖².
final class TeacherStudentShard<Scalar: BLASScalar>: ModelShard {
    let train: TiledLinearMap<Scalar>
    let test: TiledLinearMap<Scalar>
    let trainTargets: [Double]
    let testTargets: [Double]
    let outputsPerSample: Int
    let epsilon: Double
    /// T on the padded rows, row-major (zero outside the rank's rows).
    let localTeacher: [Double]
    /// S on the padded rows, row-major paddedRows × d_out.
    let parameters: UnsafeMutableBufferPointer<Scalar>
    let storageSegments: [StorageSegment]?
    let loss = Loss.squared
    let theory: TeacherStudentTheory
    let inputs: Int
    let seed: UInt64
    /// The step whose metrics come next (the predicted curves are functions of it).
    private var metricsStep = 0
    private let sums = ExactAccumulator(count: 1)

    init(config: ExperimentConfig, partition: WidthPartition, part: Int) {
        typealias Keys = TeacherStudentModel.Keys
        let n = config.integer(Keys.samples), nTest = config.integer(Keys.testSamples)
        let d = config.integer(Keys.inputs), c = config.integer(Keys.outputs), seed = config.seed
        let rows = partition.range(of: part)
        outputsPerSample = c
        inputs = d
        self.seed = seed
        epsilon = config.number(Keys.epsilon)
        theory = TeacherStudentTheory(config)
        let tile = TeacherStudentModel().tile(config)
        train = TiledLinearMap(count: n, outputs: c, columns: rows, tile: tile,
                               value: TeacherStudentData.input(.train, inputs: d, seed: seed))
        test = TiledLinearMap(count: nTest, outputs: c, columns: rows, tile: tile,
                              value: TeacherStudentData.input(.test, inputs: d, seed: seed))
        let teacher = TeacherStudentData.teacher(inputs: d, outputs: c, seed: seed)
        let student = TeacherStudentData.initialStudent(inputs: d, outputs: c, initScale: config.number(Keys.initScale), seed: seed)
        trainTargets = TeacherStudentData.targets(.train, count: n, inputs: d, outputs: c, teacher: teacher,
                                                  noise: config.number(Keys.labelNoise), seed: seed)
        testTargets = TeacherStudentData.targets(.test, count: nTest, inputs: d, outputs: c, teacher: teacher, noise: 0, seed: seed)
        let padded = train.paddedRows
        var localTeacher = [Double](repeating: 0, count: padded * c)
        parameters = .allocate(capacity: padded * c)
        parameters.initialize(repeating: 0)
        for (r, k) in rows.enumerated() {
            for j in 0..<c {
                localTeacher[(train.rowOffset + r) * c + j] = teacher[k * c + j]
                parameters[(train.rowOffset + r) * c + j] = Scalar(student[k * c + j])
            }
        }
        self.localTeacher = localTeacher
        storageSegments = [StorageSegment(storageOffset: train.rowOffset * c, canonicalOffset: 0, count: rows.count * c)]
    }

    deinit {
        parameters.deallocate()
    }

    func targets(_ split: DataSplit) -> [Double] { split == .train ? trainTargets : testTargets }
    func outputCount(_ split: DataSplit) -> Int { split == .train ? trainTargets.count : testTargets.count }

    func accumulatePartialOutputs(_ split: DataSplit, into accumulator: ExactAccumulator) {
        (split == .train ? train : test).accumulateOutputs(weights: parameters.baseAddress!, into: accumulator)
    }

    /// dL/dS_kj = sum_i x_ik g_ij by tile GEMMs.
    func computeGradient(outputGradients: UnsafeBufferPointer<Double>, into gradient: UnsafeMutableBufferPointer<Scalar>) {
        train.gradient(residuals: outputGradients, into: gradient.baseAddress!)
    }

    func willRecordMetrics(step: Int) {
        metricsStep = step
    }

    func metrics(trainOutputs: UnsafeBufferPointer<Double>, testOutputs: UnsafeBufferPointer<Double>,
                 sumOverRanks: (ExactAccumulator) -> Void) -> [Double] {
        sums.reset()
        for index in 0..<localTeacher.count {
            let deviation = Double(parameters[index]) - localTeacher[index]
            sums.add(deviation * deviation, to: 0)
        }
        sumOverRanks(sums)
        let c = outputsPerSample
        /// The fraction of samples whose mean squared error over their c outputs is below ε.
        func accuracy(_ outputs: UnsafeBufferPointer<Double>, _ targets: [Double]) -> Double {
            let samples = targets.count / c
            var correct = 0
            for i in 0..<samples {
                var error = 0.0
                for j in 0..<c { error += (outputs[i * c + j] - targets[i * c + j]) * (outputs[i * c + j] - targets[i * c + j]) }
                if error / Double(c) < epsilon { correct += 1 }
            }
            return Double(correct) / Double(samples)
        }
        return [loss.value(outputs: trainOutputs, targets: trainTargets), sums.value(0) / Double(c),
                loss.value(outputs: testOutputs, targets: testTargets),
                accuracy(trainOutputs, trainTargets), accuracy(testOutputs, testTargets)] + theory.curves(step: metricsStep)
    }

    /// The whole sampled data (regenerated from the seed: this rank holds only its columns of X).
    func dataArrays() -> [NamedArray] {
        let count = trainTargets.count / outputsPerSample, d = inputs
        return [NamedArray("train_inputs", shape: [count, d], values: .float64(TeacherStudentData.inputs(.train, count: count, inputs: d, seed: seed)),
                           "training inputs x_i ~ N(0, I), one row per sample"),
         NamedArray("train_targets", shape: [trainTargets.count / outputsPerSample, outputsPerSample], values: .float64(trainTargets),
                    "training targets T^T x_i + label noise"),
         NamedArray("test_targets", shape: [testTargets.count / outputsPerSample, outputsPerSample], values: .float64(testTargets),
                    "test targets T^T x_i")]
    }
}

import GrokSimCore

/// One rank's hidden units of f(x) = (1/sqrt m) sum_j v_j relu(<w_j, x> / sqrt d + b_j), and every data point.
///
/// Storage is canonical: the local rows of w (units x d), then the local b, then the local a. A unit's
/// contributions to the outputs are summed in fixed tiles of units (the partition splits on whole tiles), and
/// each tile's sum enters the exact accumulator, so the outputs are the same for any rank count; every
/// gradient entry belongs to one unit and is summed over the samples in index order.
final class RandomLabelMLPShard<Scalar: BLASScalar>: ModelShard {
    let n: Int, nTest: Int, d: Int, m: Int
    let units: Range<Int>
    let tile: Int
    let trainX: [Double], testX: [Double]
    let trainY: [Double], testY: [Double]
    let boundaryMargin: Double
    let parameters: UnsafeMutableBufferPointer<Scalar>
    let loss: Loss = .logistic
    /// Pre-activations of the latest training forward pass (sample-major, local units).
    private var trainPre: [Double]
    private let sums = ExactAccumulator(count: 1)

    init(config: ExperimentConfig, partition: WidthPartition, part: Int) {
        typealias Keys = RandomLabelMLPModel.Keys
        n = config.integer(Keys.n); nTest = config.integer(Keys.nTest); d = config.integer(Keys.d); m = config.integer(Keys.width)
        let seed = config.seed
        units = partition.range(of: part)
        tile = RandomLabelMLPModel().tile(config)
        trainX = RandomLabelMLPData.inputs(count: n, dimension: d, stream: RandomLabelMLPData.trainInputs, seed: seed)
        testX = RandomLabelMLPData.inputs(count: nTest, dimension: d, stream: RandomLabelMLPData.testInputs, seed: seed)
        trainY = RandomLabelMLPData.labels(count: n, stream: RandomLabelMLPData.trainLabels, seed: seed)
        testY = RandomLabelMLPData.labels(count: nTest, stream: RandomLabelMLPData.testLabels, seed: seed)
        boundaryMargin = config.number(Keys.boundaryMargin)
        let local = units.count
        parameters = .allocate(capacity: max(1, local * (d + 2)))
        parameters.initialize(repeating: 0)
        let hidden = RandomStream(seed: seed, stream: RandomLabelMLPData.hiddenWeights)
        let output = RandomStream(seed: seed, stream: RandomLabelMLPData.outputWeights)
        let scale = config.number(Keys.initScale)
        for (r, j) in units.enumerated() {
            for k in 0..<d { parameters[r * d + k] = Scalar(hidden.normal(UInt64(j * d + k))) }
            parameters[local * (d + 1) + r] = Scalar(scale * output.normal(UInt64(j)))
        }
        trainPre = [Double](repeating: 0, count: n * local)
    }

    deinit {
        parameters.deallocate()
    }

    private var local: Int { units.count }

    /// The parameters as doubles, converted once per pass (element access through the generic scalar is slow).
    private func doubles() -> [Double] {
        (0..<parameters.count).map { Double(parameters[$0]) }
    }

    func targets(_ split: DataSplit) -> [Double] { split == .train ? trainY : testY }
    func outputCount(_ split: DataSplit) -> Int { split == .train ? n : nTest }

    func accumulatePartialOutputs(_ split: DataSplit, into accumulator: ExactAccumulator) {
        let x = split == .train ? trainX : testX
        let count = split == .train ? n : nTest
        let inputScale = 1 / Double(d).squareRoot(), outputScale = 1 / Double(m).squareRoot()
        let theta = doubles()
        let local = local, d = d, tile = tile
        var pre = [Double](repeating: 0, count: local)
        for i in 0..<count {
            for r in 0..<local {
                var z = 0.0
                for k in 0..<d { z += theta[r * d + k] * x[i * d + k] }
                pre[r] = z * inputScale + theta[local * d + r]
            }
            if split == .train {
                for r in 0..<local { trainPre[i * local + r] = pre[r] }
            }
            // One exact addition per tile of units: the tiles are the same whatever the rank count.
            var start = 0
            while start < local {
                let end = min(local, start + tile)
                var partial = 0.0
                for r in start..<end { partial += theta[local * (d + 1) + r] * max(0, pre[r]) }
                accumulator.add(partial * outputScale, to: i)
                start = end
            }
        }
    }

    func computeGradient(outputGradients: UnsafeBufferPointer<Double>, into gradient: UnsafeMutableBufferPointer<Scalar>) {
        let inputScale = 1 / Double(d).squareRoot(), outputScale = 1 / Double(m).squareRoot()
        let theta = doubles()
        let local = local, d = d, n = n
        var gw = [Double](repeating: 0, count: d)
        var result = [Double](repeating: 0, count: parameters.count)
        for r in 0..<local {
            for k in 0..<d { gw[k] = 0 }
            var gb = 0.0, ga = 0.0
            let ar = theta[local * (d + 1) + r]
            for i in 0..<n {
                let z = trainPre[i * local + r]
                guard z > 0 else { continue }
                let g = outputGradients[i] * outputScale
                ga += g * z
                let back = g * ar
                gb += back
                for k in 0..<d { gw[k] += back * trainX[i * d + k] }
            }
            for k in 0..<d { result[r * d + k] = gw[k] * inputScale }
            result[local * d + r] = gb
            result[local * (d + 1) + r] = ga
        }
        for i in result.indices { gradient[i] = Scalar(result[i]) }
    }

    func metrics(trainOutputs: UnsafeBufferPointer<Double>, testOutputs: UnsafeBufferPointer<Double>,
                 sumOverRanks: (ExactAccumulator) -> Void) -> [Double] {
        sums.reset()
        for value in doubles() { sums.add(value * value, to: 0) }
        sumOverRanks(sums)
        func accuracy(_ outputs: UnsafeBufferPointer<Double>, _ labels: [Double]) -> Double {
            Double(zip(outputs, labels).filter { $0 * $1 > 0 }.count) / Double(labels.count)
        }
        let margins = zip(trainOutputs, trainY).map { $0 * $1 }
        return [loss.value(outputs: trainOutputs, targets: trainY), accuracy(trainOutputs, trainY),
                loss.value(outputs: testOutputs, targets: testY), accuracy(testOutputs, testY),
                sums.value(0).squareRoot(), Double(margins.filter { $0 < boundaryMargin }.count), margins.min() ?? .nan]
    }

    func dataArrays() -> [NamedArray] {
        [NamedArray("x_train", shape: [n, d], values: .float64(trainX), "training inputs x_i ~ N(0, I_d)"),
         NamedArray("y_train", shape: [n], values: .float64(trainY), "training labels, +1 or -1 uniformly at random")]
    }
}

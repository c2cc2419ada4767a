import Foundation

/// Seconds spent in each phase of training, summed over the run on this rank.
public struct PhaseTimings: Sendable {
    public var forward = 0.0
    public var allreduce = 0.0
    public var backward = 0.0
    public var metrics = 0.0
    public var total: Double { forward + allreduce + backward + metrics }

    public init() {}
}

/// The flagship experiment on one rank: data, the local block of the network, and the GD loop.
///
/// Each training step is one forward GEMM, one all-reduce of the n partial outputs (as exact sums, so
/// the result does not depend on the rank count), and one backward GEMM. Metrics need a test forward
/// pass and one more small all-reduce, and happen only on the metrics schedule.
public final class Simulation<Scalar: BLASScalar> {
    public let config: ExperimentConfig
    public let communicator: Communicator
    public let network: TwoLayerReLUNetwork<Scalar>
    /// The weights held are W^(step).
    public private(set) var step = 0
    public private(set) var timings = PhaseTimings()

    private let trainSums: ExactAccumulator
    private let testSums: ExactAccumulator
    private let weightSums: ExactAccumulator
    /// f(x_i; W^(step)) on the training points, after the latest forward pass.
    public let trainOutputs: UnsafeMutableBufferPointer<Double>
    /// f on the test points, after the latest metrics evaluation.
    public let testOutputs: UnsafeMutableBufferPointer<Double>
    private let outputGradients: UnsafeMutableBufferPointer<Double>
    private var trainOutputsStep = -1

    /// Builds the data and the local network block; the rank count must not exceed m.
    public convenience init(config: ExperimentConfig, communicator: Communicator) {
        // Ranks on one node share one copy of the data, which every rank reads and none changes.
        let elementSize = MemoryLayout<Scalar>.stride
        let trainMemory = communicator.nodeSharedBuffer(bytes: config.n * config.trainDimension * elementSize)
        let testMemory = communicator.nodeSharedBuffer(bytes: config.nTest * config.weightDimension * elementSize)
        let train = XORClusterData<Scalar>.trainingSet(config: config, shared: trainMemory)
        let test = XORClusterData<Scalar>.testSet(config: config, shared: testMemory)
        communicator.nodeBarrier()
        self.init(config: config, communicator: communicator, train: train, test: test)
    }

    /// Trains on the given data: `train` rows have `config.trainDimension` entries, `test` rows `config.weightDimension`.
    public init(config: ExperimentConfig, communicator: Communicator, train: XORClusterData<Scalar>, test: XORClusterData<Scalar>) {
        precondition(train.count == config.n && test.count == config.nTest)
        precondition(train.dimension == config.trainDimension && test.dimension == config.weightDimension)
        self.config = config
        self.communicator = communicator
        network = TwoLayerReLUNetwork(config: config, partition: WidthPartition(width: config.m, parts: communicator.size),
                                      part: communicator.rank, train: train, test: test)
        trainSums = ExactAccumulator(count: config.n)
        testSums = ExactAccumulator(count: config.nTest)
        weightSums = ExactAccumulator(count: WeightStatistic.allCases.count)
        trainOutputs = .allocate(capacity: config.n)
        testOutputs = .allocate(capacity: config.nTest)
        outputGradients = .allocate(capacity: config.n)
        trainOutputs.initialize(repeating: 0)
        testOutputs.initialize(repeating: 0)
        outputGradients.initialize(repeating: 0)
    }

    deinit {
        trainOutputs.deallocate()
        testOutputs.deallocate()
        outputGradients.deallocate()
    }

    /// Replaces the local weights (for example from a checkpoint) and sets the step they belong to.
    public func restore(step: Int, localWeights: UnsafeBufferPointer<Scalar>) {
        network.setWeights(localWeights)
        self.step = step
        trainOutputsStep = -1
    }

    /// Full network outputs on `split` into `outputs`: local partial sums, then one all-reduce.
    private func forward(_ split: DataSplit, sums: ExactAccumulator, outputs: UnsafeMutableBufferPointer<Double>) {
        var start = MonotonicClock.seconds()
        sums.reset()
        network.accumulatePartialOutputs(split, into: sums)
        var now = MonotonicClock.seconds()
        if split == .train { timings.forward += now - start } else { timings.metrics += now - start }
        start = now
        communicator.allreduceSum(sums.storage)
        sums.values(into: outputs)
        now = MonotonicClock.seconds()
        timings.allreduce += now - start
    }

    private func forwardTrainIfNeeded() {
        if trainOutputsStep == step { return }
        forward(.train, sums: trainSums, outputs: trainOutputs)
        trainOutputsStep = step
    }

    /// One GD step from W^(step) to W^(step+1); returns the metrics of W^(step) when asked.
    @_specialize(where Scalar == Double)
    @_specialize(where Scalar == Float)
    public func advance(recordMetrics: Bool) -> [Double]? {
        forwardTrainIfNeeded()
        let row = recordMetrics ? metrics() : nil
        let start = MonotonicClock.seconds()
        let n = Double(config.n)
        for i in 0..<config.n {
            let y = network.train.labels[i]
            // dL/df_i for the mean logistic loss.
            outputGradients[i] = -y * LogisticLoss.pointWeight(margin: y * trainOutputs[i]) / n
        }
        network.applyGradientStep(outputGradients: UnsafeBufferPointer(outputGradients))
        step += 1
        timings.backward += MonotonicClock.seconds() - start
        return row
    }

    /// The metrics of the current weights, in the order of `Metric.all`.
    @_specialize(where Scalar == Double)
    @_specialize(where Scalar == Float)
    public func metrics() -> [Double] {
        forwardTrainIfNeeded()
        forward(.test, sums: testSums, outputs: testOutputs)
        let start = MonotonicClock.seconds()
        weightSums.reset()
        network.accumulateWeightStatistics(into: weightSums)
        communicator.allreduceSum(weightSums.storage)
        let train = network.train, test = network.test
        var trainLoss = 0.0
        var correct = 0, correctFlipped = 0, flippedCount = 0
        var minWeight = Double.infinity, maxWeight = 0.0
        for i in 0..<train.count {
            let margin = train.labels[i] * trainOutputs[i]
            trainLoss += LogisticLoss.value(margin: margin)
            let g = LogisticLoss.pointWeight(margin: margin)
            minWeight = min(minWeight, g)
            maxWeight = max(maxWeight, g)
            if margin > 0 { correct += 1 }
            if train.flipped[i] {
                flippedCount += 1
                if margin > 0 { correctFlipped += 1 }
            }
        }
        var testLoss = 0.0, testCorrect = 0
        var clusterCorrect = [0, 0, 0, 0], clusterCount = [0, 0, 0, 0]
        for i in 0..<test.count {
            let margin = test.labels[i] * testOutputs[i]
            testLoss += LogisticLoss.value(margin: margin)
            clusterCount[test.clusters[i]] += 1
            if margin > 0 {
                testCorrect += 1
                clusterCorrect[test.clusters[i]] += 1
            }
        }
        func ratio(_ a: Int, _ b: Int) -> Double { b == 0 ? .nan : Double(a) / Double(b) }
        let positive = network.secondLayer.filter { $0 > 0 }.count
        let negative = config.m - positive
        func statistic(_ s: WeightStatistic, over count: Int) -> Double {
            count == 0 ? .nan : weightSums.value(s.rawValue) / Double(count)
        }
        let row: [Double] = [
            trainLoss / Double(train.count),
            ratio(correct, train.count),
            ratio(correctFlipped, flippedCount),
            ratio(correct - correctFlipped, train.count - flippedCount),
            testLoss / Double(test.count),
            ratio(testCorrect, test.count),
            ratio(clusterCorrect[0], clusterCount[0]), ratio(clusterCorrect[1], clusterCount[1]),
            ratio(clusterCorrect[2], clusterCount[2]), ratio(clusterCorrect[3], clusterCount[3]),
            weightSums.value(WeightStatistic.squaredNorm.rawValue).squareRoot(),
            statistic(.projMu1Positive, over: positive), statistic(.projMu2Positive, over: positive),
            statistic(.projMu1Negative, over: negative), statistic(.projMu2Negative, over: negative),
            statistic(.absProjMu1Positive, over: positive), statistic(.absProjMu2Positive, over: positive),
            statistic(.absProjMu1Negative, over: negative), statistic(.absProjMu2Negative, over: negative),
            maxWeight / minWeight,
        ]
        timings.metrics += MonotonicClock.seconds() - start
        return row
    }

    /// Gathers all m × d weights to rank 0 (nil elsewhere); d = p in the explicit representation.
    public func gatherWeights() -> [Scalar]? {
        let d = config.weightDimension
        let counts = (0..<communicator.size).map { network.partition.count(of: $0) * d }
        if communicator.rank == 0 {
            var all = [Scalar](repeating: 0, count: config.m * d)
            all.withUnsafeMutableBufferPointer { buffer in
                network.withRowMajorWeights { gather($0, counts: counts, into: buffer) }
            }
            return all
        }
        network.withRowMajorWeights { gather($0, counts: counts, into: nil) }
        return nil
    }

    private func gather(_ local: UnsafeBufferPointer<Scalar>, counts: [Int], into: UnsafeMutableBufferPointer<Scalar>?) {
        if Scalar.self == Double.self {
            communicator.gather(UnsafeRawBufferPointer(local).assumingMemoryBound(to: Double.self), counts: counts,
                                into: into.map { UnsafeMutableRawBufferPointer($0).assumingMemoryBound(to: Double.self) })
        } else {
            communicator.gather(UnsafeRawBufferPointer(local).assumingMemoryBound(to: Float.self), counts: counts,
                                into: into.map { UnsafeMutableRawBufferPointer($0).assumingMemoryBound(to: Float.self) })
        }
    }
}

/// Wall-clock seconds from a monotonic clock.
public enum MonotonicClock {
    public static func seconds() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) * 1e-9
    }
}

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

/// One experiment on one rank: any model's shard, its dynamics, and the training loop.
///
/// Each training step is the shard's partial outputs, one all-reduce of them (as exact sums, so the result
/// does not depend on the rank count), the loss derivative, and the local update. Metrics need a test
/// forward pass and the model's own reductions, and happen only on the metrics schedule.
public final class Simulation<Scalar: BLASScalar> {
    public let config: ExperimentConfig
    public let communicator: Communicator
    public let model: any Model
    public let shard: any ModelShard<Scalar>
    public let layout: ShardLayout
    public let dynamics: Dynamics<Scalar>
    /// The parameters held are theta^(step).
    public private(set) var step = 0
    public private(set) var timings = PhaseTimings()

    private let trainSums: ExactAccumulator
    private let testSums: ExactAccumulator
    /// f on the training outputs at theta^(step), after the latest forward pass.
    public let trainOutputs: UnsafeMutableBufferPointer<Double>
    /// f on the test outputs, after the latest metrics evaluation.
    public let testOutputs: UnsafeMutableBufferPointer<Double>
    private let outputGradients: UnsafeMutableBufferPointer<Double>
    private let trainTargets: [Double]
    private var trainOutputsStep = -1

    /// Builds the model's shard of this rank; the rank count must not exceed the model's width.
    public convenience init(config: ExperimentConfig, communicator: Communicator) {
        let model = ModelRegistry.model(of: config)
        let shard: any ModelShard<Scalar> = model.makeShard(config, communicator: communicator)
        self.init(config: config, communicator: communicator, shard: shard)
    }

    /// Trains the given shard (for example one built on hand-made data).
    public init(config: ExperimentConfig, communicator: Communicator, shard: any ModelShard<Scalar>) {
        self.config = config
        self.communicator = communicator
        model = ModelRegistry.model(of: config)
        self.shard = shard
        layout = ShardLayout(arrays: model.parameterArrays(config),
                             partition: model.partition(config, parts: communicator.size), part: communicator.rank)
        let held = ShardLayout.parameterCount(storageCount: shard.parameters.count, segments: shard.storageSegments)
        precondition(layout.localCount == held, "the shard holds \(held) parameters, its layout \(layout.localCount)")
        dynamics = Dynamics(settings: DynamicsSettings(config, learningRateKey: model.learningRateKey), seed: config.seed,
                            layout: layout, storageCount: shard.parameters.count, segments: shard.storageSegments)
        // A shard that reduces its own outputs needs no accumulator (at many logits per sample it would not fit).
        trainSums = ExactAccumulator(count: shard.reducesOwnOutputs ? 0 : shard.outputCount(.train))
        testSums = ExactAccumulator(count: shard.reducesOwnOutputs ? 0 : shard.outputCount(.test))
        trainTargets = shard.targets(.train)
        trainOutputs = .allocate(capacity: shard.outputCount(.train))
        testOutputs = .allocate(capacity: shard.outputCount(.test))
        outputGradients = .allocate(capacity: shard.outputCount(.train))
        trainOutputs.initialize(repeating: 0)
        testOutputs.initialize(repeating: 0)
        outputGradients.initialize(repeating: 0)
    }

    deinit {
        trainOutputs.deallocate()
        testOutputs.deallocate()
        outputGradients.deallocate()
    }

    /// Replaces the local parameters (canonical local layout, for example from a checkpoint), the dynamics'
    /// state (canonical, empty when it has none) and the step they belong to.
    public func restore(step: Int, parameters: [Scalar], firstMoment: [Double] = [], secondMoment: [Double] = []) {
        ShardLayout.store(parameters, into: shard.parameters, segments: shard.storageSegments)
        if dynamics.hasState && !firstMoment.isEmpty {
            ShardLayout.store(firstMoment, into: dynamics.firstMoment, segments: shard.storageSegments)
            ShardLayout.store(secondMoment, into: dynamics.secondMoment, segments: shard.storageSegments)
        }
        self.step = step
        trainOutputsStep = -1
    }

    /// Full outputs on `split` into `outputs`: local partial sums, then one all-reduce.
    private func forward(_ split: DataSplit, sums: ExactAccumulator, outputs: UnsafeMutableBufferPointer<Double>) {
        var start = MonotonicClock.seconds()
        if shard.reducesOwnOutputs {
            shard.prepareOutputs(split)
        } else {
            sums.reset()
            shard.accumulatePartialOutputs(split, into: sums)
        }
        var now = MonotonicClock.seconds()
        if split == .train { timings.forward += now - start } else { timings.metrics += now - start }
        start = now
        if shard.reducesOwnOutputs {
            shard.reduceOutputs(split, communicator: communicator, into: outputs)
        } else {
            communicator.allreduceSum(sums.storage)
            sums.values(into: outputs)
        }
        now = MonotonicClock.seconds()
        timings.allreduce += now - start
    }

    private func forwardTrainIfNeeded() {
        if trainOutputsStep == step { return }
        forward(.train, sums: trainSums, outputs: trainOutputs)
        trainOutputsStep = step
    }

    /// One step from theta^(step) to theta^(step+1); returns the metrics of theta^(step) when asked.
    public func advance(recordMetrics: Bool) -> [Double]? {
        forwardTrainIfNeeded()
        let row = recordMetrics ? metrics() : nil
        let start = MonotonicClock.seconds()
        shard.loss.outputGradients(outputs: UnsafeBufferPointer(trainOutputs), targets: trainTargets, into: outputGradients)
        dynamics.apply(to: shard, outputGradients: UnsafeBufferPointer(outputGradients), step: step)
        step += 1
        timings.backward += MonotonicClock.seconds() - start
        return row
    }

    /// The mean training loss at the current parameters (from the all-reduced outputs, so equal on every rank).
    public func trainLoss() -> Double {
        forwardTrainIfNeeded()
        return shard.loss.value(outputs: UnsafeBufferPointer(trainOutputs), targets: trainTargets)
    }

    /// The metrics of the current parameters, in the order of the model's `metrics`.
    public func metrics() -> [Double] {
        forwardTrainIfNeeded()
        forward(.test, sums: testSums, outputs: testOutputs)
        let start = MonotonicClock.seconds()
        shard.willRecordMetrics(step: step)
        let row = shard.metrics(trainOutputs: UnsafeBufferPointer(trainOutputs), testOutputs: UnsafeBufferPointer(testOutputs),
                                sumOverRanks: { [communicator] in communicator.allreduceSum($0.storage) })
        timings.metrics += MonotonicClock.seconds() - start
        return row
    }

    /// Whether every training output is a finite number (every rank holds the same outputs, so all agree).
    public var outputsAreFinite: Bool {
        trainOutputs.allSatisfy { $0.isFinite }
    }

    /// This rank's parameters in the canonical local layout.
    public func canonicalParameters() -> [Scalar] {
        ShardLayout.canonical(UnsafeBufferPointer(shard.parameters), segments: shard.storageSegments)
    }

    /// This rank's Adam moments in the canonical local layout (empty without state).
    public func canonicalOptimizerState() -> (first: [Double], second: [Double]) {
        guard dynamics.hasState else { return ([], []) }
        return (ShardLayout.canonical(UnsafeBufferPointer(dynamics.firstMoment), segments: shard.storageSegments),
                ShardLayout.canonical(UnsafeBufferPointer(dynamics.secondMoment), segments: shard.storageSegments))
    }

    /// Gathers every parameter array whole to rank 0 (nil elsewhere), in the order of the model's arrays.
    public func gatherParameters() -> [[Scalar]]? {
        gatherArrays(canonicalParameters())
    }

    /// Gathers the Adam moments like the parameters (nil elsewhere, and nil when there is no state).
    public func gatherOptimizerState() -> (first: [[Double]], second: [[Double]])? {
        guard dynamics.hasState else { return nil }
        let (first, second) = canonicalOptimizerState()
        let a = gatherArrays(first), b = gatherArrays(second)
        guard let a, let b else { return nil }
        return (a, b)
    }

    private func gatherArrays<Element: BinaryFloatingPoint>(_ local: [Element]) -> [[Element]]? {
        var result: [[Element]] = []
        for (k, array) in layout.arrays.enumerated() {
            let slice = Array(local[layout.localOffsets[k] ..< layout.localOffsets[k] + layout.localCounts[k]])
            if !array.sharded {
                result.append(slice)
                continue
            }
            let counts = (0..<communicator.size).map { layout.count(ofArray: k, onRank: $0) }
            if communicator.rank == 0 {
                var all = [Element](repeating: 0, count: array.count)
                slice.withUnsafeBufferPointer { source in
                    all.withUnsafeMutableBufferPointer { gather(source, counts: counts, into: $0) }
                }
                result.append(all)
            } else {
                slice.withUnsafeBufferPointer { gather($0, counts: counts, into: nil) }
            }
        }
        return communicator.rank == 0 ? result : nil
    }

    private func gather<Element: BinaryFloatingPoint>(_ local: UnsafeBufferPointer<Element>, counts: [Int],
                                                     into: UnsafeMutableBufferPointer<Element>?) {
        if Element.self == Double.self {
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

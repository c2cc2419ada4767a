import GrokSimCore

/// One rank's hidden neurons of f(x) = W2 ReLU(W1 x + b1) on one-hot pairs: their rows of W1, b1 and W2
/// (stored as W2's transpose, a row per neuron), and their activations on every pair.
///
/// The hidden width is cut into global tiles of a size the config alone fixes; each tile's partial logits come
/// from a GEMM of the same shape on the same data whatever the split, and the tiles' partials are combined by
/// `FixedGridSum`, so the logits do not depend on the rank count (`reduction = "exact"`). With
/// `reduction = "fast"` the rank's tiles are one GEMM and the logits one floating-point all-reduce.
final class ModularMLPShard<Scalar: BLASScalar>: ModelShard {
    typealias Keys = ModularMLPModel.Keys

    let data: ModularData
    let p: Int
    /// The rank's neurons (global indices) and the tile size.
    let neurons: Range<Int>
    let tile: Int
    let exact: Bool
    let learningRate: Double
    /// W1 rows (local h x 2p), then b1 (local h), then W2 rows (local h x p): the canonical layout.
    let parameters: UnsafeMutableBufferPointer<Scalar>
    let loss: Loss
    var outputsPerSample: Int { p }
    var reducesOwnOutputs: Bool { true }

    private let trainTargets: [Double], testTargets: [Double]
    /// ReLU activations, transposed (local h x n), of the latest forward pass on each split.
    private let trainActivations: UnsafeMutableBufferPointer<Scalar>
    private let testActivations: UnsafeMutableBufferPointer<Scalar>
    /// One n x p block of partial logits per local tile (one block in fast mode).
    private let partials: UnsafeMutableBufferPointer<Scalar>
    private let gridSums: FixedGridSum?
    private let testGridSums: FixedGridSum?
    private var gridExponent: Int? = nil
    /// dL/df in the scalar type (n x p), and dL/dA transposed (local h x n).
    private let logitGradients: UnsafeMutableBufferPointer<Scalar>
    private let activationGradients: UnsafeMutableBufferPointer<Scalar>
    private let sums: ExactAccumulator
    private let spectrum: FourierSpectrum
    private var step = 0

    private var localWidth: Int { neurons.count }
    private var firstLayerCount: Int { neurons.count * 2 * p }
    private var secondLayerOffset: Int { firstLayerCount + neurons.count }
    /// Local tiles as (offset within the rank's neurons, width); the last global tile may be short.
    private let tiles: [(offset: Int, width: Int)]

    init(config: ExperimentConfig, partition: WidthPartition, part: Int, tile: Int, globalTiles: Int) {
        p = config.integer(Keys.p)
        let h = config.integer(Keys.hidden), seed = config.seed
        let operation = ModularData.Operation(rawValue: config.string(Keys.operation))!
        data = ModularData(modulus: p, operation: operation, fraction: config.number(Keys.trainFraction), seed: seed)
        let neurons = partition.range(of: part)
        self.neurons = neurons
        self.tile = tile
        exact = config.string(Keys.reduction) == "exact"
        learningRate = config.number(Keys.learningRate)
        loss = .crossEntropy(classes: p)
        trainTargets = data.trainLabels.map(Double.init)
        testTargets = data.testLabels.map(Double.init)
        precondition(!exact || neurons.lowerBound % tile == 0, "a tile must not be split between ranks")
        tiles = stride(from: 0, to: neurons.count, by: tile).map { ($0, min(tile, neurons.count - $0)) }

        let hl = neurons.count, nTrain = data.trainLabels.count, nTest = data.testLabels.count
        parameters = .allocate(capacity: hl * (3 * p + 1))
        parameters.initialize(repeating: 0)
        // Kaiming-normal (fan-in): gain sqrt 2 before the ReLU, 1 on the output layer; every weight times init_scale.
        let scale = config.number(Keys.initScale)
        let first = RandomStream(seed: seed, stream: ModularData.firstLayerStream)
        let second = RandomStream(seed: seed, stream: ModularData.secondLayerStream)
        let firstStd = scale * (2.0 / Double(2 * p)).squareRoot(), secondStd = scale * (1.0 / Double(h)).squareRoot()
        let zeroLast = config.boolean(Keys.lastLayerZeroInit)
        for (r, k) in neurons.enumerated() {
            for j in 0..<(2 * p) { parameters[r * 2 * p + j] = Scalar(firstStd * first.normal(UInt64(k * 2 * p + j))) }
            if !zeroLast {
                // W2 is p x h in the paper; its element (c, k) is drawn at index c h + k whatever the layout.
                for c in 0..<p { parameters[hl * (2 * p + 1) + r * p + c] = Scalar(secondStd * second.normal(UInt64(c * h + k))) }
            }
        }
        trainActivations = .allocate(capacity: max(1, hl * nTrain))
        trainActivations.initialize(repeating: 0)
        testActivations = .allocate(capacity: max(1, hl * nTest))
        testActivations.initialize(repeating: 0)
        let rows = max(nTrain, nTest)
        partials = .allocate(capacity: max(1, (exact ? tiles.count : 1) * rows * p))
        partials.initialize(repeating: 0)
        gridSums = exact ? FixedGridSum(count: nTrain * p, terms: globalTiles) : nil
        testGridSums = exact ? FixedGridSum(count: max(1, nTest * p), terms: globalTiles) : nil
        logitGradients = .allocate(capacity: nTrain * p)
        logitGradients.initialize(repeating: 0)
        activationGradients = .allocate(capacity: max(1, hl * nTrain))
        activationGradients.initialize(repeating: 0)
        spectrum = FourierSpectrum(modulus: p)
        sums = ExactAccumulator(count: 5 + 2 * spectrum.frequencyCount)
    }

    deinit {
        parameters.deallocate()
        trainActivations.deallocate()
        testActivations.deallocate()
        partials.deallocate()
        logitGradients.deallocate()
        activationGradients.deallocate()
    }

    func targets(_ split: DataSplit) -> [Double] { split == .train ? trainTargets : testTargets }
    func outputCount(_ split: DataSplit) -> Int { (split == .train ? trainTargets.count : testTargets.count) * p }

    func accumulatePartialOutputs(_ split: DataSplit, into accumulator: ExactAccumulator) {
        preconditionFailure("the modular MLP reduces its own outputs")
    }

    private func samples(_ split: DataSplit) -> (a: [Int32], b: [Int32]) {
        split == .train ? (data.trainA, data.trainB) : (data.testA, data.testB)
    }

    /// Hidden activations A^T = ReLU(W1 x + b1)^T: two gathered columns of W1 per pair, never a product with one-hot vectors.
    @_specialize(where Scalar == Double)
    @_specialize(where Scalar == Float)
    private func computeActivations(_ split: DataSplit) -> UnsafeMutableBufferPointer<Scalar> {
        let (a, b) = samples(split)
        let n = a.count, activations = split == .train ? trainActivations : testActivations
        let w = parameters.baseAddress!
        for r in 0..<localWidth {
            let row = w + r * 2 * p, bias = parameters[firstLayerCount + r], out = activations.baseAddress! + r * n
            for i in 0..<n {
                let z = row[Int(a[i])] + row[p + Int(b[i])] + bias
                out[i] = z > 0 ? z : 0
            }
        }
        return activations
    }

    @_specialize(where Scalar == Double)
    @_specialize(where Scalar == Float)
    func prepareOutputs(_ split: DataSplit) {
        let activations = computeActivations(split)
        let n = samples(split).a.count
        guard n > 0 else { return }
        let w2 = parameters.baseAddress! + secondLayerOffset
        if !exact {
            Scalar.gemm(transposeA: true, transposeB: false, rows: n, columns: p, inner: localWidth, alpha: 1,
                        a: activations.baseAddress!, lda: n, b: w2, ldb: p, beta: 0, c: partials.baseAddress!, ldc: p)
            return
        }
        let sum = split == .train ? gridSums! : testGridSums!
        sum.reset()
        for (t, block) in tiles.enumerated() {
            let out = partials.baseAddress! + t * n * p
            Scalar.gemm(transposeA: true, transposeB: false, rows: n, columns: p, inner: block.width, alpha: 1,
                        a: activations.baseAddress! + block.offset * n, lda: n, b: w2 + block.offset * p, ldb: p,
                        beta: 0, c: out, ldc: p)
            sum.observe(bound: bound(block, activations: activations, samples: n))
        }
    }

    /// A bound on the tile's partial logits from its own inputs: max_i sum_(k in tile) A_ik times max |W2| on the tile
    /// (A >= 0), in O(n tile + tile p) instead of a pass over the n p partials.
    @_specialize(where Scalar == Double)
    @_specialize(where Scalar == Float)
    private func bound(_ block: (offset: Int, width: Int), activations: UnsafeMutableBufferPointer<Scalar>, samples n: Int) -> Double {
        var rowSums = [Double](repeating: 0, count: n)
        var weight = 0.0
        for r in block.offset ..< block.offset + block.width {
            let row = activations.baseAddress! + r * n
            for i in 0..<n { rowSums[i] += Double(row[i]) }
            for c in 0..<p { weight = max(weight, Double(abs(parameters[secondLayerOffset + r * p + c]))) }
        }
        // A non-finite entry makes the bound non-finite (NaN compares false, so it is checked on its own).
        if rowSums.contains(where: { !$0.isFinite }) || !weight.isFinite { return .infinity }
        return (rowSums.max() ?? 0) * weight * (1 + 0x1p-40)
    }

    /// The grid sum's non-generic kernel for this scalar type (a generic loop would go through witness tables).
    private func add(_ sum: FixedGridSum, _ block: UnsafeBufferPointer<Scalar>, gridExponent s: Int) {
        let raw = UnsafeRawBufferPointer(block)
        if Scalar.self == Double.self {
            sum.add(raw.assumingMemoryBound(to: Double.self), gridExponent: s)
        } else {
            sum.add(raw.assumingMemoryBound(to: Float.self), gridExponent: s)
        }
    }

    @_specialize(where Scalar == Double)
    @_specialize(where Scalar == Float)
    func reduceOutputs(_ split: DataSplit, communicator: Communicator, into outputs: UnsafeMutableBufferPointer<Double>) {
        let n = samples(split).a.count
        guard n > 0 else { return }
        if !exact {
            for j in 0..<(n * p) { outputs[j] = Double(partials[j]) }
            communicator.allreduceSum(UnsafeMutableBufferPointer(rebasing: outputs[0..<(n * p)]))
            return
        }
        let sum = split == .train ? gridSums! : testGridSums!
        let s = sum.agreeOnGrid(communicator)
        if let s {
            for t in 0..<tiles.count {
                add(sum, UnsafeBufferPointer(start: partials.baseAddress! + t * n * p, count: n * p), gridExponent: s)
            }
        }
        sum.reduce(communicator, gridExponent: s, into: outputs)
    }

    /// Backpropagation through the tiles: dW2 = A^T G and dA^T = W2 G^T by one same-shape GEMM per tile,
    /// then the ReLU mask and a scatter of dZ onto the two gathered columns of W1 (in sample order) and onto b1.
    @_specialize(where Scalar == Double)
    @_specialize(where Scalar == Float)
    func computeGradient(outputGradients: UnsafeBufferPointer<Double>, into gradient: UnsafeMutableBufferPointer<Scalar>) {
        let (a, b) = samples(.train)
        let n = a.count
        for j in 0..<(n * p) { logitGradients[j] = Scalar(outputGradients[j]) }
        let w2 = parameters.baseAddress! + secondLayerOffset, g2 = gradient.baseAddress! + secondLayerOffset
        let activations = trainActivations.baseAddress!, dA = activationGradients.baseAddress!
        let blocks = exact ? tiles : [(offset: 0, width: localWidth)]
        for block in blocks {
            Scalar.gemm(transposeA: false, transposeB: false, rows: block.width, columns: p, inner: n, alpha: 1,
                        a: activations + block.offset * n, lda: n, b: logitGradients.baseAddress!, ldb: p,
                        beta: 0, c: g2 + block.offset * p, ldc: p)
            Scalar.gemm(transposeA: false, transposeB: true, rows: block.width, columns: n, inner: p, alpha: 1,
                        a: w2 + block.offset * p, lda: p, b: logitGradients.baseAddress!, ldb: p,
                        beta: 0, c: dA + block.offset * n, ldc: n)
        }
        for r in 0..<localWidth {
            let row = gradient.baseAddress! + r * 2 * p
            row.update(repeating: 0, count: 2 * p)
            var biasGradient: Scalar = 0
            // A select instead of a branch: about half the neurons are active, so a branch would mispredict often.
            for i in 0..<n {
                let dz = activations[r * n + i] > 0 ? dA[r * n + i] : 0
                row[Int(a[i])] += dz
                row[p + Int(b[i])] += dz
                biasGradient += dz
            }
            gradient[firstLayerCount + r] = biasGradient
        }
    }

    /// Seconds of the step's three products done as one plain GEMM each over the rank's whole width (logits A W2,
    /// dW2 = A^T G, dA^T = W2 G^T) on this shard's buffers, one entry per repetition: the speed limit of a step.
    func bareProductSeconds(repetitions: Int) -> [Double] {
        let n = data.trainLabels.count, hl = localWidth
        let scratch = UnsafeMutableBufferPointer<Scalar>.allocate(capacity: max(1, hl * p))
        scratch.initialize(repeating: 0)
        defer { scratch.deallocate() }
        let activations = trainActivations.baseAddress!, w2 = parameters.baseAddress! + secondLayerOffset
        return (0..<repetitions).map { _ in
            let start = MonotonicClock.seconds()
            Scalar.gemm(transposeA: true, transposeB: false, rows: n, columns: p, inner: hl, alpha: 1,
                        a: activations, lda: n, b: w2, ldb: p, beta: 0, c: partials.baseAddress!, ldc: p)
            Scalar.gemm(transposeA: false, transposeB: false, rows: hl, columns: p, inner: n, alpha: 1,
                        a: activations, lda: n, b: logitGradients.baseAddress!, ldb: p, beta: 0, c: scratch.baseAddress!, ldc: p)
            Scalar.gemm(transposeA: false, transposeB: true, rows: hl, columns: n, inner: p, alpha: 1,
                        a: w2, lda: p, b: logitGradients.baseAddress!, ldb: p, beta: 0, c: activationGradients.baseAddress!, ldc: n)
            return MonotonicClock.seconds() - start
        }
    }

    func willRecordMetrics(step: Int) {
        self.step = step
    }

    @_specialize(where Scalar == Double)
    @_specialize(where Scalar == Float)
    func metrics(trainOutputs: UnsafeBufferPointer<Double>, testOutputs: UnsafeBufferPointer<Double>,
                 sumOverRanks: (ExactAccumulator) -> Void) -> [Double] {
        sums.reset()
        let hl = localWidth, frequencies = spectrum.frequencyCount
        // Each neuron's sums are computed alone and enter the exact accumulator on their own, so no total depends on the split.
        for r in 0..<hl {
            var squares = [0.0, 0.0, 0.0]
            for j in 0..<(2 * p) { squares[0] += Double(parameters[r * 2 * p + j]) * Double(parameters[r * 2 * p + j]) }
            squares[1] = Double(parameters[firstLayerCount + r]) * Double(parameters[firstLayerCount + r])
            for c in 0..<p { squares[2] += Double(parameters[secondLayerOffset + r * p + c]) * Double(parameters[secondLayerOffset + r * p + c]) }
            for q in 0..<3 { sums.add(squares[q], to: q) }
            var powerA = [Double](repeating: 0, count: frequencies), powerB = powerA
            spectrum.addPower(of: { Double(self.parameters[r * 2 * self.p + $0]) }, into: &powerA)
            spectrum.addPower(of: { Double(self.parameters[r * 2 * self.p + self.p + $0]) }, into: &powerB)
            for k in 0..<frequencies {
                sums.add(powerA[k], to: 5 + k)
                sums.add(powerB[k], to: 5 + frequencies + k)
            }
            // The neuron's own concentration, weighted by its power.
            let neuron = zip(powerA, powerB).map(+), neuronPower = neuron.reduce(0, +)
            sums.add(neuronPower * Double(FourierSpectrum.count(of: neuron, carrying: ModularMLPModel.powerShare)), to: 3)
            sums.add(neuronPower, to: 4)
        }
        sumOverRanks(sums)
        let power = (0..<frequencies).map { sums.value(5 + $0) + sums.value(5 + frequencies + $0) }
        let perNeuron = sums.value(4) > 0 ? sums.value(3) / sums.value(4) : .nan
        let w1 = sums.value(0), b1 = sums.value(1), w2 = sums.value(2)
        return [loss.value(outputs: trainOutputs, targets: trainTargets), Self.accuracy(trainOutputs, trainTargets, p),
                loss.value(outputs: testOutputs, targets: testTargets), Self.accuracy(testOutputs, testTargets, p),
                Self.margin(trainOutputs, trainTargets, p), w1.squareRoot(), b1.squareRoot(), w2.squareRoot(),
                (w1 + b1 + w2).squareRoot(), Double(step) * learningRate,
                Double(FourierSpectrum.count(of: power, carrying: ModularMLPModel.powerShare)), perNeuron]
    }

    /// Share of samples whose correct logit is strictly larger than every other (a tie counts as wrong).
    static func accuracy(_ outputs: UnsafeBufferPointer<Double>, _ labels: [Double], _ p: Int) -> Double {
        guard !labels.isEmpty else { return .nan }
        var correct = 0
        for (i, label) in labels.enumerated() where gap(outputs, i, Int(label), p) > 0 { correct += 1 }
        return Double(correct) / Double(labels.count)
    }

    /// min_i (correct logit - largest other logit).
    static func margin(_ outputs: UnsafeBufferPointer<Double>, _ labels: [Double], _ p: Int) -> Double {
        var smallest = Double.infinity
        for (i, label) in labels.enumerated() { smallest = min(smallest, gap(outputs, i, Int(label), p)) }
        return smallest
    }

    private static func gap(_ outputs: UnsafeBufferPointer<Double>, _ i: Int, _ label: Int, _ p: Int) -> Double {
        var other = -Double.infinity
        for c in 0..<p where c != label { other = max(other, outputs[i * p + c]) }
        return outputs[i * p + label] - other
    }

    func dataArrays() -> [NamedArray] {
        func pairs(_ a: [Int32], _ b: [Int32], _ c: [Int32]) -> [Double] {
            (0..<a.count).flatMap { [Double(a[$0]), Double(b[$0]), Double(c[$0])] }
        }
        return [NamedArray("train_pairs", shape: [data.trainA.count, 3], values: .float64(pairs(data.trainA, data.trainB, data.trainLabels)),
                           "training pairs: columns a, b and the label a op b mod p"),
                NamedArray("test_pairs", shape: [data.testA.count, 3], values: .float64(pairs(data.testA, data.testB, data.testLabels)),
                           "test pairs: columns a, b and the label a op b mod p")]
    }
}

import Foundation
import GrokSimCore

/// f(x; W) = sum_j a_j ReLU(<w_j, x>) with fixed a_j, its m neurons sharded over ranks (the flagship model).
///
/// Layouts are chosen so both training products run as single GEMMs on contiguous buffers: data X is
/// n × k row-major, the first k columns of the local weights are a contiguous m_r × k block, and the
/// activations Z = X W_r^T (n × m_r) are overwritten in place by the per-neuron gradient coefficients, so
/// a step allocates nothing.
///
/// The GEMMs run on whole tiles of `XORReLUModel.gemmTile` neurons aligned to global neuron indices: a rank's
/// rows are padded with zero rows up to the tiles that hold its neurons. OpenBLAS computes a row differently
/// when it falls in the tail of a call (seen with its Prescott, Haswell and SkylakeX kernels), so without the
/// padding a neuron's pre-activations and update would depend on how many neurons its rank holds; with it,
/// every real row sits at the same position of a full tile whatever the rank count.
///
/// In the explicit representation k = d = p. In the reduced one d = min(p, 2 + n + m) and k = min(p, 2 + n):
/// the training points are zero beyond coordinate k, so the last d - k columns of W (stored as their own
/// m_r × (d - k) block) change only by weight decay and matter only for test points. A reduced step then
/// costs what an explicit step with p = k costs.
public final class TwoLayerReLUNetwork<Scalar: BLASScalar>: ModelShard {
    public let partition: WidthPartition
    public let part: Int
    /// The neurons this rank owns.
    public let neurons: Range<Int>
    public let train: XORClusterData<Scalar>
    public let test: XORClusterData<Scalar>
    /// All m second-layer weights a_j (every rank holds them: metrics need their signs).
    public let secondLayer: [Double]
    /// Local weights on the padded rows: columns 0..<k of every row (w × k, row-major, w = `gemmWidth`), then
    /// columns k..<d (w × (d - k)); the padding rows are zero and stay zero.
    private let storage: UnsafeMutableBufferPointer<Scalar>
    /// The first k columns of the padded local weights, w × k row-major: all the training products touch.
    public let trainingBlock: UnsafeMutableBufferPointer<Scalar>
    /// Columns k..<d of the padded local weights, w × (d - k) row-major (empty in the explicit representation).
    public let remainderBlock: UnsafeMutableBufferPointer<Scalar>
    /// Rows of the GEMMs: the whole tiles that hold this rank's neurons.
    public let gemmWidth: Int
    /// Padded row of the first neuron this rank owns.
    public let rowOffset: Int
    public let config: XORReLUSettings

    private let localSecondLayer: [Double]
    private let trainActivations: UnsafeMutableBufferPointer<Scalar>
    private let testActivations: UnsafeMutableBufferPointer<Scalar>
    private let weightSums = ExactAccumulator(count: WeightStatistic.allCases.count)

    /// Length of each weight row (d).
    public let dimension: Int
    /// Leading columns of W that the training data touch (k).
    public var trainDimension: Int { train.dimension }
    public var localWidth: Int { neurons.count }

    public init(config: XORReLUSettings, partition: WidthPartition, part: Int,
                train: XORClusterData<Scalar>, test: XORClusterData<Scalar>) {
        self.partition = partition
        self.part = part
        self.neurons = partition.range(of: part)
        self.train = train
        self.test = test
        self.config = config
        secondLayer = Self.drawSecondLayer(config: config)
        let tile = XORReLUModel.gemmTile
        let paddedStart = neurons.lowerBound / tile * tile
        gemmWidth = (neurons.upperBound + tile - 1) / tile * tile - paddedStart
        rowOffset = neurons.lowerBound - paddedStart
        var padded = [Double](repeating: 0, count: gemmWidth)
        for (r, j) in neurons.enumerated() { padded[rowOffset + r] = secondLayer[j] }
        localSecondLayer = padded
        let d = config.weightDimension
        dimension = d
        precondition(test.dimension == d && train.dimension <= d)
        let k = train.dimension, width = gemmWidth
        storage = .allocate(capacity: max(1, width * d))
        storage.initialize(repeating: 0)
        trainingBlock = UnsafeMutableBufferPointer(rebasing: storage[0 ..< width * k])
        remainderBlock = UnsafeMutableBufferPointer(rebasing: storage[width * k ..< width * d])
        trainActivations = .allocate(capacity: max(1, train.count * width))
        testActivations = .allocate(capacity: max(1, test.count * width))
        let initial = RandomStream(seed: config.seed, stream: XORStreams.initialWeights)
        let row = UnsafeMutableBufferPointer<Double>.allocate(capacity: d)
        defer { row.deallocate() }
        for (r, j) in neurons.enumerated() {
            initial.fillNormals(row, start: UInt64(j) * UInt64(d), scale: config.omega)
            if config.resolvedRepresentation == .exactReduced {
                BartlettLayout.triangularize(row, newCoordinate: 2 + config.n + j, ambientDimension: config.p, scale: config.omega,
                                             chiIndex: BartlettLayout.weightChiIndex(neuron: j, trainCount: config.n), seed: config.seed)
            }
            for c in 0..<d { storage[storageIndex(row: r, column: c)] = Scalar(row[c]) }
        }
    }

    deinit {
        storage.deallocate()
        trainActivations.deallocate()
        testActivations.deallocate()
    }

    /// The local weights as m_r rows of length d, in neuron order.
    public var weights: [Scalar] {
        [Scalar](unsafeUninitializedCapacity: max(1, localWidth * dimension)) { buffer, count in
            copyWeights(into: buffer)
            count = localWidth * dimension
        }
    }

    /// Where column c of local row r lives in `storage`: the training block, then the remainder block.
    private func storageIndex(row r: Int, column c: Int) -> Int {
        let k = trainDimension
        let row = rowOffset + r
        return c < k ? row * k + c : gemmWidth * k + row * (dimension - k) + c - k
    }

    /// Writes the local weights as m_r row-major rows of length d into `rows`.
    public func copyWeights(into rows: UnsafeMutableBufferPointer<Scalar>) {
        let d = dimension
        for r in 0..<localWidth {
            for c in 0..<d { rows[r * d + c] = storage[storageIndex(row: r, column: c)] }
        }
    }

    /// Replaces the local weights by m_r row-major rows of length d.
    public func setWeights(_ rows: UnsafeBufferPointer<Scalar>) {
        precondition(rows.count == localWidth * dimension)
        let d = dimension
        for r in 0..<localWidth {
            for c in 0..<d { storage[storageIndex(row: r, column: c)] = rows[r * d + c] }
        }
    }

    /// Calls `body` with the local weights as m_r row-major rows of length d: the storage itself when
    /// it already is that (explicit: no remainder block), else a packed copy (small: d = 2 + n + m).
    public func withRowMajorWeights<Result>(_ body: (UnsafeBufferPointer<Scalar>) throws -> Result) rethrows -> Result {
        if storageSegments == nil { return try body(UnsafeBufferPointer(trainingBlock)) }
        return try weights.withUnsafeBufferPointer(body)
    }

    /// The m signs a_j * sqrt(m), scaled: i.i.d. or balanced as the config says; identical on every rank.
    public static func drawSecondLayer(config: XORReLUSettings) -> [Double] {
        let stream = RandomStream(seed: config.seed, stream: XORStreams.secondLayer)
        let scale = 1 / Double(config.m).squareRoot()
        switch config.secondLayer {
        case .iid:
            return (0..<config.m).map { stream.bits(UInt64($0)).0 & 1 == 0 ? scale : -scale }
        case .balanced:
            // A random order of the neurons; the first half of it gets the positive sign.
            let keys = (0..<config.m).map { j -> UInt64 in
                let b = stream.bits(UInt64(j))
                return UInt64(b.0) << 32 | UInt64(b.1)
            }
            let order = (0..<config.m).sorted { (keys[$0], $0) < (keys[$1], $1) }
            var result = [Double](repeating: -scale, count: config.m)
            for j in order.prefix((config.m + 1) / 2) { result[j] = scale }
            return result
        }
    }

    public func outputCount(_ split: DataSplit) -> Int {
        split == .train ? train.count : test.count
    }

    @_specialize(where Scalar == Double)
    @_specialize(where Scalar == Float)
    public func accumulatePartialOutputs(_ split: DataSplit, into accumulator: ExactAccumulator) {
        let data = split == .train ? train : test
        let z = split == .train ? trainActivations : testActivations
        let width = gemmWidth, k = trainDimension, d = dimension, rowLength = data.dimension
        Scalar.gemm(transposeA: false, transposeB: true, rows: data.count, columns: width, inner: k, alpha: 1,
                    a: data.x.baseAddress!, lda: rowLength, b: trainingBlock.baseAddress!, ldb: k, beta: 0,
                    c: z.baseAddress!, ldc: width)
        if rowLength > k && width > 0 {
            // Test points also see the columns beyond k.
            Scalar.gemm(transposeA: false, transposeB: true, rows: data.count, columns: width, inner: d - k, alpha: 1,
                        a: data.x.baseAddress! + k, lda: rowLength, b: remainderBlock.baseAddress!, ldb: d - k, beta: 1,
                        c: z.baseAddress!, ldc: width)
        }
        localSecondLayer.withUnsafeBufferPointer { a in
            for i in 0..<data.count {
                let row = i * width
                for r in rowOffset ..< rowOffset + localWidth {
                    let value = z[row + r]
                    // Double(a) * Double(value) is exact for float32; for float64 it is the same rounding on every rank.
                    if value > 0 { accumulator.add(a[r] * Double(value), to: i) }
                }
            }
        }
    }

    public var parameters: UnsafeMutableBufferPointer<Scalar> { storage }

    /// Nil when the storage is exactly the rank's rows (explicit, no padding); else the real rows: one run in the
    /// explicit representation, each row's training-block part and remainder part in the reduced one.
    public var storageSegments: [StorageSegment]? {
        let k = trainDimension, rest = dimension - k
        if remainderBlock.isEmpty {
            if rowOffset == 0 && gemmWidth == localWidth { return nil }
            return [StorageSegment(storageOffset: rowOffset * k, canonicalOffset: 0, count: localWidth * k)]
        }
        return (0..<localWidth).flatMap { r in
            [StorageSegment(storageOffset: (rowOffset + r) * k, canonicalOffset: r * dimension, count: k),
             StorageSegment(storageOffset: gemmWidth * k + (rowOffset + r) * rest, canonicalOffset: r * dimension + k, count: rest)]
        }
    }

    public var loss: Loss { .logistic }

    public func targets(_ split: DataSplit) -> [Double] {
        split == .train ? train.labels : test.labels
    }

    /// Overwrites Z (the training activations) with G[i, r] = coefficient_i a_r 1[z_ir > 0].
    private func activationsToCoefficients(_ coefficient: (Int) -> Double) {
        let width = gemmWidth, n = train.count
        let z = trainActivations
        localSecondLayer.withUnsafeBufferPointer { a in
            for i in 0..<n {
                let c = coefficient(i)
                let row = i * width
                for r in 0..<width {
                    z[row + r] = z[row + r] > 0 ? Scalar(c * a[r]) : 0
                }
            }
        }
    }

    @_specialize(where Scalar == Double)
    @_specialize(where Scalar == Float)
    public func fusedGradientStep(outputGradients: UnsafeBufferPointer<Double>, learningRate: Double, weightDecay: Double) -> Bool {
        let width = gemmWidth, k = trainDimension, n = train.count
        // Z becomes G with G[i, r] = -alpha dL/df_i a_r 1[z_ir > 0]; then W <- (1 - alpha lambda) W + G^T X
        // on the k columns the data touch, and the others decay alone.
        activationsToCoefficients { -learningRate * outputGradients[$0] }
        let decay = Scalar(1 - learningRate * weightDecay)
        Scalar.gemm(transposeA: true, transposeB: false, rows: width, columns: k, inner: n, alpha: 1,
                    a: trainActivations.baseAddress!, lda: width, b: train.x.baseAddress!, ldb: k,
                    beta: decay, c: trainingBlock.baseAddress!, ldc: k)
        if decay != 1 {
            for c in remainderBlock.indices { remainderBlock[c] *= decay }
        }
        return true
    }

    @_specialize(where Scalar == Double)
    @_specialize(where Scalar == Float)
    public func computeGradient(outputGradients: UnsafeBufferPointer<Double>, into gradient: UnsafeMutableBufferPointer<Scalar>) {
        let width = gemmWidth, k = trainDimension, n = train.count
        activationsToCoefficients { outputGradients[$0] }
        // dL/dW = G^T X on the training block; the remainder columns have no gradient.
        Scalar.gemm(transposeA: true, transposeB: false, rows: width, columns: k, inner: n, alpha: 1,
                    a: trainActivations.baseAddress!, lda: width, b: train.x.baseAddress!, ldb: k,
                    beta: 0, c: gradient.baseAddress!, ldc: k)
        for c in (width * k)..<gradient.count { gradient[c] = 0 }
    }

    @_specialize(where Scalar == Double)
    @_specialize(where Scalar == Float)
    public func metrics(trainOutputs: UnsafeBufferPointer<Double>, testOutputs: UnsafeBufferPointer<Double>,
                        sumOverRanks: (ExactAccumulator) -> Void) -> [Double] {
        weightSums.reset()
        accumulateWeightStatistics(into: weightSums)
        sumOverRanks(weightSums)
        var trainLoss = 0.0
        var correct = 0, correctFlipped = 0, flippedCount = 0
        var minWeight = Double.infinity, maxWeight = 0.0
        // log g_i = -log(1 + e^(y_i f_i)), for the ratio when the weights underflow (huge alpha).
        var minLogWeight = Double.infinity, maxLogWeight = -Double.infinity
        for i in 0..<train.count {
            let margin = train.labels[i] * trainOutputs[i]
            trainLoss += LogisticLoss.value(margin: margin)
            let g = LogisticLoss.pointWeight(margin: margin)
            minWeight = min(minWeight, g)
            maxWeight = max(maxWeight, g)
            let logG = -LogisticLoss.value(margin: -margin)
            minLogWeight = min(minLogWeight, logG)
            maxLogWeight = max(maxLogWeight, logG)
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
        let positive = secondLayer.filter { $0 > 0 }.count
        let negative = config.m - positive
        func statistic(_ s: WeightStatistic, over count: Int) -> Double {
            count == 0 ? .nan : weightSums.value(s.rawValue) / Double(count)
        }
        return [
            trainLoss / Double(train.count),
            ratio(correct, train.count),
            ratio(correctFlipped, flippedCount),
            ratio(correct - correctFlipped, train.count - flippedCount),
            testLoss / Double(test.count),
            ratio(testCorrect, test.count),
            ratio(clusterCorrect[0], clusterCount[0]), ratio(clusterCorrect[1], clusterCount[1]),
            ratio(clusterCorrect[2], clusterCount[2]), ratio(clusterCorrect[3], clusterCount[3]),
            // A squared norm beyond the exact sums' window (about 1e160) is reported as infinite, not NaN.
            weightSums.value(WeightStatistic.squaredNorm.rawValue).isNaN ? .infinity
                : weightSums.value(WeightStatistic.squaredNorm.rawValue).squareRoot(),
            statistic(.projMu1Positive, over: positive), statistic(.projMu2Positive, over: positive),
            statistic(.projMu1Negative, over: negative), statistic(.projMu2Negative, over: negative),
            statistic(.absProjMu1Positive, over: positive), statistic(.absProjMu2Positive, over: positive),
            statistic(.absProjMu1Negative, over: negative), statistic(.absProjMu2Negative, over: negative),
            minWeight > 0 ? maxWeight / minWeight : Foundation.exp(maxLogWeight - minLogWeight),
        ]
    }

    /// The sampled data, the means and the flips, padded so X @ W.T works directly in h5py.
    public func dataArrays() -> [NamedArray] {
        let width = test.dimension
        let note = config.resolvedRepresentation.rowsNote
        func points(_ data: XORClusterData<Scalar>) -> NamedArray.Values {
            var padded = [Scalar](repeating: 0, count: data.count * width)
            for i in 0..<data.count {
                for c in 0..<data.dimension { padded[i * width + c] = data.x[i * data.dimension + c] }
            }
            return Scalar.self == Double.self ? .float64(padded.map { Double($0) }) : .float32(padded.map { Float($0) })
        }
        var arrays: [NamedArray] = []
        for (prefix, data) in [("train", train), ("test", test)] {
            arrays.append(NamedArray("\(prefix)_x", shape: [data.count, width], values: points(data), "\(prefix) inputs x_i, one row per point" + note))
            arrays.append(NamedArray("\(prefix)_y", shape: [data.count], values: .float64(data.labels),
                                     prefix == "train" ? "training labels y_i in {+1, -1}, after flipping" : "clean test labels in {+1, -1}"))
            arrays.append(NamedArray("\(prefix)_cluster", shape: [data.count], values: .int8(data.clusters.map { Int8($0) }),
                                     "cluster of each point: 0 = +mu1, 1 = -mu1, 2 = +mu2, 3 = -mu2"))
        }
        arrays.append(NamedArray("train_clean_y", shape: [train.count], values: .float64(train.cleanLabels), "training labels before flipping"))
        arrays.append(NamedArray("train_flipped", shape: [train.count], values: .int8(train.flipped.map { $0 ? 1 : 0 }),
                                 "1 where the training label was flipped"))
        var mu = [Double](repeating: 0, count: 2 * width)
        mu[0] = config.resolvedMuNorm
        mu[width + 1] = config.resolvedMuNorm
        arrays.append(NamedArray("mu", shape: [2, width], values: .float64(mu), "cluster means mu1 (row 0) and mu2 (row 1)"))
        return arrays
    }

    /// Sums over local neurons of the quantities behind the weight metrics, in the order of `WeightStatistic`.
    @_specialize(where Scalar == Double)
    @_specialize(where Scalar == Float)
    public func accumulateWeightStatistics(into accumulator: ExactAccumulator) {
        let k = trainDimension, rest = dimension - k
        for r in rowOffset ..< rowOffset + localWidth {
            let row = UnsafeBufferPointer(rebasing: trainingBlock[r * k ..< (r + 1) * k])
            let remainder = UnsafeBufferPointer(rebasing: remainderBlock[r * rest ..< (r + 1) * rest])
            accumulator.add(VectorMath.squaredNorm(row) + VectorMath.squaredNorm(remainder), to: WeightStatistic.squaredNorm.rawValue)
            // mu1 = ||mu|| e1 and mu2 = ||mu|| e2 in both representations, so <w, mu_k>/||mu|| is coordinate k - 1.
            let mu1 = Double(row[0]), mu2 = Double(row[1])
            let positive = localSecondLayer[r] > 0
            let base = positive ? WeightStatistic.projMu1Positive.rawValue : WeightStatistic.projMu1Negative.rawValue
            accumulator.add(mu1, to: base)
            accumulator.add(mu2, to: base + 1)
            accumulator.add(abs(mu1), to: base + 2)
            accumulator.add(abs(mu2), to: base + 3)
        }
    }
}

/// The sums behind the weight metrics; raw values index an `ExactAccumulator`.
public enum WeightStatistic: Int, CaseIterable {
    case squaredNorm
    case projMu1Positive, projMu2Positive, absProjMu1Positive, absProjMu2Positive
    case projMu1Negative, projMu2Negative, absProjMu1Negative, absProjMu2Negative
}

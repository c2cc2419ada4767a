/// f(x; W) = sum_j a_j ReLU(<w_j, x>) with fixed a_j, its m neurons sharded over ranks (the flagship model).
///
/// Layouts are chosen so both training products run as single GEMMs on contiguous buffers: data X is
/// n × k row-major, the first k columns of the local weights are a contiguous m_r × k block, and the
/// activations Z = X W_r^T (n × m_r) are overwritten in place by the per-neuron gradient coefficients, so
/// a step allocates nothing.
///
/// In the explicit representation k = d = p. In the reduced one d = min(p, 2 + n + m) and k = min(p, 2 + n):
/// the training points are zero beyond coordinate k, so the last d - k columns of W (stored as their own
/// m_r × (d - k) block) change only by weight decay and matter only for test points. A reduced step then
/// costs what an explicit step with p = k costs.
public final class TwoLayerReLUNetwork<Scalar: BLASScalar>: WidthShardedModel {
    public let partition: WidthPartition
    public let part: Int
    /// The neurons this rank owns.
    public let neurons: Range<Int>
    public let train: XORClusterData<Scalar>
    public let test: XORClusterData<Scalar>
    /// All m second-layer weights a_j (every rank holds them: metrics need their signs).
    public let secondLayer: [Double]
    /// Local weights, columns 0..<k of every row (m_r × k, row-major), then columns k..<d (m_r × (d - k)).
    private let storage: UnsafeMutableBufferPointer<Scalar>
    /// The first k columns of the local weights, m_r × k row-major: all the training products touch.
    public let trainingBlock: UnsafeMutableBufferPointer<Scalar>
    /// Columns k..<d of the local weights, m_r × (d - k) row-major (empty in the explicit representation).
    public let remainderBlock: UnsafeMutableBufferPointer<Scalar>
    public let stepSize: Double
    public let weightDecay: Double

    private let localSecondLayer: [Double]
    private let trainActivations: UnsafeMutableBufferPointer<Scalar>
    private let testActivations: UnsafeMutableBufferPointer<Scalar>

    /// Length of each weight row (d).
    public let dimension: Int
    /// Leading columns of W that the training data touch (k).
    public var trainDimension: Int { train.dimension }
    public var localWidth: Int { neurons.count }

    public init(config: ExperimentConfig, partition: WidthPartition, part: Int,
                train: XORClusterData<Scalar>, test: XORClusterData<Scalar>) {
        self.partition = partition
        self.part = part
        self.neurons = partition.range(of: part)
        self.train = train
        self.test = test
        self.stepSize = config.alpha
        self.weightDecay = config.weightDecay
        secondLayer = Self.drawSecondLayer(config: config)
        localSecondLayer = Array(secondLayer[neurons])
        let d = config.weightDimension
        dimension = d
        precondition(test.dimension == d && train.dimension <= d)
        let k = train.dimension, width = neurons.count
        storage = .allocate(capacity: max(1, width * d))
        trainingBlock = UnsafeMutableBufferPointer(rebasing: storage[0 ..< width * k])
        remainderBlock = UnsafeMutableBufferPointer(rebasing: storage[width * k ..< width * d])
        trainActivations = .allocate(capacity: max(1, train.count * width))
        testActivations = .allocate(capacity: max(1, test.count * width))
        let initial = RandomStream(seed: config.seed, stream: .initialWeights)
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
        return c < k ? r * k + c : localWidth * k + r * (dimension - k) + c - k
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
        if remainderBlock.isEmpty { return try body(UnsafeBufferPointer(trainingBlock)) }
        return try weights.withUnsafeBufferPointer(body)
    }

    /// The m signs a_j * sqrt(m), scaled: i.i.d. or balanced as the config says; identical on every rank.
    public static func drawSecondLayer(config: ExperimentConfig) -> [Double] {
        let stream = RandomStream(seed: config.seed, stream: .secondLayer)
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
        let width = localWidth, k = trainDimension, d = dimension, rowLength = data.dimension
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
                for r in 0..<width {
                    let value = z[row + r]
                    // Double(a) * Double(value) is exact for float32; for float64 it is the same rounding on every rank.
                    if value > 0 { accumulator.add(a[r] * Double(value), to: i) }
                }
            }
        }
    }

    @_specialize(where Scalar == Double)
    @_specialize(where Scalar == Float)
    public func applyGradientStep(outputGradients: UnsafeBufferPointer<Double>) {
        let width = localWidth, k = trainDimension, n = train.count
        let z = trainActivations
        // Z becomes G with G[i, r] = -alpha dL/df_i a_r 1[z_ir > 0]; then W <- (1 - alpha lambda) W + G^T X
        // on the k columns the data touch, and the others decay alone.
        localSecondLayer.withUnsafeBufferPointer { a in
            for i in 0..<n {
                let coefficient = -stepSize * outputGradients[i]
                let row = i * width
                for r in 0..<width {
                    z[row + r] = z[row + r] > 0 ? Scalar(coefficient * a[r]) : 0
                }
            }
        }
        let decay = Scalar(1 - stepSize * weightDecay)
        Scalar.gemm(transposeA: true, transposeB: false, rows: width, columns: k, inner: n, alpha: 1,
                    a: z.baseAddress!, lda: width, b: train.x.baseAddress!, ldb: k,
                    beta: decay, c: trainingBlock.baseAddress!, ldc: k)
        if decay != 1 {
            for c in remainderBlock.indices { remainderBlock[c] *= decay }
        }
    }

    /// Sums over local neurons of the quantities behind the weight metrics, in the order of `WeightStatistic`.
    @_specialize(where Scalar == Double)
    @_specialize(where Scalar == Float)
    public func accumulateWeightStatistics(into accumulator: ExactAccumulator) {
        let k = trainDimension, rest = dimension - k
        for r in 0..<localWidth {
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

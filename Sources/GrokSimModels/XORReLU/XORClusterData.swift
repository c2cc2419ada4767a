import GrokSimCore

/// A sample of the XOR cluster distribution (Xu et al. 2024, Definition 2.1), stored row-major n × p.
///
/// mu1 = ||mu|| e1 and mu2 = ||mu|| e2. A point with clean label +1 sits at +mu1 or -mu1, one with clean
/// label -1 at +mu2 or -mu2, plus N(0, I_p) noise. Training labels are flipped with probability eta.
/// Every number comes from the counter-based streams, so any rank regenerates the same sample.
///
/// In the reduced representation the rows are coordinates on the Bartlett basis (see `Representation`):
/// training point i has i.i.d. N(0, 1) noise on the first 2 + i basis vectors, chi_(p - 2 - i) on basis
/// vector 2 + i and zeros beyond; test points have i.i.d. N(0, 1) noise on every basis vector they are
/// stored with, which is the projection of N(0, I_p) onto the span the weights live in.
public final class XORClusterData<Scalar: BLASScalar> {
    /// Number of points.
    public let count: Int
    /// Length of each stored row: p, or the number of basis coordinates in the reduced representation.
    public let dimension: Int
    /// Points, row-major: point i occupies x[i*p ..< (i+1)*p].
    public let x: UnsafeMutableBufferPointer<Scalar>
    /// Labels used for training (flipped where `flipped` is true); for test data, the clean labels.
    public let labels: [Double]
    /// Labels before flipping.
    public let cleanLabels: [Double]
    /// Cluster of each point: 0 = +mu1, 1 = -mu1, 2 = +mu2, 3 = -mu2.
    public let clusters: [Int]
    /// Whether each label was flipped.
    public let flipped: [Bool]
    /// False when `x` lives in memory shared with other ranks, which this object must not free.
    private let ownsPoints: Bool

    /// Draws `count` points; `flipRate` is eta for training data and 0 for test data.
    ///
    /// With `bartlettAmbientDimension` = p the noise of point i is the Bartlett row described above, its new
    /// coordinate at index 2 + i (the two mean directions come first); nil draws i.i.d. noise in every coordinate.
    ///
    /// With `shared` storage the points go to that memory and each rank of the node writes its share of
    /// the rows (the caller then waits on a node barrier); labels are cheap and every rank computes its own.
    public init(count: Int, dimension: Int, muNorm: Double, flipRate: Double, seed: UInt64,
                labelStream: RandomStreamID, noiseStream: RandomStreamID,
                bartlettAmbientDimension: Int? = nil, shared: SharedBuffer? = nil) {
        self.count = count
        self.dimension = dimension
        let labelRandom = RandomStream(seed: seed, stream: labelStream)
        let noise = RandomStream(seed: seed, stream: noiseStream)
        var labels = [Double](), cleanLabels = [Double](), clusters = [Int](), flipped = [Bool]()
        if let shared {
            x = UnsafeMutableBufferPointer(start: shared.pointer.bindMemory(to: Scalar.self, capacity: count * dimension),
                                           count: count * dimension)
        } else {
            x = .allocate(capacity: count * dimension)
        }
        ownsPoints = shared == nil
        // Contiguous row blocks per writer, so each rank fills its own pages.
        let writers = WidthPartition(width: max(count, 1), parts: min(max(count, 1), shared?.writers ?? 1))
        let myRows = (shared?.writer ?? 0) < writers.parts ? writers.range(of: shared?.writer ?? 0) : 0..<0
        let row = UnsafeMutableBufferPointer<Double>.allocate(capacity: dimension)
        defer { row.deallocate() }
        for i in 0..<count {
            let bits = labelRandom.bits(UInt64(i))
            let clean: Double = bits.0 & 1 == 0 ? 1 : -1
            let sign: Double = bits.1 & 1 == 0 ? 1 : -1
            let flip = RandomStream.unitInterval(bits.2, bits.3) <= flipRate
            let axis = clean > 0 ? 0 : 1
            if myRows.contains(i) {
                noise.fillNormals(row, start: UInt64(i) * UInt64(dimension))
                if let ambient = bartlettAmbientDimension {
                    BartlettLayout.triangularize(row, newCoordinate: 2 + i, ambientDimension: ambient,
                                                 scale: 1, chiIndex: UInt64(i), seed: seed)
                }
                row[axis] += sign * muNorm
                let base = i * dimension
                for k in 0..<dimension { x[base + k] = Scalar(row[k]) }
            }
            cleanLabels.append(clean)
            labels.append(flip ? -clean : clean)
            clusters.append(2 * axis + (sign > 0 ? 0 : 1))
            flipped.append(flip)
        }
        self.labels = labels
        self.cleanLabels = cleanLabels
        self.clusters = clusters
        self.flipped = flipped
    }

    /// A sample given point by point (for example data mapped into another basis), copied.
    public init(points: [Scalar], dimension: Int, labels: [Double], cleanLabels: [Double], clusters: [Int], flipped: [Bool]) {
        precondition(points.count == labels.count * dimension && [cleanLabels.count, clusters.count, flipped.count].allSatisfy { $0 == labels.count })
        count = labels.count
        self.dimension = dimension
        x = .allocate(capacity: max(1, points.count))
        _ = x.initialize(from: points)
        ownsPoints = true
        self.labels = labels
        self.cleanLabels = cleanLabels
        self.clusters = clusters
        self.flipped = flipped
    }

    /// The training set of `config` in its representation.
    public static func trainingSet(config: XORReLUSettings, shared: SharedBuffer? = nil) -> XORClusterData {
        XORClusterData(count: config.n, dimension: config.trainDimension, muNorm: config.resolvedMuNorm, flipRate: config.eta,
                       seed: config.seed, labelStream: XORStreams.trainLabels, noiseStream: XORStreams.trainNoise,
                       bartlettAmbientDimension: config.resolvedRepresentation == .exactReduced ? config.p : nil, shared: shared)
    }

    /// The clean test set of `config` in its representation.
    public static func testSet(config: XORReLUSettings, shared: SharedBuffer? = nil) -> XORClusterData {
        XORClusterData(count: config.nTest, dimension: config.weightDimension, muNorm: config.resolvedMuNorm, flipRate: 0,
                       seed: config.seed, labelStream: XORStreams.testLabels, noiseStream: XORStreams.testNoise, shared: shared)
    }

    deinit {
        if ownsPoints { x.deallocate() }
    }

    /// Point i as a buffer of p values.
    public func point(_ i: Int) -> UnsafeMutableBufferPointer<Scalar> {
        UnsafeMutableBufferPointer(rebasing: x[i * dimension ..< (i + 1) * dimension])
    }
}

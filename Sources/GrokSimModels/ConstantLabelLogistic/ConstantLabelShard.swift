import Foundation
import GrokSimCore

/// One rank's coordinates of the data and of S (padded to whole tiles, see `TiledLinearMap`), and (on every
/// rank) the replicated bias b when the task has one.
final class ConstantLabelShard<Scalar: BLASScalar>: ModelShard {
    let settings: ConstantLabelSettings
    let part: Int
    let train: TiledLinearMap<Scalar>
    let test: TiledLinearMap<Scalar>
    let trainTargets: [Double]
    let testTargets: [Double]
    /// Padded storage row of global coordinate 0 when this rank holds it (two Gaussians read w₁ there).
    let firstCoordinateRow: Int?
    /// S (or w) on the padded rows, then b if the task has one.
    let parameters: UnsafeMutableBufferPointer<Scalar>
    let storageSegments: [StorageSegment]?
    let loss: Loss
    let predictedAccuracy: Double
    private let sums = ExactAccumulator(count: 2)
    private let biasGradient = ExactAccumulator(count: 1)

    init(settings: ConstantLabelSettings, partition: WidthPartition, part: Int, tile: Int) {
        self.settings = settings
        self.part = part
        let columns = partition.range(of: part)
        trainTargets = ConstantLabelData.targets(settings, test: false)
        testTargets = ConstantLabelData.targets(settings, test: true)
        let trainLabels = trainTargets, testLabels = testTargets
        train = TiledLinearMap(count: settings.n, outputs: 1, columns: columns, tile: tile) { i, k in
            ConstantLabelData.coordinate(settings, test: false, point: i, coordinate: k, label: trainLabels[i])
        }
        test = TiledLinearMap(count: settings.nTest, outputs: 1, columns: columns, tile: tile) { i, k in
            ConstantLabelData.coordinate(settings, test: true, point: i, coordinate: k, label: testLabels[i])
        }
        firstCoordinateRow = columns.contains(0) ? train.rowOffset - columns.lowerBound : nil
        loss = settings.loss
        let rows = train.paddedRows
        let biasCount = settings.task.hasBias ? 1 : 0
        parameters = .allocate(capacity: rows + biasCount)
        parameters.initialize(repeating: 0)
        for (r, k) in columns.enumerated() {
            parameters[train.rowOffset + r] = Scalar(ConstantLabelData.initialWeight(settings, coordinate: k))
        }
        var segments = [StorageSegment(storageOffset: train.rowOffset, canonicalOffset: 0, count: columns.count)]
        if settings.task.hasBias {
            parameters[rows] = Scalar(settings.initBias)
            segments.append(StorageSegment(storageOffset: rows, canonicalOffset: columns.count, count: 1))
        }
        storageSegments = segments
        predictedAccuracy = ConstantLabelTheory.of(settings).predictedAccuracy
    }

    deinit {
        parameters.deallocate()
    }

    private var bias: Double { settings.task.hasBias ? Double(parameters[train.paddedRows]) : 0 }

    func targets(_ split: DataSplit) -> [Double] { split == .train ? trainTargets : testTargets }
    func outputCount(_ split: DataSplit) -> Int { split == .train ? trainTargets.count : testTargets.count }

    func accumulatePartialOutputs(_ split: DataSplit, into accumulator: ExactAccumulator) {
        let map = split == .train ? train : test
        map.accumulateOutputs(weights: parameters.baseAddress!, into: accumulator)
        // The replicated bias enters the sum once, from rank 0.
        if part == 0 && settings.task.hasBias {
            let b = bias
            for i in 0..<map.count { accumulator.add(b, to: i) }
        }
    }

    /// dL/dS_k = Σ_i x_ik g_i by tile GEMMs, and dL/db = Σ_i g_i summed exactly and rounded once on every rank (the
    /// same bits on every rank, and the value a correctly rounded sum such as numpy's math.fsum gives).
    func computeGradient(outputGradients: UnsafeBufferPointer<Double>, into gradient: UnsafeMutableBufferPointer<Scalar>) {
        train.gradient(residuals: outputGradients, into: gradient.baseAddress!)
        guard settings.task.hasBias else { return }
        biasGradient.reset()
        for g in outputGradients { biasGradient.add(g, to: 0) }
        gradient[train.paddedRows] = Scalar(biasGradient.value(0))
    }

    func metrics(trainOutputs: UnsafeBufferPointer<Double>, testOutputs: UnsafeBufferPointer<Double>,
                 sumOverRanks: (ExactAccumulator) -> Void) -> [Double] {
        sums.reset()
        for r in 0..<train.paddedRows where r != firstCoordinateRow || settings.task != .twoGaussians {
            let w = Double(parameters[r])
            sums.add(w * w, to: 0)
        }
        if let row = firstCoordinateRow { sums.add(Double(parameters[row]), to: 1) }
        sumOverRanks(sums)
        let norm = sums.value(0).squareRoot()
        // The margin y f of a population point is `center` + `spread` z with z ~ N(0, 1).
        let center: Double, spread: Double, reportedBias: Double
        if settings.task == .twoGaussians {
            let w1 = sums.value(1)
            center = settings.mu * w1
            spread = (settings.sigmaA * settings.sigmaA * w1 * w1 + settings.sigmaB * settings.sigmaB * sums.value(0)).squareRoot()
            reportedBias = -settings.mu * w1
        } else {
            center = -bias
            spread = settings.sigma * norm
            reportedBias = bias
        }
        func accuracy(_ outputs: UnsafeBufferPointer<Double>, _ labels: [Double]) -> Double {
            Double(zip(outputs, labels).filter { $0 * $1 > 0 }.count) / Double(labels.count)
        }
        return [loss.value(outputs: trainOutputs, targets: trainTargets), accuracy(trainOutputs, trainTargets),
                loss.value(outputs: testOutputs, targets: testTargets), accuracy(testOutputs, testTargets),
                PopulationLaw.loss(loss, center: center, spread: spread), PopulationLaw.accuracy(center: center, spread: spread),
                norm, reportedBias, norm > 0 ? reportedBias / norm : .nan, predictedAccuracy]
    }

    func dataArrays() -> [NamedArray] {
        let xs = (0..<settings.n).flatMap { i in
            (0..<settings.d).map { k in ConstantLabelData.coordinate(settings, test: false, point: i, coordinate: k, label: trainTargets[i]) }
        }
        return [NamedArray("train_x", shape: [settings.n, settings.d], values: .float64(xs), "training inputs x_i (rows)"),
                NamedArray("train_y", shape: [settings.n], values: .float64(trainTargets), "training targets of the binary loss (-1: the constant label)")]
    }
}

/// The law of the margin y f over the data, a Gaussian center + spread·z, turned into a loss and an accuracy.
enum PopulationLaw {
    /// P(center + spread z > 0).
    static func accuracy(center: Double, spread: Double) -> Double {
        if spread == 0 { return center > 0 ? 1 : 0 }
        return 0.5 * erfc(-center / (spread * 2.0.squareRoot()))
    }

    /// E ℓ(center + spread z): exactly e^(−center + spread²/2) for the exponential loss; for the logistic loss a
    /// trapezoid over z in [−12, 12] with step 1/128 (the integrand is smooth, so the error is at rounding level).
    static func loss(_ loss: Loss, center: Double, spread: Double) -> Double {
        if loss == .exponential { return exp(-center + spread * spread / 2) }
        let step = 1.0 / 128, count = 12 * 128
        var total = 0.0
        for j in -count...count {
            let z = Double(j) * step
            total += exp(-z * z / 2) * LogisticLoss.value(margin: center + spread * z)
        }
        return total * step / (2 * Double.pi).squareRoot()
    }
}

import Foundation
import GrokSimCore
import GrokSimRun
import GrokSimCore
import GrokSimHDF5

/// Post-hoc analysis of a run file, stored under `/analysis` in the same file.
///
/// Everything is computed from the checkpoints, the metrics and data regenerated from the seed (the
/// counter-based streams give back exactly the data the run trained on). Weights are read in row blocks,
/// so runs larger than memory can be analysed.
///
/// Layout written:
/// - `/analysis/checkpoints/step_%08d/{proj_mu1, proj_mu2, norm, cos_mu1, cos_mu2}`: per neuron
///   <w_j, mu_k>/||mu||, ||w_j|| and cos(w_j, mu_k) (the sign of a_j is `/model/a`);
/// - `/analysis/alignment/{step, <group>_on_<plus|minus>_mu<k>}`: mean over neurons of a sign group
///   (`positive`: a_j > 0, `negative`: a_j < 0) of max(±<w_j, mu_k>, 0)/||mu||, the feature-learning lemma's
///   quantities (positive neurons on ±mu1, negative on ±mu2) and their cross terms;
/// - `/analysis/boundary/{u, v}` and `/analysis/boundary/step_%08d/f`: f(u e1 + v e2) on a grid over the plane
///   span{mu1, mu2} (row: v, column: u); `/analysis/plane/train_{u, v, y, flipped}`: the training points there;
/// - `/analysis/one_step_agreement`: at t = 1, the fraction of test points on which sign f(x; W^(1)) equals
///   the linear classifier sign(<sum_i y_i x_i, x>);
/// - `/analysis/memorization_step`, `/analysis/grokking_step`: first recorded step with train accuracy 1,
///   and with test accuracy >= threshold (NaN if never);
/// - `/analysis/theorem/...`: the theorem's claims measured on the metrics (`TheoremCheck`).
public enum RunAnalysis {
    public typealias Options = AnalysisOptions

    /// What `analyze` found, for printing.
    public struct Report: Sendable {
        public var checkpointSteps: [Int] = []
        public var boundarySteps: [Int] = []
        public var oneStepAgreement = Double.nan
        public var memorizationStep = Double.nan
        public var grokkingStep = Double.nan
        public var alignment: [String: [Double]] = [:]
        /// The theorem's claims as measured; nil only before the analysis has run.
        public var theorem: TheoremCheck?
    }

    /// Names of the alignment summaries, in the order they are computed.
    public static let alignmentNames: [String] = ["positive", "negative"].flatMap { group in
        ["plus_mu1", "minus_mu1", "plus_mu2", "minus_mu2"].map { "\(group)_on_\($0)" }
    }

    /// Analyses the run file at `path`. The file is not changed in place: the analysis is written into a
    /// copy that then replaces it, so a crash or an error leaves the run file as it was.
    public static func analyze(path: String, options: Options) throws -> Report {
        let metrics: (steps: [Int], values: [String: [Double]])
        do {
            let reader = try RunFileReader(path: path)
            defer { try? reader.file.close() }
            metrics = try reader.metrics()
            if try reader.file.root.exists("analysis"), !options.overwrite {
                throw RunFileError("'\(path)' already has /analysis; pass --force to recompute it")
            }
        } catch let error as HDF5Error {
            throw RunFileError("'\(path)': \(error)")
        }
        var report = Report()
        try DurableFile.edit(path) { copy in
            let file: HDF5File
            do {
                file = try HDF5File.open(path: copy, writable: true)
            } catch let error as HDF5Error {
                throw RunFileError("\(error)")
            }
            defer { try? file.close() }
            report = try analyze(file: file, path: path, metrics: metrics, options: options)
        }
        return report
    }

    private static func analyze(file: HDF5File, path: String, metrics: (steps: [Int], values: [String: [Double]]),
                                options: Options) throws -> Report {
        let root = file.root
        if try root.exists("analysis") { try root.delete("analysis") }
        let configText = try root.attribute("config", as: String.self)
        let resolved: ExperimentConfig
        do {
            resolved = try ConfigLoader.parseResolved(configText, name: "\(path):/config")
        } catch let error as ConfigError {
            throw RunFileError("'\(path)': its config cannot be read back: \(error)")
        }
        guard resolved.model == XORReLUModel.modelName else {
            throw RunFileError("'\(path)' is a run of model \"\(resolved.model)\"; this analysis is the XOR model's")
        }
        let config = XORReLUSettings(resolved)
        let a = try root.openDataset("model/a").read(as: Double.self)
        guard a.count == config.m else { throw RunFileError("'\(path)': /model/a has \(a.count) entries but m = \(config.m)") }
        let muNorm = config.resolvedMuNorm
        var report = Report()
        let checkpointNames = try root.openGroup("checkpoints").memberNames().filter { $0.hasPrefix("step_") }
        report.checkpointSteps = checkpointNames.compactMap { Int($0.dropFirst(5)) }.sorted()

        let analysis = try root.createGroup("analysis")
        try analysis.setAttribute("description", "post-hoc analysis by 'groksim analyze' (see README)")
        let perCheckpoint = try analysis.createGroup("checkpoints")
        var alignmentRows: [[Double]] = []
        var planeWeights: [Int: (mu1: [Double], mu2: [Double])] = [:]
        for step in report.checkpointSteps {
            let weights = try root.openDataset("checkpoints/\(RunFile.checkpointName(step))/W")
            let d = config.weightDimension
            guard try weights.shape == [config.m, d] else {
                throw RunFileError("'\(path)': checkpoint \(step) has shape \(try weights.shape), expected [\(config.m), \(d)]")
            }
            var proj1 = [Double](), proj2 = [Double](), norms = [Double]()
            try forEachRowBlock(weights, rows: config.m, width: d) { _, block, count in
                for r in 0..<count {
                    let row = block[r * d ..< (r + 1) * d]
                    proj1.append(row[row.startIndex])
                    proj2.append(row[row.startIndex + 1])
                    norms.append(row.withUnsafeBufferPointer { VectorMath.squaredNorm($0) }.squareRoot())
                }
            }
            planeWeights[step] = (proj1, proj2)
            let group = try perCheckpoint.createGroup(RunFile.checkpointName(step))
            try group.setAttribute("step", step)
            let cos1 = zip(proj1, norms).map { $1 > 0 ? $0 / $1 : .nan }, cos2 = zip(proj2, norms).map { $1 > 0 ? $0 / $1 : .nan }
            for (name, values, description) in [
                ("proj_mu1", proj1, "<w_j, mu1>/||mu|| for each neuron j"), ("proj_mu2", proj2, "<w_j, mu2>/||mu|| for each neuron j"),
                ("norm", norms, "||w_j|| for each neuron j"), ("cos_mu1", cos1, "cosine of the angle between w_j and mu1"),
                ("cos_mu2", cos2, "cosine of the angle between w_j and mu2"),
            ] {
                try writeVector(group, name, values, description: description, units: "1")
            }
            alignmentRows.append(alignment(proj1: proj1, proj2: proj2, a: a))
        }
        let alignmentGroup = try analysis.createGroup("alignment")
        try writeVector(alignmentGroup, "step", report.checkpointSteps.map(Double.init), description: "checkpoint step of each entry", units: "steps")
        for (k, name) in alignmentNames.enumerated() {
            let values = alignmentRows.map { $0[k] }
            report.alignment[name] = values
            let parts = name.components(separatedBy: "_on_")
            try writeVector(alignmentGroup, name, values,
                            description: "mean over neurons with a_j \(parts[0] == "positive" ? "> 0" : "< 0") of max(\(parts[1].hasPrefix("plus") ? "+" : "-")<w_j, \(parts[1].suffix(3))>, 0)/||mu||",
                            units: "1")
        }

        // The plane span{mu1, mu2}: training points and the network's output there.
        let train = XORClusterData<Double>.trainingSet(config: config)
        let k = train.dimension
        let plane = try analysis.createGroup("plane")
        try writeVector(plane, "train_u", (0..<train.count).map { train.x[$0 * k] }, description: "training points' coordinate <x_i, mu1>/||mu||", units: "1")
        try writeVector(plane, "train_v", (0..<train.count).map { train.x[$0 * k + 1] }, description: "training points' coordinate <x_i, mu2>/||mu||", units: "1")
        try writeVector(plane, "train_y", train.labels, description: "training labels (after flipping)", units: "1")
        try writeVector(plane, "train_flipped", train.flipped.map { $0 ? 1 : 0 }, description: "1 where the training label was flipped", units: "1")
        if let asked = options.boundarySteps, let missing = asked.first(where: { !report.checkpointSteps.contains($0) }) {
            throw RunFileError("--boundary-steps \(missing): '\(path)' has no checkpoint at that step (checkpoints: "
                               + report.checkpointSteps.map(String.init).joined(separator: ", ") + ")")
        }
        // By default 0, 1 and sqrt(n), each taken at the nearest checkpoint.
        let wanted = options.boundarySteps ?? [0, 1, Int(Double(config.n).squareRoot().rounded())]
        report.boundarySteps = Array(Set(wanted.compactMap { target in
            report.checkpointSteps.min { abs($0 - target) < abs($1 - target) }
        })).sorted()
        let limit = muNorm + 4
        let grid = (0..<options.gridSize).map { -limit + 2 * limit * Double($0) / Double(max(1, options.gridSize - 1)) }
        let boundary = try analysis.createGroup("boundary")
        try writeVector(boundary, "u", grid, description: "grid coordinate along mu1/||mu|| (columns of f)", units: "1")
        try writeVector(boundary, "v", grid, description: "grid coordinate along mu2/||mu|| (rows of f)", units: "1")
        for step in report.boundarySteps {
            let (w1, w2) = planeWeights[step]!
            var field = [Double]()
            field.reserveCapacity(grid.count * grid.count)
            for v in grid {
                for u in grid {
                    var f = 0.0
                    for j in 0..<a.count { f += a[j] * max(0, u * w1[j] + v * w2[j]) }
                    field.append(f)
                }
            }
            let group = try boundary.createGroup(RunFile.checkpointName(step))
            try group.setAttribute("step", step)
            let dataset = try group.createDataset("f", of: Double.self, shape: [grid.count, grid.count])
            try dataset.write(field)
            try dataset.setAttribute("description", "network output f(u e1 + v e2) at step \(step); row: v, column: u")
            try dataset.setAttribute("units", "1")
        }

        if report.checkpointSteps.contains(1) {
            report.oneStepAgreement = try oneStepAgreement(root: root, config: config, a: a, train: train)
            try writeScalar(analysis, "one_step_agreement", report.oneStepAgreement,
                            description: "fraction of test points where sign f(x; W^(1)) equals sign(<sum_i y_i x_i, x>)")
        }
        let steps = metrics.steps
        let trainAccuracy = metrics.values["train_accuracy"] ?? [], testAccuracy = metrics.values["test_accuracy"] ?? []
        report.memorizationStep = steps.indices.first { trainAccuracy[$0] >= 1 }.map { Double(steps[$0]) } ?? .nan
        report.grokkingStep = steps.indices.first { testAccuracy[$0] >= options.grokThreshold }.map { Double(steps[$0]) } ?? .nan
        try writeScalar(analysis, "memorization_step", report.memorizationStep, description: "first recorded step with train accuracy 1 (NaN if never)", units: "steps")
        let grok = try writeScalar(analysis, "grokking_step", report.grokkingStep,
                                   description: "first recorded step with clean test accuracy >= threshold (NaN if never)", units: "steps")
        try grok.setAttribute("threshold", options.grokThreshold)
        let theorem = TheoremCheck(steps: steps, metrics: metrics.values, n: config.n, threshold: options.grokThreshold,
                                   oneStepAgreement: report.oneStepAgreement)
        try TheoremCheck.write([theorem], into: analysis)
        report.theorem = theorem
        try file.close()
        return report
    }

    /// The eight alignment means for one checkpoint, in the order of `alignmentNames`.
    static func alignment(proj1: [Double], proj2: [Double], a: [Double]) -> [Double] {
        var result: [Double] = []
        for positive in [true, false] {
            let members = a.indices.filter { (a[$0] > 0) == positive }
            for (projection, sign) in [(proj1, 1.0), (proj1, -1.0), (proj2, 1.0), (proj2, -1.0)] {
                result.append(members.isEmpty ? .nan : members.reduce(0) { $0 + max(0, sign * projection[$1]) } / Double(members.count))
            }
        }
        return result
    }

    /// Agreement at t = 1 between the network and the one-step linear classifier of the theorem.
    static func oneStepAgreement(root: HDF5Group, config: XORReLUSettings, a: [Double], train: XORClusterData<Double>) throws -> Double {
        // d: the stored row length of weights and test points; training rows fill the first k <= d coordinates.
        let d = config.weightDimension, k = train.dimension
        let test = XORClusterData<Double>.testSet(config: config)
        var direction = [Double](repeating: 0, count: k)
        for i in 0..<train.count {
            for c in 0..<k { direction[c] += train.labels[i] * train.x[i * k + c] }
        }
        // Z = W_block X_test^T with BLAS, block by block; outputs accumulate a_j ReLU(z).
        var outputs = [Double](repeating: 0, count: test.count)
        var z = [Double](repeating: 0, count: test.count)
        let weights = try root.openDataset("checkpoints/\(RunFile.checkpointName(1))/W")
        try forEachRowBlock(weights, rows: config.m, width: d) { first, block, count in
            if z.count < count * test.count { z = [Double](repeating: 0, count: count * test.count) }
            block.withUnsafeBufferPointer { w in
                z.withUnsafeMutableBufferPointer { product in
                    Double.gemm(transposeA: false, transposeB: true, rows: count, columns: test.count, inner: d, alpha: 1,
                                a: w.baseAddress!, lda: d, b: UnsafePointer(test.x.baseAddress!), ldb: d, beta: 0,
                                c: product.baseAddress!, ldc: test.count)
                }
            }
            for r in 0..<count {
                for i in 0..<test.count where z[r * test.count + i] > 0 { outputs[i] += a[first + r] * z[r * test.count + i] }
            }
        }
        var agree = 0
        for i in 0..<test.count {
            var linear = 0.0
            // sum_i y_i x_i is zero beyond coordinate k.
            for c in 0..<k { linear += direction[c] * test.x[i * d + c] }
            if (linear > 0) == (outputs[i] > 0) { agree += 1 }
        }
        return Double(agree) / Double(test.count)
    }

    /// Calls `body(firstRow, rows, count)` for blocks of at most about 64 MiB of a rows × width dataset.
    static func forEachRowBlock(_ dataset: HDF5Dataset, rows: Int, width: Int, _ body: (Int, [Double], Int) throws -> Void) throws {
        let blockRows = max(1, min(rows, (64 << 20) / max(1, width * 8)))
        var first = 0
        while first < rows {
            let count = min(blockRows, rows - first)
            try body(first, try dataset.readRows(offset: first, count: count, as: Double.self), count)
            first += count
        }
    }

    private static func writeVector(_ group: HDF5Group, _ name: String, _ values: [Double], description: String, units: String) throws {
        let dataset = try group.createDataset(name, of: Double.self, shape: [values.count])
        try dataset.write(values)
        try dataset.setAttribute("description", description)
        try dataset.setAttribute("units", units)
    }

    @discardableResult
    private static func writeScalar(_ group: HDF5Group, _ name: String, _ value: Double, description: String, units: String = "1") throws -> HDF5Dataset {
        let dataset = try group.createDataset(name, of: Double.self, shape: [1])
        try dataset.write([value])
        try dataset.setAttribute("description", description)
        try dataset.setAttribute("units", units)
        return dataset
    }
}

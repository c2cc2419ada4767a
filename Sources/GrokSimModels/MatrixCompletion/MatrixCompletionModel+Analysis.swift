import Foundation
import GrokSimCore
import GrokSimHDF5
import GrokSimPlot
import GrokSimRun

extension MatrixCompletionModel: AnalyzableModel {
    /// The test loss is on its plateau from the first recorded step whose train loss is below this fraction of
    /// the initial one (the kernel fit of the observed entries)...
    static let fittedTrainFraction = 0.01
    /// ...and the transition is the first later step where it is below this fraction of that plateau.
    static let plateauFraction = 0.5

    public var analysisHelp: String {
        "For matrix-completion: the transition step, the first step with test loss below \(Self.plateauFraction) of its plateau (the test loss at the first step whose train loss is below \(Self.fittedTrainFraction) of the initial one), beside Lyu et al.'s law (1/(lambda eta)) ln alpha and their ratio; stored under /analysis. Its figures: the losses with both marked, the norm against alpha e^(-eta lambda t), and W as heat maps at an early checkpoint and at the last, beside the kernel predictor and X*."
    }

    /// The plateau's step and value, and the transition step, from the recorded metrics.
    static func transition(steps: [Int], trainLoss: [Double], testLoss: [Double]) -> (plateauStep: Int, plateau: Double, step: Int?)? {
        guard let initial = trainLoss.first,
              let start = trainLoss.indices.first(where: { trainLoss[$0] <= fittedTrainFraction * initial }) else { return nil }
        let plateau = testLoss[start]
        let step = (start..<testLoss.count).first { testLoss[$0] < plateauFraction * plateau }.map { steps[$0] }
        return (steps[start], plateau, step)
    }

    public func analyze(runPath: String, options: AnalysisOptions) throws -> String {
        let reader = try RunFileReader(path: runPath)
        let metrics = try reader.metrics()
        let configText = try reader.file.root.attribute("config", as: String.self)
        let exists = try reader.file.root.exists("analysis")
        try reader.file.close()
        if exists && !options.overwrite { throw RunFileError("'\(runPath)' already has /analysis; pass --force to recompute it") }
        let config = try ConfigLoader.parseResolved(configText, name: "\(runPath):/config")
        let found = Self.transition(steps: metrics.steps, trainLoss: metrics.values[MatrixCompletionMetrics.trainLoss.name] ?? [],
                                    testLoss: metrics.values[MatrixCompletionMetrics.testLoss.name] ?? [])
        let predicted = Self.predictedTransition(config)
        let measured = found?.step
        let rule = "first test loss < \(Self.plateauFraction) x its plateau (the test loss once train loss < \(Self.fittedTrainFraction) x its initial value)"
        let ratio = measured.flatMap { m in predicted.map { Double(m) / $0 } }
        try DurableFile.edit(runPath) { copy in
            let file = try HDF5File.open(path: copy, writable: true)
            defer { try? file.close() }
            if try file.root.exists("analysis") { try file.root.delete("analysis") }
            let group = try file.root.createGroup("analysis")
            try group.setAttribute("description", "transition step against Lyu et al.'s law (1/(lambda eta)) ln alpha, by 'groksim analyze'")
            try group.setAttribute("transition_rule", rule)
            try group.setAttribute("plateau_step", Double(found?.plateauStep ?? -1))
            try group.setAttribute("plateau_test_loss", found?.plateau ?? .nan)
            try group.setAttribute("transition_step", Double(measured ?? -1))
            try group.setAttribute("predicted_transition_step", predicted ?? .nan)
            try group.setAttribute("alpha", config.number(Keys.initScale))
            try group.setAttribute("ratio_measured_to_predicted", ratio ?? .nan)
        }
        let plateauText = found.map { String(format: "test loss %.4g from step %d", $0.plateau, $0.plateauStep) } ?? "train loss never fitted"
        return """
            plateau: \(plateauText)
            transition (\(rule)): step \(measured.map { "\($0)" } ?? "not reached")
            law (1/(lambda eta)) ln alpha, alpha = \(config.number(Keys.initScale)): \(predicted.map { String(format: "%.0f", $0) } ?? "none (no weight decay)") steps
            ratio measured / law: \(ratio.map { String(format: "%.3f", $0) } ?? "-")
            """
    }

    public func analyzeEnsemble(indexPath: String, options: AnalysisOptions) throws -> String {
        throw RunFileError("matrix-completion: analyze the ensemble's run files one by one")
    }

    public func analysisFigures(file: HDF5File, caption: String) throws -> [RunFigures.Figure] {
        let root = file.root
        let config = try ConfigLoader.parseResolved(try root.attribute("config", as: String.self), name: "config")
        let predicted = Self.predictedTransition(config)
        let measured = try TransitionFigures.measuredTransition(file)
        typealias Line = TransitionFigures.Line
        var figures = [
            try TransitionFigures.withTransition(
                file: file, fileName: "loss_transition.svg", title: "Train and test loss with the predicted and measured transition",
                caption: caption, yLabel: "mean squared error",
                lines: [Line(metric: "train_loss", label: "train (observed)", color: "#0072B2"),
                        Line(metric: "test_loss", label: "test (unobserved)", color: "#D55E00")],
                logY: true, yRange: nil, predicted: predicted, measured: measured),
            try TransitionFigures.withTransition(
                file: file, fileName: "predictor_distances.svg", title: "Distance of W to the kernel predictor K and to X*",
                caption: caption, yLabel: "relative Frobenius distance",
                lines: [Line(metric: "relative_distance_to_kernel", label: "||W - K|| / ||K||", color: "#009E73"),
                        Line(metric: "relative_distance_to_truth", label: "||W - X*|| / ||X*||", color: "#CC79A7")],
                logY: false, yRange: nil, predicted: predicted, measured: measured),
            try TransitionFigures.normDecay(file: file, caption: caption, learningRate: config.number(Keys.learningRate),
                                            weightDecay: config.number(DynamicsKeys.weightDecay), predicted: predicted),
        ]
        figures += try heatMaps(file: file, config: config, caption: caption, predicted: predicted)
        return figures
    }

    /// W = U Uᵀ − V Vᵀ at an early checkpoint (the last at or before half the law's transition, the kernel phase)
    /// and at the last, beside the kernel predictor and X*, on one colour scale.
    private func heatMaps(file: HDF5File, config: ExperimentConfig, caption: String, predicted: Double?) throws -> [RunFigures.Figure] {
        let root = file.root
        let d = config.integer(Keys.d)
        guard try root.exists("checkpoints") else { return [] }
        let steps = try root.openGroup("checkpoints").memberNames().filter { $0.hasPrefix("step_") }.compactMap { Int($0.dropFirst(5)) }.sorted()
        guard let last = steps.last else { return [] }
        let limit = (predicted ?? Double(last)) / 2
        let early = steps.filter { $0 > 0 && Double($0) <= limit }.last ?? steps.first!
        func product(_ step: Int) throws -> [Double] {
            let u = try root.openDataset("checkpoints/\(RunFile.checkpointName(step))/U_t").read(as: Double.self)
            let v = try root.openDataset("checkpoints/\(RunFile.checkpointName(step))/V_t").read(as: Double.self)
            var w = [Double](repeating: 0, count: d * d)
            for k in 0..<d {
                for i in 0..<d {
                    let ui = u[k * d + i], vi = v[k * d + i]
                    for j in 0..<d { w[i * d + j] += ui * u[k * d + j] - vi * v[k * d + j] }
                }
            }
            return w
        }
        let truth = try root.openDataset("model/truth").read(as: Double.self)
        let kernel = try root.openDataset("model/kernel_predictor").read(as: Double.self)
        let scale = max(truth.map(abs).max() ?? 1, 1e-12)
        let axis = (0..<d).map(Double.init)
        func map(_ name: String, _ title: String, _ values: [Double]) -> RunFigures.Figure {
            let chart = HeatmapChart(title: title, caption: caption, xLabel: "j", yLabel: "i", x: axis, y: axis, values: values,
                                     colorRange: -scale...scale, colorLabel: "entry", zeroContour: false, equalAspect: true)
            return RunFigures.Figure(fileName: name, svg: chart.svg())
        }
        return [map("W_early.svg", "W = UU^T - VV^T at step \(early) (kernel phase)", try product(early)),
                map("W_last.svg", "W = UU^T - VV^T at step \(last)", try product(last)),
                map("kernel_predictor.svg", "Kernel predictor K: X* on the observed entries and their transposes", kernel),
                map("truth.svg", "X*_ij = i j / d^2", truth)]
    }
}

import Foundation
import GrokSimCore
import GrokSimHDF5
import GrokSimRun

extension DiagonalNetModel: AnalyzableModel {
    /// Test accuracy above which an l2-margin run counts as generalising, and the level whose first crossing
    /// downwards after that is its misgrokking step.
    static let highAccuracy = 0.9
    static let misgrokLevel = 0.75

    public var analysisHelp: String {
        "For diagonal-net: the transition step (sparse-linear: the first step with test accuracy >= the grok threshold, 0.95 by default; l2-margin: the first step with test accuracy below \(Self.misgrokLevel) after it has been >= \(Self.highAccuracy)) beside Lyu et al.'s law (1/(lambda eta)) ln alpha, with alpha in the convention the config used (init_norm or init_scale), and their ratio; stored under /analysis."
    }

    public func analyze(runPath: String, options: AnalysisOptions) throws -> String {
        let reader = try RunFileReader(path: runPath)
        let metrics = try reader.metrics()
        let configText = try reader.file.root.attribute("config", as: String.self)
        let exists = try reader.file.root.exists("analysis")
        try reader.file.close()
        if exists && !options.overwrite { throw RunFileError("'\(runPath)' already has /analysis; pass --force to recompute it") }
        let config = try ConfigLoader.parseResolved(configText, name: "\(runPath):/config")
        let accuracy = metrics.values[DiagonalNetMetrics.testAccuracy.name] ?? []
        let sparse = config.string(Keys.task) == "sparse-linear"
        let measured = sparse ? Self.firstReach(steps: metrics.steps, values: accuracy, threshold: options.grokThreshold)
                              : Self.firstDrop(steps: metrics.steps, values: accuracy, high: Self.highAccuracy, level: Self.misgrokLevel)
        let predicted = Self.predictedTransition(config)
        let (alpha, convention) = Self.alpha(config)
        let rule = sparse ? "first test accuracy >= \(options.grokThreshold)"
                          : "first test accuracy < \(Self.misgrokLevel) after >= \(Self.highAccuracy)"
        try DurableFile.edit(runPath) { copy in
            let file = try HDF5File.open(path: copy, writable: true)
            defer { try? file.close() }
            if try file.root.exists("analysis") { try file.root.delete("analysis") }
            let group = try file.root.createGroup("analysis")
            try group.setAttribute("description", "transition step against Lyu et al.'s law (1/(lambda eta)) ln alpha, by 'groksim analyze'")
            try group.setAttribute("transition_rule", rule)
            try group.setAttribute("transition_step", Double(measured ?? -1))
            try group.setAttribute("predicted_transition_step", predicted ?? .nan)
            try group.setAttribute("alpha", alpha)
            try group.setAttribute("alpha_convention", convention)
            try group.setAttribute("ratio_measured_to_predicted", measured.flatMap { m in predicted.map { Double(m) / $0 } } ?? .nan)
        }
        let measuredText = measured.map { "\($0)" } ?? "not reached"
        let predictedText = predicted.map { String(format: "%.0f", $0) } ?? "none (no weight decay)"
        let ratio = measured.flatMap { m in predicted.map { String(format: "%.3f", Double(m) / $0) } } ?? "-"
        return """
            transition (\(rule)): step \(measuredText)
            law (1/(lambda eta)) ln alpha, alpha = \(alpha) from \(convention): \(predictedText) steps
            ratio measured / law: \(ratio)
            """
    }

    public func analyzeEnsemble(indexPath: String, options: AnalysisOptions) throws -> String {
        throw RunFileError("diagonal-net: analyze the ensemble's run files one by one")
    }

    /// The accuracies and the agreement with and cosine to both predictors against step, with the law's and the
    /// measured transition marked, and the norm beside ‖θ(0)‖ e^(−ηλt) (‖θ(0)‖ = α in the init_norm convention).
    public func analysisFigures(file: HDF5File, caption: String) throws -> [RunFigures.Figure] {
        let root = file.root
        let config = try ConfigLoader.parseResolved(try root.attribute("config", as: String.self), name: "config")
        let predicted = Self.predictedTransition(config)
        let measured = try TransitionFigures.measuredTransition(file)
        typealias Line = TransitionFigures.Line
        var figures = [
            try TransitionFigures.withTransition(
                file: file, fileName: "accuracy_transition.svg", title: "Train and test accuracy with the predicted and measured transition",
                caption: caption, yLabel: "accuracy",
                lines: [Line(metric: DiagonalNetMetrics.trainAccuracy.name, label: "train", color: "#0072B2"),
                        Line(metric: DiagonalNetMetrics.testAccuracy.name, label: "test", color: "#D55E00")],
                logY: false, yRange: 0...1.02, predicted: predicted, measured: measured),
            try TransitionFigures.normDecay(file: file, caption: caption, learningRate: config.number(Keys.learningRate),
                                            weightDecay: config.number(DynamicsKeys.weightDecay), predicted: predicted),
        ]
        if config.boolean(Keys.predictors) {
            figures.append(try TransitionFigures.withTransition(
                file: file, fileName: "predictors_transition.svg",
                title: "Agreement with and cosine to the max-L2 (kernel) and max-L1 (KKT) classifiers", caption: caption, yLabel: "value",
                lines: [Line(metric: DiagonalNetMetrics.l2Agreement.name, label: "test agreement, L2", color: "#009E73"),
                        Line(metric: DiagonalNetMetrics.l1Agreement.name, label: "test agreement, L1", color: "#CC79A7"),
                        Line(metric: DiagonalNetMetrics.l2Cosine.name, label: "cos(w, w_L2)", color: "#009E73", dashed: true),
                        Line(metric: DiagonalNetMetrics.l1Cosine.name, label: "cos(w, w_L1)", color: "#CC79A7", dashed: true)],
                logY: false, yRange: -0.02...1.02, predicted: predicted, measured: measured))
        }
        return figures
    }

    /// The first recorded step whose value is at least `threshold`.
    static func firstReach(steps: [Int], values: [Double], threshold: Double) -> Int? {
        zip(steps, values).first { $0.1 >= threshold }?.0
    }

    /// The first recorded step below `level` after a value of at least `high`.
    static func firstDrop(steps: [Int], values: [Double], high: Double, level: Double) -> Int? {
        var wasHigh = false
        for (step, value) in zip(steps, values) {
            if value >= high { wasHigh = true } else if wasHigh && value < level { return step }
        }
        return nil
    }
}

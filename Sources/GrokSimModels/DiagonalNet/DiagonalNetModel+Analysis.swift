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

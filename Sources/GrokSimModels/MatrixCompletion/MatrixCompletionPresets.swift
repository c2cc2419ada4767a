import GrokSimCore

/// The presets of Lyu et al. (2024)'s matrix-completion figure at the paper's settings, and a small variant whose
/// predicted transition (1/(λη)) ln α falls at about 10^4 steps.
enum MatrixCompletionPresets {
    typealias Keys = MatrixCompletionModel.Keys

    static func all(model: String) -> [Preset] {
        [
            Preset(name: "lyu2024-fig3", model: model,
                   summary: "Lyu et al. 2024 Fig. 3: multiplication table d=97, 5% observed, alpha=10, lr 0.1, lambda 1e-4 (predicted transition 2.3e5 steps), 2x10^6 steps",
                   settings: [(Keys.d, .integer(97)), (Keys.observedFraction, .number(0.05)), (Keys.initScale, .number(10)),
                              (Keys.learningRate, .number(0.1)), (DynamicsKeys.weightDecay, .number(1e-4)),
                              (RunControlKeys.steps, .integer(2_000_000)), (RunControlKeys.metricsDenseUntil, .integer(10)),
                              (RunControlKeys.checkpointSteps, .list([0, 1, 100, 10_000, 100_000].map { .integer($0) }))]),
            // lambda = ln 10 / (0.1 x 10^4) = 2.3e-3 puts (1/(lambda eta)) ln alpha at 10,011 steps.
            Preset(name: "lyu2024-fig3-small", model: model,
                   summary: "Fig. 3 in seconds: d=30, 20% observed, alpha=10, lr 0.1, lambda 2.3e-3 (predicted transition 10011 steps), 4x10^4 steps",
                   settings: [(Keys.d, .integer(30)), (Keys.observedFraction, .number(0.2)), (Keys.initScale, .number(10)),
                              (Keys.learningRate, .number(0.1)), (DynamicsKeys.weightDecay, .number(2.3e-3)),
                              (RunControlKeys.steps, .integer(40_000)), (RunControlKeys.metricsDenseUntil, .integer(10)),
                              (RunControlKeys.checkpointSteps, .list([0, 1, 100, 1000, 5000].map { .integer($0) }))]),
        ]
    }
}

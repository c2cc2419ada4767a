import GrokSimCore

/// The presets of Lyu et al. (2024)'s diagonal-net figures, at the paper's settings, and small variants whose
/// predicted transition (1/(λη)) ln α falls at about 10^4 steps.
enum DiagonalNetPresets {
    typealias Keys = DiagonalNetModel.Keys

    static func all(model: String) -> [Preset] {
        let sparse: [(String, ConfigValue)] = [(Keys.task, .string("sparse-linear")), (Keys.k, .integer(3))]
        let margin: [(String, ConfigValue)] = [(Keys.task, .string("l2-margin")), (Keys.gamma, .number(25))]
        let paperOptimiser: [(String, ConfigValue)] = [(Keys.initNorm, .number(128)), (Keys.learningRate, .number(0.01)),
                                                       (DynamicsKeys.weightDecay, .number(1e-3)),
                                                       (RunControlKeys.metricsDenseUntil, .integer(10))]
        // Small: the paper's init norm 128 with lr 0.05 and lambda 0.01 puts (1/(lambda eta)) ln alpha at 9704 steps.
        let smallOptimiser: [(String, ConfigValue)] = [(Keys.initNorm, .number(128)), (Keys.learningRate, .number(0.05)),
                                                       (DynamicsKeys.weightDecay, .number(0.01)),
                                                       (RunControlKeys.metricsDenseUntil, .integer(10))]
        return [
            Preset(name: "lyu2024-fig1a", model: model,
                   summary: "Lyu et al. 2024 Fig. 1a: sparse-linear grokking, n=256, d=10^5, k=3, init norm 128, lr 0.01, lambda 1e-3, 10^6 steps",
                   settings: sparse + paperOptimiser + [(Keys.n, .integer(256)), (Keys.d, .integer(100_000)), (Keys.nTest, .integer(10_000)),
                                                        (RunControlKeys.steps, .integer(1_000_000))]),
            Preset(name: "lyu2024-fig1b", model: model,
                   summary: "Lyu et al. 2024 Fig. 1b: l2-margin misgrokking, n=32, d=10^5, gamma=25, init norm 128, lr 0.01, lambda 1e-3, 2x10^6 steps",
                   settings: margin + paperOptimiser + [(Keys.n, .integer(32)), (Keys.d, .integer(100_000)), (Keys.nTest, .integer(10_000)),
                                                        (RunControlKeys.steps, .integer(2_000_000))]),
            Preset(name: "lyu2024-fig1a-small", model: model,
                   summary: "Fig. 1a in seconds: n=96, d=2000, k=3, init norm 128, lr 0.05, lambda 0.01 (predicted transition 9704 steps), 2x10^4 steps",
                   settings: sparse + smallOptimiser + [(Keys.n, .integer(96)), (Keys.d, .integer(2000)), (Keys.nTest, .integer(1000)),
                                                        (RunControlKeys.steps, .integer(20_000))]),
            // At d = 2000, n = 16, gamma = 25 the max-L1 classifier itself scores 0.985 (no visible fall); at d = 1000,
            // n = 4, gamma = 12 it scores 0.6-0.75 while the max-L2 one scores 0.996-1.
            Preset(name: "lyu2024-fig1b-small", model: model,
                   summary: "Fig. 1b in seconds: n=4, d=1000, gamma=12, init norm 128, lr 0.05, lambda 0.01 (predicted transition 9704 steps), 5x10^4 steps",
                   settings: [(Keys.task, .string("l2-margin")), (Keys.gamma, .number(12))] + smallOptimiser
                       + [(Keys.n, .integer(4)), (Keys.d, .integer(1000)), (Keys.nTest, .integer(1000)), (RunControlKeys.steps, .integer(50_000))]),
        ]
    }
}

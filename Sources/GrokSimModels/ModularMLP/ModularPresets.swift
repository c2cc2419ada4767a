import GrokSimCore

/// The presets of the modular-arithmetic MLP: the paper's Figure 2 and small variants that grok in minutes.
enum ModularPresets {
    typealias Keys = ModularMLPModel.Keys

    static var all: [Preset] {
        let name = ModularMLPModel.modelName
        return [
            Preset(name: "lyu2024-fig2", model: name,
                   summary: "Lyu et al. 2024 Fig. 2: a + b mod 97, 40% of pairs, h = 1024, lr 0.002, lambda 1e-4; test jumps near 1e7 steps (a job for many ranks)",
                   settings: [(Keys.p, .integer(97)), (Keys.hidden, .integer(1024)), (Keys.trainFraction, .number(0.4)),
                              (Keys.learningRate, .number(0.002)), (DynamicsKeys.weightDecay, .number(1e-4)),
                              (RunControlKeys.steps, .integer(30_000_000))]),
            small("modadd-small", summary: "a + b mod 23, h = 128: train accuracy 1 early, test jumps within minutes on 2 cores", initScale: 1),
            small("modadd-small-init10", summary: "modadd-small with 10x init and W2 = 0 at start: the jump comes later", initScale: 10),
            small("modadd-small-init100", summary: "modadd-small with 100x init and W2 = 0 at start: the jump comes later still", initScale: 100),
        ]
    }

    static func small(_ name: String, summary: String, initScale: Double) -> Preset {
        var settings: [(String, ConfigValue)] = [(Keys.p, .integer(23)), (Keys.hidden, .integer(128)), (Keys.trainFraction, .number(0.4)),
                                                 (Keys.learningRate, .number(0.5)), (DynamicsKeys.weightDecay, .number(1e-3)),
                                                 (RunControlKeys.steps, .integer(20000))]
        if initScale != 1 {
            settings += [(Keys.initScale, .number(initScale)), (Keys.lastLayerZeroInit, .boolean(true))]
        }
        return Preset(name: name, model: ModularMLPModel.modelName, summary: summary, settings: settings)
    }
}

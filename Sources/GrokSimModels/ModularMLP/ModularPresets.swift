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
            small("modadd-small", summary: "a + b mod 31, 70% of pairs, h = 256, lr 2, lambda 3e-3: train accuracy 1 by step ~500, test accuracy 0.9 about a decade later", initScale: 1),
            small("modadd-small-init10", summary: "modadd-small with 10x init and W2 = 0 at start: the jump comes later", initScale: 10),
            small("modadd-small-init100", summary: "modadd-small with 100x init and W2 = 0 at start: the jump comes later still", initScale: 100),
            Preset(name: "modadd-tiny", model: name, summary: "a + b mod 11, h = 32, 500 steps: a smoke run of seconds in a debug build",
                   settings: [(Keys.p, .integer(11)), (Keys.hidden, .integer(32)), (Keys.trainFraction, .number(0.8)),
                              (Keys.learningRate, .number(1)), (DynamicsKeys.weightDecay, .number(3e-3)), (RunControlKeys.steps, .integer(500))]),
        ]
    }

    static func small(_ name: String, summary: String, initScale: Double) -> Preset {
        // Small p needs a large training share to generalise at all (p = 23 at 80% plateaued near 0.86 on seed 0);
        // p = 31 at 70% is 672 pairs. lr 2 and lambda 3e-3 put 1/(lr lambda) at 167 steps.
        var settings: [(String, ConfigValue)] = [(Keys.p, .integer(31)), (Keys.hidden, .integer(256)), (Keys.trainFraction, .number(0.7)),
                                                 (Keys.learningRate, .number(2)), (DynamicsKeys.weightDecay, .number(3e-3)),
                                                 (RunControlKeys.steps, .integer(30000))]
        if initScale != 1 {
            settings += [(Keys.initScale, .number(initScale)), (Keys.lastLayerZeroInit, .boolean(true))]
        }
        return Preset(name: name, model: ModularMLPModel.modelName, summary: summary, settings: settings)
    }
}

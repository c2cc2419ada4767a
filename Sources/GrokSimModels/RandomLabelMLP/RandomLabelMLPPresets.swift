import GrokSimCore

/// The presets of the random-label network. The paper's sizes and temperatures are not available to us
/// (only its abstract is); these are our choices, documented in README.md.
enum RandomLabelMLPPresets {
    typealias Keys = RandomLabelMLPModel.Keys

    static func all(_ model: RandomLabelMLPModel) -> [Preset] {
        [Preset(name: "jules2023-small", model: model.name,
                summary: "our choice: n=32 random labels, d=8, width=64 (640 parameters); GD to loss 0.01, then Langevin at T=0.001, 0.002, 0.004, 0.008 for 8000 steps each (16 s of CPU on 1 rank, debug or release; 2 ranks are latency-bound, minutes)",
                settings: common + [(Keys.n, .integer(32)), (Keys.d, .integer(8)), (Keys.width, .integer(64)),
                                    (RunControlKeys.steps, .integer(200_000))]),
         Preset(name: "jules2023-sweep", model: model.name,
                summary: "our choice: n=64, d=8, width=128 (1280 parameters), same ladder of temperatures; 2.5 min per seed in a debug build; run with --seeds and --set width=/n= to sweep",
                settings: common + [(Keys.n, .integer(64)), (Keys.d, .integer(8)), (Keys.width, .integer(128)),
                                    (RunControlKeys.steps, .integer(200_000))])]
    }

    static let common: [(String, ConfigValue)] = [
        (Keys.nTest, .integer(100)), (Keys.learningRate, .number(0.5)),
        (DynamicsKeys.temperature, .number(0.001)), (DynamicsKeys.langevinTemperatureRatio, .number(2)),
        (DynamicsKeys.langevinPhases, .integer(4)), (DynamicsKeys.langevinPhaseSteps, .integer(8000)), (DynamicsKeys.gdMaximumSteps, .integer(100_000)),
        (DynamicsKeys.gdLossTarget, .number(0.01)), (RunControlKeys.metricsDenseUntil, .integer(100)),
        (RunControlKeys.checkpointSteps, .list([.integer(0)])),
    ]
}

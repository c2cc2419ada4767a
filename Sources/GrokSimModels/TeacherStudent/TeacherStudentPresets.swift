import GrokSimCore

/// The presets of the teacher-student model: the settings of Figures 1-3 of Levi, Beck, Bar-Sinai (2024), each
/// with a small variant (d_in = 100 instead of 1000, η = 0.05 instead of 0.01, so it runs in seconds).
enum TeacherStudentPresets {
    typealias Keys = TeacherStudentModel.Keys

    /// One preset: d_in, N, d_out, η, γ and the number of steps (about 2.5 times the predicted t*_gen, or past t*_train
    /// where generalisation never comes).
    static func preset(_ name: String, _ summary: String, inputs: Int, samples: Int, outputs: Int = 1, eta: Double,
                       gamma: Double = 0, steps: Int) -> Preset {
        var settings: [(String, ConfigValue)] = [
            (Keys.inputs, .integer(inputs)), (Keys.samples, .integer(samples)), (Keys.outputs, .integer(outputs)),
            (Keys.testSamples, .integer(1000)), (Keys.learningRate, .number(eta)), (Keys.epsilon, .number(1e-3)),
            (RunControlKeys.steps, .integer(steps)), (RunControlKeys.metricsPerDecade, .integer(40)),
        ]
        if gamma > 0 { settings.append((Keys.gamma, .number(gamma))) }
        return Preset(name: name, model: TeacherStudentModel.modelName, summary: summary, settings: settings)
    }

    /// N = d_in / λ, rounded.
    static func samples(_ inputs: Int, ratio: Double) -> Int { Int((Double(inputs) / ratio).rounded()) }

    static var all: [Preset] {
        var result: [Preset] = []
        // Figure 1: d_out = 1, λ ∈ {0.1, 0.9, 1.5}.
        for (ratio, label, steps, smallSteps) in [(0.1, "0.1", 1_000, 150), (0.9, "0.9", 60_000, 10_000), (1.5, "1.5", 3_000, 600)] {
            let what = ratio > 1 ? "generalisation plateaus at 1 - 1/lambda" : "test accuracy reaches 95% after train accuracy"
            result.append(preset("levi2024-fig1-lambda\(label)", "Levi et al. 2024 Fig. 1: lambda=\(label), d_in=1000, eta=0.01; \(what)",
                                 inputs: 1000, samples: samples(1000, ratio: ratio), eta: 0.01, steps: steps))
            result.append(preset("levi2024-fig1-lambda\(label)-small", "small Fig. 1: lambda=\(label), d_in=100, eta=0.05, seconds",
                                 inputs: 100, samples: samples(100, ratio: ratio), eta: 0.05, steps: smallSteps))
        }
        // Figure 2: λ = 0.9, d_out ∈ {1, 50, 700} (small: d_out ∈ {1, 5, 20} at d_in = 100).
        for (outputs, steps) in [(1, 60_000), (50, 150_000), (700, 25_000)] {
            result.append(preset("levi2024-fig2-dout\(outputs)", "Levi et al. 2024 Fig. 2: lambda=0.9, d_out=\(outputs), d_in=1000, eta=0.01",
                                 inputs: 1000, samples: 1111, outputs: outputs, eta: 0.01, steps: steps))
        }
        for (outputs, steps) in [(1, 10_000), (5, 25_000), (20, 35_000)] {
            result.append(preset("levi2024-fig2-dout\(outputs)-small", "small Fig. 2: lambda=0.9, d_out=\(outputs), d_in=100, eta=0.05",
                                 inputs: 100, samples: 111, outputs: outputs, eta: 0.05, steps: steps))
        }
        // Figure 3: λ = 0.9, γ ∈ {1e-5, 1e-3, 1e-2}.
        for (gamma, label) in [(1e-5, "1e-5"), (1e-3, "1e-3"), (1e-2, "1e-2")] {
            result.append(preset("levi2024-fig3-gamma\(label)", "Levi et al. 2024 Fig. 3: lambda=0.9, gamma=\(label), d_in=1000, eta=0.01",
                                 inputs: 1000, samples: 1111, eta: 0.01, gamma: gamma, steps: 60_000))
            result.append(preset("levi2024-fig3-gamma\(label)-small", "small Fig. 3: lambda=0.9, gamma=\(label), d_in=100, eta=0.05",
                                 inputs: 100, samples: 111, eta: 0.05, gamma: gamma, steps: 10_000))
        }
        return result
    }
}

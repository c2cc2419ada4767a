import GrokSimCore

/// The constant-label model's presets: the figures of Beck, Levi and Bar-Sinai (2025) whose settings the science
/// notes give, the regimes their text describes (with the choices made where the paper's values are not known),
/// and small variants that run in seconds.
public enum ConstantLabelPresets {
    typealias Keys = ConstantLabelLogisticModel.Keys
    private static let model = ConstantLabelLogisticModel.modelName

    /// Every preset of the model.
    public static let all: [Preset] = figure4 + [
        Preset(name: "beck2025-fig4-small", model: model,
               summary: "seconds: Figure 4's two Gaussians (lambda = 0.4, mu = 0.2, sigma_B = 1, eta = 0.1, sigma_A = 0) at N = 100, d = 41, 20000 steps",
               settings: twoGaussians(n: 100, d: 41, sigmaA: 0, steps: 20_000)),
        Preset(name: "beck2025-fig5", model: model,
               summary: "Figure 5: Adam beta = (0.8, 0.9), lambda = 0.495, N = 4000 (d = 1980), sigma = 1; eta = 0.01 and 20000 steps are our choice "
                   + "(not in the notes); the LP on 4000 x 1980 is skipped unless theory = on",
               settings: [(Keys.n, .integer(4000)), (Keys.d, .integer(1980)), (Keys.nTest, .integer(4000)), (Keys.sigma, .number(1)),
                          (Keys.learningRate, .number(0.01)), ("optimizer", .string("adam")), ("adam_beta1", .number(0.8)),
                          ("adam_beta2", .number(0.9)), (RunControlKeys.steps, .integer(20_000))]),
        Preset(name: "beck2025-fig5-small", model: model,
               summary: "seconds: as beck2025-fig5 (Adam beta = (0.8, 0.9), lambda = 0.495, sigma = 1) at N = 200, d = 99, eta = 0.01, 2000 steps",
               settings: [(Keys.n, .integer(200)), (Keys.d, .integer(99)), (Keys.nTest, .integer(2000)), (Keys.sigma, .number(1)),
                          (Keys.learningRate, .number(0.01)), ("optimizer", .string("adam")), ("adam_beta1", .number(0.8)),
                          ("adam_beta2", .number(0.9)), (RunControlKeys.steps, .integer(2000)), (RunControlKeys.seed, .integer(1))]),
        Preset(name: "beck2025-edge", model: model,
               summary: "delayed generalisation just below the edge: lambda = 0.48 (N = 1000, d = 480), sigma = 10, GD eta = 0.1, 10^6 steps; "
                   + "the paper's Figure 1 values are not known: sigma = 10 makes the overfitting phase long and seed 3 draws a non-separable set",
               settings: reduced(n: 1000, d: 480, sigma: 10, steps: 1_000_000, seed: 3) + [(Keys.theory, .string("on"))]),
        Preset(name: "beck2025-edge-small", model: model,
               summary: "seconds: the slow climb of delayed generalisation at lambda = 0.48 (N = 100, d = 48), sigma = 10, GD eta = 0.1, "
                   + "20000 steps; seed 1 draws a non-separable set: train accuracy 1 from step ~200, test accuracy 0.75 at 10^3, 0.88 at "
                   + "10^4, 0.90 at the end; it crosses 0.95 only at step 8.9 x 10^4 (--set steps=200000: 0.96, about 80 s of CPU)",
               settings: reduced(n: 100, d: 48, sigma: 10, steps: 20_000, seed: 1)),
        Preset(name: "beck2025-separable", model: model,
               summary: "never generalises: lambda = 0.52 (N = 500, d = 260), sigma = 10, GD eta = 0.1, 10^5 steps; test accuracy tends to "
                   + "1/2[1 + erf(1/(sigma M sqrt 2))] (stored under /theory); sigma = 10 (our choice) puts that limit well below 1",
               settings: reduced(n: 500, d: 260, sigma: 10, steps: 100_000, seed: 0)),
        Preset(name: "beck2025-separable-small", model: model,
               summary: "seconds: lambda = 0.52 (N = 100, d = 52), sigma = 10, 20000 steps; seed 2 draws a separable set (margin 0.711), "
                   + "whose test accuracy tends to 1/2[1 + erf(1/(sigma M sqrt 2))] = 0.556 (at the end: population 0.547, test 0.534)",
               settings: reduced(n: 100, d: 52, sigma: 10, steps: 20_000, seed: 2)),
        Preset(name: "beck2025-toy", model: model,
               summary: "seconds: the 1-D toy model x1 = -sigma, x2 = sigma (1 - 2 lambda) at lambda = 0.45, sigma = 1, exponential loss, eta = 0.5, 10^6 steps",
               settings: [(Keys.task, .string(ConstantLabelTask.toy1D.rawValue)), (Keys.toyLambda, .number(0.45)), (Keys.sigma, .number(1)),
                          (Keys.loss, .string("exponential")), (Keys.nTest, .integer(2000)), (Keys.learningRate, .number(0.5)),
                          (RunControlKeys.steps, .integer(1_000_000))]),
    ]

    /// Figure 4: the two-Gaussian problem at lambda = 0.4, one preset per sigma_A. N = 1000 (d = 401, so the
    /// reduced problem has lambda = 0.4 exactly) and 10^6 steps are our choice: the notes do not give them.
    private static let figure4: [Preset] = [(0.0, "0"), (0.01, "001"), (0.05, "005"), (0.1, "01")].map { sigmaA, tag in
        Preset(name: "beck2025-fig4-sa\(tag)", model: model,
               summary: "Figure 4: two Gaussians, lambda = 0.4, mu = 0.2, sigma_B = 1, eta = 0.1, sigma_A = \(sigmaA); N = 1000 (d = 401) "
                   + "and 10^6 steps are our choice",
               settings: twoGaussians(n: 1000, d: 401, sigmaA: sigmaA, steps: 1_000_000) + [(Keys.theory, .string("on"))])
    }

    private static func twoGaussians(n: Int, d: Int, sigmaA: Double, steps: Int) -> [(String, ConfigValue)] {
        [(Keys.task, .string(ConstantLabelTask.twoGaussians.rawValue)), (Keys.n, .integer(n)), (Keys.d, .integer(d)),
         (Keys.nTest, .integer(2000)), (Keys.mu, .number(0.2)), (Keys.sigmaB, .number(1)), (Keys.sigmaA, .number(sigmaA)),
         (Keys.learningRate, .number(0.1)), (RunControlKeys.steps, .integer(steps))]
    }

    private static func reduced(n: Int, d: Int, sigma: Double, steps: Int, seed: Int) -> [(String, ConfigValue)] {
        [(Keys.n, .integer(n)), (Keys.d, .integer(d)), (Keys.nTest, .integer(2000)), (Keys.sigma, .number(sigma)),
         (Keys.learningRate, .number(0.1)), (RunControlKeys.steps, .integer(steps)), (RunControlKeys.seed, .integer(seed))]
    }
}

import GrokSimCore
import GrokSimRun

extension DiagonalNetModel: BenchmarkableModel {
    public var benchmarkSuiteHelp: String {
        "lyu2024-fig1a-small (n=96, d=2000) and lyu2024-fig1a (n=256, d=10^5, the paper's size), in float64; numpy runs the same step with the ±1 data as float64."
    }

    public func benchmarkSuite() throws -> [(String, ExperimentConfig)] {
        try ["lyu2024-fig1a-small", "lyu2024-fig1a"].map { name in
            (name, try ConfigLoader.resolve(preset: try Preset.named(name), file: [], overrides: [("predictors", .boolean(false))]))
        }
    }

    /// No BLAS product: the step's kernels are the model's own tile loops.
    public func bareKernelSeconds<Scalar: BLASScalar>(_ simulation: Simulation<Scalar>, repetitions: Int) -> [Double]? { nil }

    public func numpyReference(_ config: ExperimentConfig) -> (script: String, arguments: [String])? {
        ("Tests/reference/numpy_diagonal_net.py", ["--n", "\(config.integer(Keys.n))", "--d", "\(config.integer(Keys.d))",
                                                   "--precision", config.precision.rawValue])
    }
}

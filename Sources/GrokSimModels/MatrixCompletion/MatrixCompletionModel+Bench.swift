import GrokSimCore
import GrokSimRun

extension MatrixCompletionModel: BenchmarkableModel {
    public var benchmarkSuiteHelp: String {
        "lyu2024-fig3-small (d=30, 20% observed) and lyu2024-fig3 (d=97, 5%, the paper's size), in float64; numpy runs the same step with a dense (G + G^T) U product."
    }

    public func benchmarkSuite() throws -> [(String, ExperimentConfig)] {
        try ["lyu2024-fig3-small", "lyu2024-fig3"].map { name in
            (name, try ConfigLoader.resolve(preset: try Preset.named(name), file: [], overrides: []))
        }
    }

    /// No BLAS product: the step's kernels are the model's own loops over the observed entries.
    public func bareKernelSeconds<Scalar: BLASScalar>(_ simulation: Simulation<Scalar>, repetitions: Int) -> [Double]? { nil }

    public func numpyReference(_ config: ExperimentConfig) -> (script: String, arguments: [String])? {
        ("Tests/reference/numpy_matrix_completion.py", ["--d", "\(config.integer(Keys.d))",
                                                        "--observed-fraction", "\(config.number(Keys.observedFraction))"])
    }
}

import GrokSimCore

/// What `groksim bench` may ask of a model: its fixed benchmark set, the bare kernels of one step, and its numpy reference.
public protocol BenchmarkableModel: Model {
    /// What `bench --suite` runs for this model, for `groksim bench --help`.
    var benchmarkSuiteHelp: String { get }
    /// Named configs of `bench --suite`.
    func benchmarkSuite() throws -> [(String, ExperimentConfig)]
    /// Seconds of the bare BLAS products of one training step on the simulation's own buffers, one entry per
    /// repetition (the speed limit a step is compared with), or nil when the model has none.
    func bareKernelSeconds<Scalar: BLASScalar>(_ simulation: Simulation<Scalar>, repetitions: Int) -> [Double]?
    /// The plain numpy reference of one step: the script (relative to the package root) and its arguments.
    func numpyReference(_ config: ExperimentConfig) -> (script: String, arguments: [String])?
}

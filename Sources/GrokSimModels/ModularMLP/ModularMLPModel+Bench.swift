import GrokSimCore
import GrokSimRun

extension ModularMLPModel: BenchmarkableModel {
    public var benchmarkSuiteHelp: String {
        "modadd-small (p=23, n=476, h=128) and lyu2024-fig2 (p=97, n=3763, h=1024: the paper's size), each with reduction exact and fast, in float64; the bare kernels are the step's three GEMMs of n x h x p, and numpy runs the same step."
    }

    public func benchmarkSuite() throws -> [(String, ExperimentConfig)] {
        try ["modadd-small", "lyu2024-fig2"].flatMap { name in
            try ["exact", "fast"].map { reduction in
                ("\(name) \(reduction)", try ConfigLoader.resolve(preset: try Preset.named(name), file: [],
                                                                 overrides: [(Keys.reduction, .string(reduction))]))
            }
        }
    }

    public func bareKernelSeconds<Scalar: BLASScalar>(_ simulation: Simulation<Scalar>, repetitions: Int) -> [Double]? {
        (simulation.shard as? ModularMLPShard<Scalar>)?.bareProductSeconds(repetitions: repetitions)
    }

    public func numpyReference(_ config: ExperimentConfig) -> (script: String, arguments: [String])? {
        ("Tests/reference/numpy_modular_mlp.py", ["--p", "\(config.integer(Keys.p))", "--hidden", "\(config.integer(Keys.hidden))",
                                                  "--train-fraction", "\(config.number(Keys.trainFraction))",
                                                  "--precision", config.precision.rawValue])
    }
}

import GrokSimCore
import GrokSimRun

extension XORReLUModel: BenchmarkableModel {
    public var benchmarkSuiteHelp: String {
        "small (n=100, p=2000, m=64), xu2024-fig1, large (n=1000, p=262144, m=64: 2 GiB of float64 data), fig1-reduced (xu2024-fig1 in the exact-reduced representation), fig1-p=n+2 (xu2024-fig1 explicit with p = n + 2, the size the reduced step should cost) and theorem-n200 (p = 1e12), each in float64 and float32. In the reduced representation the flops are counted with the training width k = min(p, 2+n) in place of p, and numpy runs that explicit size."
    }

    /// small (n=100, p=2000, m=64), xu2024-fig1, large (n=1000, p=262144, m=64: 2 GiB of float64 data),
    /// fig1-reduced, fig1-p=n+2 (the size a reduced step should cost) and theorem-n200, each in float64 and float32.
    public func benchmarkSuite() throws -> [(String, ExperimentConfig)] {
        func config(_ preset: String?, _ sets: [(String, ConfigValue)]) throws -> ExperimentConfig {
            try ConfigLoader.resolve(preset: try preset.map(Preset.named), file: [], overrides: [("model", .string(name))] + sets)
        }
        let paper = try config("xu2024-fig1", [])
        let narrowP = XORReLUSettings(paper).n + 2
        let base: [(String, ExperimentConfig)] = [
            ("small", try config(nil, [("n", .integer(100)), ("p", .integer(2000)), ("m", .integer(64)), ("n_test", .integer(100)),
                                       ("checkpoint_steps", .list([]))])),
            ("xu2024-fig1", paper),
            ("large-2GiB", try config(nil, [("n", .integer(1000)), ("p", .integer(262_144)), ("m", .integer(64)), ("n_test", .integer(100))])),
            ("fig1-reduced", try config("xu2024-fig1", [("representation", .string(Representation.exactReduced.rawValue))])),
            ("fig1-p=n+2", try config("xu2024-fig1", [("p", .integer(narrowP)), ("mu_norm", .number(XORReLUSettings(paper).resolvedMuNorm))])),
            ("theorem-n200", try config("theorem-n200", [])),
        ]
        return base.flatMap { name, config in
            Precision.allCases.map { precision in
                var variant = config
                variant.precision = precision
                return (name, variant)
            }
        }
    }

    /// The forward and backward GEMMs of one step, on buffers of the same shapes and the run's own data and weights.
    public func bareKernelSeconds<Scalar: BLASScalar>(_ simulation: Simulation<Scalar>, repetitions: Int) -> [Double]? {
        guard let network = simulation.shard as? TwoLayerReLUNetwork<Scalar> else { return nil }
        let n = network.train.count, k = network.trainDimension, width = network.gemmWidth
        let z = UnsafeMutableBufferPointer<Scalar>.allocate(capacity: n * width)
        z.initialize(repeating: 0)
        let product = UnsafeMutableBufferPointer<Scalar>.allocate(capacity: width * k)
        product.initialize(repeating: 0)
        defer {
            z.deallocate()
            product.deallocate()
        }
        let x = network.train.x, w = network.trainingBlock
        return (0..<repetitions).map { _ in
            let start = MonotonicClock.seconds()
            Scalar.gemm(transposeA: false, transposeB: true, rows: n, columns: width, inner: k, alpha: 1,
                        a: x.baseAddress!, lda: k, b: w.baseAddress!, ldb: k, beta: 0, c: z.baseAddress!, ldc: width)
            Scalar.gemm(transposeA: true, transposeB: false, rows: width, columns: k, inner: n, alpha: 1,
                        a: z.baseAddress!, lda: width, b: x.baseAddress!, ldb: k, beta: 0, c: product.baseAddress!, ldc: k)
            return MonotonicClock.seconds() - start
        }
    }

    /// Tests/reference/numpy_gd.py at the explicit size the training products touch (k = min(p, 2+n) when reduced).
    public func numpyReference(_ config: ExperimentConfig) -> (script: String, arguments: [String])? {
        let s = XORReLUSettings(config)
        return ("Tests/reference/numpy_gd.py", ["--n", "\(s.n)", "--p", "\(s.trainDimension)", "--m", "\(s.m)",
                                                "--precision", s.precision.rawValue])
    }
}

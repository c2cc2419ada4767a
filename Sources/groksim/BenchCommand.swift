import ArgumentParser
import Foundation
import GrokSimCore
import GrokSimMPI

/// `groksim bench`: time the training step against bare BLAS GEMMs of the same shapes, and report memory.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure time per training step, GFLOP/s, the fraction of bare-GEMM speed and peak memory.",
        discussion: """
        Runs the config's training step `--steps` times after `--warmup` steps (no run file is written) and
        reports the median. The lower bound of the work is 4*n*p*m flops a step (two GEMMs); the bare-GEMM
        time is measured in the same process on the same shapes, so the ratio says how much the step loses
        to everything that is not BLAS. Launch with mpirun to measure several ranks.
        """)

    @OptionGroup var experiment: ConfigOptions

    @Option(help: "Timed steps (the median is reported).")
    var steps = 10

    @Option(help: "Untimed steps before timing.")
    var warmup = 2

    @Option(help: ArgumentHelp("Also write the figures as JSON to this file.", valueName: "file.json"))
    var json: String?

    func validate() throws {
        guard steps >= 1, warmup >= 0 else { throw ValidationError("--steps must be >= 1 and --warmup >= 0") }
    }

    func run() throws {
        var config = try experiment.resolve()
        config.steps = max(config.steps, steps + warmup)
        let communicator = MPICommunicator()
        defer { communicator.finalize() }
        if communicator.size > config.m {
            throw CommandFailure("more ranks (\(communicator.size)) than neurons (m = \(config.m))")
        }
        BLAS.setThreads(config.blasThreads)
        let result: [String: Double]
        switch config.precision {
        case .float64: result = measure(Double.self, config: config, communicator: communicator)
        case .float32: result = measure(Float.self, config: config, communicator: communicator)
        }
        guard communicator.rank == 0 else { return }
        let flops = 4.0 * Double(config.n) * Double(config.p) * Double(config.m)
        let lines = [
            "config: n=\(config.n) p=\(config.p) m=\(config.m) n_test=\(config.nTest) \(config.precision.rawValue), "
                + "\(communicator.size) rank(s), \(config.blasThreads) BLAS thread(s) per rank",
            String(format: "time per training step (median of %d): %.5f s", steps, result["step_seconds"]!),
            String(format: "bare GEMM time for the same shapes:    %.5f s  (step / GEMM = %.3f)",
                   result["gemm_seconds"]!, result["step_seconds"]! / result["gemm_seconds"]!),
            String(format: "metrics evaluation (test forward + reductions): %.5f s", result["metrics_seconds"]!),
            String(format: "achieved: %.2f GFLOP/s against the 4*n*p*m = %.3g flop lower bound (bare GEMM: %.2f GFLOP/s)",
                   flops / result["step_seconds"]! / 1e9, flops, flops / result["gemm_seconds"]! / 1e9),
            "peak resident memory per rank: \(formatBytes(result["peak_rss_bytes_max_rank"]!)) (largest rank)",
        ]
        print(lines.joined(separator: "\n"))
        if let json {
            var record = result
            record["ranks"] = Double(communicator.size)
            record["flops_per_step"] = flops
            let data = try JSONSerialization.data(withJSONObject: record, options: [.prettyPrinted, .sortedKeys])
            try data.write(to: URL(fileURLWithPath: json))
        }
    }

    private func measure<Scalar: BLASScalar>(_ type: Scalar.Type, config: ExperimentConfig,
                                             communicator: MPICommunicator) -> [String: Double] {
        let simulation = Simulation<Scalar>(config: config, communicator: communicator)
        for _ in 0..<warmup { _ = simulation.advance(recordMetrics: false) }
        var times: [Double] = []
        for _ in 0..<steps {
            let start = MonotonicClock.seconds()
            _ = simulation.advance(recordMetrics: false)
            times.append(MonotonicClock.seconds() - start)
        }
        let metricsStart = MonotonicClock.seconds()
        _ = simulation.metrics()
        let metricsSeconds = MonotonicClock.seconds() - metricsStart

        // The same two products on buffers of the same shapes, with nothing else around them.
        let n = config.n, p = config.p, width = simulation.network.localWidth
        let z = UnsafeMutableBufferPointer<Scalar>.allocate(capacity: n * width)
        z.initialize(repeating: 0)
        defer { z.deallocate() }
        let x = simulation.network.train.x, w = simulation.network.weights
        let product = UnsafeMutableBufferPointer<Scalar>.allocate(capacity: width * p)
        product.initialize(repeating: 0)
        defer { product.deallocate() }
        var gemmTimes: [Double] = []
        for _ in 0..<steps {
            let start = MonotonicClock.seconds()
            Scalar.gemm(transposeA: false, transposeB: true, rows: n, columns: width, inner: p, alpha: 1,
                        a: x.baseAddress!, lda: p, b: w.baseAddress!, ldb: p, beta: 0, c: z.baseAddress!, ldc: width)
            Scalar.gemm(transposeA: true, transposeB: false, rows: width, columns: p, inner: n, alpha: 1,
                        a: z.baseAddress!, lda: width, b: x.baseAddress!, ldb: p, beta: 0, c: product.baseAddress!, ldc: p)
            gemmTimes.append(MonotonicClock.seconds() - start)
        }
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let rss = Int64(usage.ru_maxrss) * 1024
        // Step time is the slowest rank's, as the all-reduce makes every rank wait for it.
        let stepMicros = communicator.allreduceMax(Int64(median(times) * 1e6))
        let gemmMicros = communicator.allreduceMax(Int64(median(gemmTimes) * 1e6))
        return [
            "step_seconds": Double(stepMicros) * 1e-6,
            "gemm_seconds": Double(gemmMicros) * 1e-6,
            "metrics_seconds": metricsSeconds,
            "peak_rss_bytes_max_rank": Double(communicator.allreduceMax(rss)),
        ]
    }

    private func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }

    private func formatBytes(_ bytes: Double) -> String {
        String(format: "%.1f MiB", bytes / 1048576)
    }
}

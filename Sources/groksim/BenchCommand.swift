import ArgumentParser
import Foundation
import GrokSimCore
import GrokSimMPI
import GrokSimRun

/// `groksim bench`: time the training step against bare BLAS GEMMs and plain numpy, and report memory.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure time per step, GFLOP/s, the fraction of bare-GEMM speed, numpy's speed and memory.",
        discussion: """
        Times the config's training step --steps times after --warmup steps (no run file is written) and reports \
        medians, with the model's flop count of a step. In the same process it times the model's bare BLAS kernels \
        of the same shapes (the BLAS limit) and a test evaluation, and, on rank 0 while the other ranks sleep, the \
        model's plain numpy reference of the same step (under Tests/reference) with as many BLAS threads as the job \
        has ranks, so the ratio is measured, not quoted. Memory, read once the configuration is set up: resident set \
        of the largest rank, and the proportional set size (PSS: shared pages split among the ranks sharing them) \
        summed over the ranks of rank 0's node.

        With --suite it runs every model's fixed set:
        \(ModelRegistry.models.compactMap { ($0 as? any BenchmarkableModel).map { "\($0.name): " + $0.benchmarkSuiteHelp } }.joined(separator: "\n"))
        `make bench` runs the suite on 1 rank and on all cores.
        """)

    @OptionGroup var experiment: ConfigOptions

    @Flag(help: "Run the fixed benchmark set instead of the given config.")
    var suite = false

    @Option(help: "Timed steps (the median is reported).")
    var steps = 10

    @Option(help: "Untimed steps before timing.")
    var warmup = 2

    @Option(help: ArgumentHelp("Append the records to this JSON file (an array); a file that is not one is refused unless --force.",
                               valueName: "file.json"))
    var json: String?

    @Flag(help: "With --json: replace a file that is not a JSON array.")
    var force = false

    @Option(help: ArgumentHelp("The numpy reference script ('default': the model's own, under Tests/reference; 'none' to skip it).",
                               valueName: "path"))
    var numpyReference = "default"

    func validate() throws {
        guard steps >= 1, warmup >= 0 else { throw ValidationError("--steps must be >= 1 and --warmup >= 0") }
    }

    /// The fixed configurations of `--suite`: every benchmarkable model's set.
    static func suiteConfigs() throws -> [(String, ExperimentConfig)] {
        try ModelRegistry.models.compactMap { $0 as? any BenchmarkableModel }.flatMap { try $0.benchmarkSuite() }
    }

    func run() throws {
        let configs = suite ? try Self.suiteConfigs() : [(experiment.preset ?? experiment.configFile ?? "default", try experiment.resolve())]
        // Checked before anything is measured, so a bad --json costs nothing.
        let earlier = try json.map(earlierRecords) ?? []
        let communicator = MPICommunicator()
        defer { communicator.finalize() }
        for (name, config) in configs {
            if let problem = JobChecks.rankCountProblem(config: config, ranks: communicator.size) {
                throw CommandFailure("\(problem) in '\(name)'")
            }
        }
        var records: [[String: Any]] = []
        if communicator.rank == 0 {
            print("groksim bench: \(communicator.size) rank(s), \(ProcessInfo.processInfo.activeProcessorCount) core(s), OpenBLAS kernel "
                  + "\(BLAS.coreName); medians of \(steps) steps after \(warmup) warm-up steps")
            if let warning = BLAS.kernelWarning() { print("warning: " + warning) }
            print(BenchTable.header)
        }
        for (name, config) in configs {
            var config = config
            config.steps = max(config.steps, steps + warmup)
            BLAS.setThreads(config.blasThreads)
            var record: [String: Any] = config.precision == .float64 ? measure(Double.self, config: config, communicator: communicator)
                                                                      : measure(Float.self, config: config, communicator: communicator)
            let model = ModelRegistry.model(of: config)
            // The simulation is gone; its shared data can go too before the next configuration.
            communicator.releaseSharedBuffers()
            record["config"] = name
            record["precision"] = config.precision.rawValue
            record["ranks"] = communicator.size
            record["model"] = model.name
            record["sizes"] = model.sizeSummary(config)
            for (name, value) in model.runAttributes(config) where !name.hasSuffix("description") { record[name] = value }
            record["flops_per_step"] = model.flopsPerStep(config)
            // numpy on rank 0 with one BLAS thread per rank of the job, while the other ranks sleep.
            if communicator.rank == 0 {
                let reference = (model as? any BenchmarkableModel)?.numpyReference(config)
                let numpy = NumpyReference.time(script: numpyReference == "default" ? reference?.script : numpyReference,
                                                arguments: reference?.arguments ?? [], threads: communicator.size * config.blasThreads,
                                                steps: steps, warmup: warmup)
                record["numpy_step_seconds"] = numpy.seconds ?? NSNull()
                record["numpy_note"] = numpy.note
                print(BenchTable.row(record))
                records.append(record)
            }
            communicator.sleepingBarrier()
        }
        guard communicator.rank == 0 else { return }
        print(BenchTable.footer)
        if let json {
            let all = earlier + records
            let data = try JSONSerialization.data(withJSONObject: all, options: [.prettyPrinted, .sortedKeys])
            guard FileManager.default.createFile(atPath: json, contents: data) else {
                throw CommandFailure("cannot write '\(json)'")
            }
            print("records appended to \(json)")
        }
    }

    /// The records already in `path` (none when it does not exist); refuses a file that is not a JSON array unless --force.
    private func earlierRecords(_ path: String) throws -> [Any] {
        guard let data = FileManager.default.contents(atPath: path) else {
            if FileManager.default.fileExists(atPath: path) { throw CommandFailure("--json '\(path)' exists but cannot be read") }
            return []
        }
        if let existing = try? JSONSerialization.jsonObject(with: data) as? [Any] { return existing }
        if force { return [] }
        throw CommandFailure("--json '\(path)' exists and is not a JSON array of records; its contents would be lost "
                             + "(pass --force to replace it, or give another file)")
    }

    private func measure<Scalar: BLASScalar>(_ type: Scalar.Type, config: ExperimentConfig,
                                             communicator: MPICommunicator) -> [String: Any] {
        let simulation = Simulation<Scalar>(config: config, communicator: communicator)
        for _ in 0..<warmup { _ = simulation.advance(recordMetrics: false) }
        var times: [Double] = []
        for _ in 0..<steps {
            let start = MonotonicClock.seconds()
            _ = simulation.advance(recordMetrics: false)
            times.append(MonotonicClock.seconds() - start)
        }
        var metricsTimes: [Double] = []
        for _ in 0..<3 {
            let start = MonotonicClock.seconds()
            _ = simulation.metrics()
            metricsTimes.append(MonotonicClock.seconds() - start)
        }

        // The bare kernels of the step on buffers of the same shapes, with nothing else around them.
        let model = ModelRegistry.model(of: config)
        let gemmTimes = (model as? any BenchmarkableModel)?.bareKernelSeconds(simulation, repetitions: steps)
        let memory = ProcessMemory.current()
        // A step takes as long as the slowest rank: the all-reduce makes every rank wait for it.
        let stepMicros = communicator.allreduceMax(Int64(Quantiles.median(times) * 1e6))
        let gemmMicros = communicator.allreduceMax(Int64((gemmTimes.map { Quantiles.median($0) } ?? -1e-6) * 1e6))
        let metricsMicros = communicator.allreduceMax(Int64(Quantiles.median(metricsTimes) * 1e6))
        let largestRSS = communicator.allreduceMax(memory.residentBytes)
        let nodePSS = communicator.nodeSum(memory.proportionalBytes)
        return [
            "step_seconds": Double(stepMicros) * 1e-6,
            "gemm_seconds": gemmMicros < 0 ? NSNull() : Double(gemmMicros) * 1e-6,
            "metrics_seconds": Double(metricsMicros) * 1e-6,
            "rss_bytes_largest_rank": largestRSS,
            "node_pss_bytes": nodePSS,
            "blas_threads_per_rank": config.blasThreads,
        ]
    }
}

/// The benchmark's table, one row per configuration.
enum BenchTable {
    static let header = """
    config          prec     ranks  step [s]  GEMM [s]  step/GEMM  GFLOP/s  metrics [s]  numpy [s]  numpy/step  RSS/rank max   node PSS
    --------------  -------  -----  --------  --------  ---------  -------  -----------  ---------  ----------  -------------  ----------
    """
    static let footer = "GFLOP/s counts 4*n*k*m flops a step (k = p explicit, min(p, 2+n) reduced); numpy runs that explicit size "
        + "with one BLAS thread per rank of the job (equal cores)."

    static func row(_ record: [String: Any]) -> String {
        let step = record["step_seconds"] as! Double, gemm = record["gemm_seconds"] as? Double
        let flops = record["flops_per_step"] as! Double
        let numpy = record["numpy_step_seconds"] as? Double
        func cell(_ text: String, _ width: Int) -> String { text.padding(toLength: width, withPad: " ", startingAt: 0) }
        return [cell(record["config"] as! String, 14), cell(record["precision"] as! String, 7), cell("\(record["ranks"]!)", 5),
                cell(String(format: "%.4f", step), 8), cell(gemm.map { String(format: "%.4f", $0) } ?? "n/a", 8),
                cell(gemm.map { String(format: "%.3f", step / $0) } ?? "n/a", 9),
                cell(String(format: "%.1f", flops / step / 1e9), 7), cell(String(format: "%.4f", record["metrics_seconds"] as! Double), 11),
                cell(numpy.map { String(format: "%.4f", $0) } ?? "n/a", 9), cell(numpy.map { String(format: "%.2fx", $0 / step) } ?? "n/a", 10),
                cell(bytes(record["rss_bytes_largest_rank"] as! Int64), 13), bytes(record["node_pss_bytes"] as! Int64)]
            .joined(separator: "  ")
    }

    static func bytes(_ value: Int64) -> String {
        String(format: "%.0f MiB", Double(value) / 1_048_576)
    }
}

/// Runs the plain-numpy reference step of the same sizes.
enum NumpyReference {
    static func time(script: String?, arguments: [String], threads: Int, steps: Int, warmup: Int) -> (seconds: Double?, note: String) {
        guard let script, script != "none" else { return (nil, "skipped") }
        guard FileManager.default.fileExists(atPath: script) else { return (nil, "no script at \(script)") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script] + arguments + ["--steps", "\(steps)", "--warmup", "\(warmup)"]
        var environment = ProcessInfo.processInfo.environment
        for name in ["OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"] { environment[name] = "\(threads)" }
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            return (nil, "python3 failed to start: \(error)")
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0,
              let line = String(data: data, encoding: .utf8)?.split(separator: "\n").last,
              let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
              let seconds = object["step_seconds"] as? Double else {
            return (nil, "numpy reference failed (is numpy installed?)")
        }
        return (seconds, "numpy \(object["numpy"] ?? "?") with \(threads) BLAS thread(s)")
    }
}

/// This process's memory now: resident set, and proportional set size (shared pages split among sharers).
///
/// Read from /proc/self/smaps_rollup after each configuration is set up, so that one configuration's
/// figures do not include the previous one's peak (as getrusage's maximum would).
struct ProcessMemory {
    var residentBytes: Int64
    var proportionalBytes: Int64

    static func current() -> ProcessMemory {
        var memory = ProcessMemory(residentBytes: 0, proportionalBytes: 0)
        guard let text = try? String(contentsOfFile: "/proc/self/smaps_rollup", encoding: .utf8) else { return memory }
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count >= 2, let kib = Int64(fields[1]) else { continue }
            if fields[0] == "Rss:" { memory.residentBytes = kib * 1024 }
            if fields[0] == "Pss:" { memory.proportionalBytes = kib * 1024 }
        }
        return memory
    }
}

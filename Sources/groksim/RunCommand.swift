import ArgumentParser
import Foundation
import GrokSimCore
import GrokSimHDF5
import GrokSimMPI
import GrokSimRun

/// `groksim run`: train one experiment, sharding the neurons over the MPI ranks, and write its run file.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Train one experiment and write its HDF5 run file (launch with mpirun or srun to shard the model's width).",
        discussion: """
        The config is built from the defaults, then --preset, then the config file, then each --set.
        The key 'model' chooses the model (default: \(ModelRegistry.defaultModel.name)); each model has its own keys, listed below.
        Rank 0 writes the run file: metrics on the metrics schedule, parameter checkpoints at checkpoint_steps,
        every checkpoint_every steps and at the last step. Results are identical for any number of ranks.
        Each checkpoint is its own file in file.h5.checkpoints/ (linked from the run file); on SIGTERM or
        SIGUSR1 the run finishes its step, writes a checkpoint and exits 0: continue with 'groksim resume'.

        \(ConfigOptions.keysHelp)

        Examples:
          groksim run --preset small --out runs/small.h5
          mpirun -n 2 groksim run --preset xu2024-fig1 --set seed=3 --out runs/fig1-seed3.h5
        """)

    @OptionGroup var experiment: ConfigOptions

    @Option(name: .shortAndLong, help: ArgumentHelp("Run file to write (HDF5).", valueName: "file.h5"))
    var out: String

    @Flag(help: "Overwrite the run file if it exists.")
    var force = false

    @Flag(help: "Also store the sampled training and test data and the means under /data.")
    var saveData = false

    @Option(help: "Seconds between progress lines when stderr is not a terminal.")
    var progressInterval: Double = 10

    @Flag(name: .shortAndLong, help: "Print no progress and no summary table.")
    var quiet = false

    @Flag(help: "Remove a lock left by a writer that is gone (one on another host cannot be checked from here).")
    var breakLock = false

    @Option(help: ArgumentHelp("Run an ensemble of seeds A..B (inclusive) in this one job: --out is then an index file, "
                               + "with one run file per seed in <out>.seeds/. Stopped by SIGTERM/SIGUSR1 it checkpoints and exits 0; the same "
                               + "command again (or 'groksim resume <out>') finishes only what is missing; --force redoes every seed.",
                               valueName: "A..B"))
    var seeds: SeedRange?

    @Option(help: "Ranks that share one seed's neurons in an ensemble (default: 1 when there are at least as many seeds as ranks).")
    var ranksPerSeed: Int?

    func validate() throws {
        guard progressInterval.isFinite && progressInterval > 0 else {
            throw ValidationError("--progress-interval must be a positive number of seconds")
        }
        if ranksPerSeed != nil && seeds == nil { throw ValidationError("--ranks-per-seed needs --seeds") }
        if let ranksPerSeed, ranksPerSeed < 1 { throw ValidationError("--ranks-per-seed must be at least 1") }
    }

    func run() throws {
        if seeds != nil, experiment.overrides.contains(where: { $0.trimmingCharacters(in: .whitespaces).hasPrefix("seed=") || $0.hasPrefix("seed ") }) {
            throw CommandFailure("--seeds and --set seed=... both choose the seed; give one of them")
        }
        if seeds != nil { StopSignal.install() }
        let config = try experiment.resolve()
        if let seeds {
            try EnsembleRun(config: config, seeds: seeds.seeds, ranksPerSeed: ranksPerSeed, out: out, force: force,
                            saveData: saveData, quiet: quiet, breakLock: breakLock).run()
            return
        }
        let communicator = MPICommunicator()
        defer { communicator.finalize() }
        // The lock comes first, so two jobs on one output cannot both pass the checks after it.
        let lock = JobChecks.lock(out, command: "run", breakLock: breakLock, communicator: communicator)
        defer { lock?.release() }
        try JobChecks.agree(communicator: communicator, config: config, output: out, overwrite: force)
        StopSignal.install()

        var options = RunOptions(outputPath: out)
        options.overwrite = force
        options.saveData = saveData
        options.progressInterval = progressInterval
        options.showProgress = !quiet
        options.softwareVersion = GrokSimVersion.string
        let model = ModelRegistry.model(of: config)
        if communicator.rank == 0 && !quiet {
            let lines = ["\(config.model) \(model.sizeSummary(config)) steps=\(config.steps) \(config.precision.rawValue) "
                         + "on \(communicator.size) rank(s) -> \(out)"] + model.bannerLines(config)
                + (BLAS.kernelWarning().map { ["warning: " + $0] } ?? [])
            FileHandle.standardError.write(Data(lines.map { "groksim: \($0)\n" }.joined().utf8))
        }
        let summary: RunSummary
        do {
            summary = try RunLauncher.run(config: config, communicator: communicator, options: options)
        } catch let error as DivergenceError {
            // Every rank detects divergence at the same step, so all can stop together.
            throw CommandFailure(error.description, code: 3)
        } catch {
            // Only rank 0 writes; its failure must end the ranks waiting in collectives.
            FileHandle.standardError.write(Data("groksim: error: \(ErrorLine.text(error))\n".utf8))
            JobChecks.abort(communicator, code: 1)
        }
        if let step = summary.stoppedAtStep {
            ResumeCommand.reportStop(step: step, runPath: out, communicator: communicator)
            return
        }
        if communicator.rank == 0 && !quiet {
            print(SummaryTable.render(model: model, steps: summary.steps, rows: summary.rows))
            print(String(format: "time per step: %.4f s on %d rank(s) (forward %.2f s, all-reduce %.2f s, backward %.2f s, metrics %.2f s); setup %.2f s",
                         summary.secondsPerStep, communicator.size, summary.timings.forward, summary.timings.allreduce,
                         summary.timings.backward, summary.timings.metrics, summary.setupSeconds))
            if summary.checkpointsWritten > 0 {
                print(String(format: "checkpoints: %d in %.2f s (%.3f s each: gather, write, fsync, rename)", summary.checkpointsWritten,
                             summary.checkpointSeconds, summary.checkpointSeconds / Double(summary.checkpointsWritten)))
            }
            print("run file: \(out)")
        }
    }
}

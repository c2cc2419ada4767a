import ArgumentParser
import Foundation
import GrokSimCore
import GrokSimHDF5
import GrokSimMPI
import GrokSimRun

/// `groksim resume`: continue a run from its latest complete checkpoint, on any number of ranks.
struct ResumeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resume",
        abstract: "Continue a run from its latest complete checkpoint (after a crash, a preemption or to train longer).",
        discussion: """
        Every checkpoint file in RUN.checkpoints/ is verified (format version, completeness, config, array
        shapes, second-layer weights); unusable ones are skipped with a warning. The run file is rebuilt from
        the chosen checkpoint (metric rows after it are dropped and recomputed) and atomically replaces the
        old one. The continuation is bit-identical to an uninterrupted run, on any number of ranks.

        --set accepts only keys that affect the future: \(ResumeKeys.futureForEveryModel.joined(separator: ", ")).

        Examples:
          mpirun -n 2 groksim resume runs/fig1.h5
          mpirun -n 4 groksim resume runs/fig1.h5 --until 4000
          groksim resume runs/fig1.h5 --steps 100 --set checkpoint_every=50
        """)

    @Argument(help: ArgumentHelp("The run file to continue.", valueName: "run.h5"))
    var runFile: String

    @Option(help: "Run this many more steps after the checkpoint (default: up to the run's 'steps').")
    var steps: Int?

    @Option(help: "Run up to this step (the new value of 'steps').")
    var until: Int?

    @Option(name: .customLong("set"), help: ArgumentHelp("Change a future-only config key, e.g. --set checkpoint_every=100 (repeatable).",
                                                      valueName: "key=value"))
    var overrides: [String] = []

    @Option(help: "Seconds between progress lines when stderr is not a terminal.")
    var progressInterval: Double = 10

    @Flag(name: .shortAndLong, help: "Print no progress and no summary table.")
    var quiet = false

    @Flag(help: "Remove a lock left by a writer that is gone (one on another host cannot be checked from here).")
    var breakLock = false

    func validate() throws {
        if steps != nil && until != nil { throw ValidationError("give either --steps or --until, not both") }
        guard progressInterval.isFinite && progressInterval > 0 else {
            throw ValidationError("--progress-interval must be a positive number of seconds")
        }
    }

    func run() throws {
        let sets: [(String, ConfigValue)]
        do { sets = try overrides.map(ConfigLoader.parseOverride) } catch let error as ConfigError {
            throw CommandFailure(error.description)
        }
        if EnsembleFile.isIndex(runFile) || SweepIndex.isIndex(runFile) {
            if steps != nil || until != nil || !sets.isEmpty {
                throw CommandFailure("--steps, --until and --set apply to one run file, not to the index '\(runFile)'")
            }
            StopSignal.install()
            try Self.resumeIndex(runFile, quiet: quiet, breakLock: breakLock)
            return
        }
        let communicator = MPICommunicator()
        defer { communicator.finalize() }
        JobChecks.stopTogether(communicator: communicator, problem: JobChecks.launchProblem(communicator: communicator))
        // Nothing is read before the lock is held: a live writer would change the files under the plan.
        let lock = FileManager.default.fileExists(atPath: runFile)
            ? JobChecks.lock(runFile, command: "resume", breakLock: breakLock, communicator: communicator) : nil
        defer { lock?.release() }

        // Rank 0 chooses the checkpoint and the config; every rank learns them as text.
        var plan: ResumePlan? = nil
        var message = ""
        if communicator.rank == 0 {
            do {
                let chosen = try ResumePlanner.plan(runPath: runFile, overrides: sets, moreSteps: steps, until: until)
                plan = chosen
                message = [chosen.nothingToDo ? "done" : "ok", chosen.checkpoint.path, String(chosen.checkpoint.step), String(chosen.checkpoint.wallTime.bitPattern),
                           ConfigLoader.render(chosen.config)].joined(separator: "\n")
            } catch {
                message = "error\n\(error)"
            }
        }
        message = communicator.broadcast(message)
        let lines = message.split(separator: "\n", maxSplits: 4, omittingEmptySubsequences: false).map(String.init)
        let nothingToDo = lines.first == "done"
        guard lines.first == "ok" || nothingToDo, lines.count == 5, let step = Int(lines[2]), let wallBits = UInt64(lines[3]) else {
            throw CommandFailure(lines.dropFirst().joined(separator: " "))
        }
        let checkpointPath = lines[1]
        let config: ExperimentConfig
        do { config = try ConfigLoader.parseResolved(lines[4], name: checkpointPath) } catch {
            throw CommandFailure("cannot read back the resume config: \(error)")
        }
        try JobChecks.agree(communicator: communicator, config: config, output: nil, overwrite: false)
        if nothingToDo {
            if communicator.rank == 0 && !quiet {
                print("\(runFile) is complete at step \(config.steps); nothing to do (the file is left as it is)")
            }
            return
        }
        if communicator.rank == 0 {
            for warning in plan!.warnings {
                FileHandle.standardError.write(Data("groksim: warning: skipping \(warning)\n".utf8))
            }
        }
        StopSignal.install()

        let info = plan?.checkpoint ?? Checkpoint.Info(path: checkpointPath, step: step, config: config, metrics: MetricRows(),
                                                       wallTime: Double(bitPattern: wallBits), saveData: false)
        if communicator.rank == 0 && !quiet {
            FileHandle.standardError.write(Data(("groksim: resuming \(runFile) from step \(step) (\(checkpointPath)) to step \(config.steps) "
                + "on \(communicator.size) rank(s)\n").utf8))
        }
        var options = RunOptions(outputPath: runFile)
        options.progressInterval = progressInterval
        options.showProgress = !quiet
        options.softwareVersion = GrokSimVersion.string
        let history = RunLauncher.ResumeHistory(created: plan?.created, runID: plan?.runID, resumedAtSteps: plan?.resumedAtSteps ?? [],
                                                linkedSteps: plan?.linkedSteps ?? [])
        let summary: RunSummary
        do {
            summary = try RunLauncher.resume(config: config, communicator: communicator, options: options, checkpoint: info,
                                             history: history, agree: { JobChecks.stopTogether(communicator: communicator, problem: $0) })
        } catch let error as DivergenceError {
            throw CommandFailure(error.description, code: 3)
        } catch {
            FileHandle.standardError.write(Data("groksim: error: \(ErrorLine.text(error))\n".utf8))
            JobChecks.abort(communicator, code: 1)
        }
        if let stopped = summary.stoppedAtStep {
            Self.reportStop(step: stopped, runPath: runFile, communicator: communicator)
            return
        }
        if communicator.rank == 0 && !quiet {
            print(SummaryTable.render(model: ModelRegistry.model(of: config), steps: summary.steps, rows: summary.rows))
            print(String(format: "time per step: %.4f s on %d rank(s); resumed from step %d", summary.secondsPerStep, communicator.size, step))
            print("run file: \(runFile)")
        }
    }

    /// Finishes what is missing of an ensemble or a sweep from its index, on any number of ranks.
    static func resumeIndex(_ index: String, quiet: Bool, breakLock: Bool) throws {
        if EnsembleFile.isIndex(index) {
            let plan: (seeds: [UInt64], config: ExperimentConfig, ranksPerSeed: Int, created: String?)
            do { plan = try EnsembleFile.readPlan(path: index) } catch { throw CommandFailure("\(error)") }
            let size = LaunchEnvironment.worldSize
            // The stored group size when it divides this job's ranks, else one rank per seed.
            let perSeed = size % plan.ranksPerSeed == 0 ? plan.ranksPerSeed : 1
            try EnsembleRun(config: plan.config, seeds: plan.seeds, ranksPerSeed: perSeed, out: index, force: false, saveData: false,
                            quiet: quiet, breakLock: breakLock, resuming: true).run()
        } else {
            let stored: SweepIndex.Plan
            do { stored = try SweepIndex.readPlan(path: index) } catch { throw CommandFailure("\(error)") }
            let size = LaunchEnvironment.worldSize
            let perRun = size % stored.ranksPerRun == 0 ? stored.ranksPerRun : 1
            try SweepRun(spec: stored.spec, out: index, ranksPerRun: perRun, force: false, quiet: quiet, breakLock: breakLock).run()
        }
    }

    /// The message after a stop signal: where the checkpoint is and the command that continues.
    static func reportStop(step: Int, runPath: String, communicator: MPICommunicator) {
        guard communicator.rank == 0 else { return }
        let launcher = communicator.size > 1 ? "mpirun -n \(communicator.size) " : ""
        FileHandle.standardError.write(Data(("groksim: stopped on a signal after step \(step); checkpoint "
            + "\(Checkpoint.directory(ofRun: runPath))/\(Checkpoint.fileName(step: step)) written. "
            + "Continue with: \(launcher)groksim resume \(runPath)\n").utf8))
    }
}

import Foundation
import GrokSimCore
import GrokSimHDF5

/// How `RunDriver` writes and reports a run.
public struct RunOptions: Sendable {
    public var outputPath: String
    public var overwrite = false
    public var saveData = false
    /// Seconds between progress lines when stderr is not a terminal.
    public var progressInterval = 10.0
    public var showProgress = true
    public var softwareVersion = "unknown"
    /// Take the run file's one-writer lock here (ensembles' seeds; single runs take it before their checks).
    public var lockRun = false

    public init(outputPath: String) {
        self.outputPath = outputPath
    }
}

/// What a finished run reports back to the command line.
public struct RunSummary: Sendable {
    /// Metric rows recorded, with their steps.
    public var steps: [Int] = []
    public var rows: [[Double]] = []
    public var timings = PhaseTimings()
    public var secondsPerStep = 0.0
    public var setupSeconds = 0.0
    /// Set when a stop signal (SIGTERM, SIGUSR1) ended the run early with a checkpoint at this step.
    public var stoppedAtStep: Int? = nil
    /// Checkpoints written by this session and the wall-clock seconds they took (gather, write, fsync, rename).
    public var checkpointsWritten = 0
    public var checkpointSeconds = 0.0
}

/// Where a resumed run starts: a verified checkpoint, the rows before it, and this rank's parameters.
public struct ResumeStart<Scalar: BLASScalar & HDF5Scalar> {
    public let checkpoint: Checkpoint.Info
    /// This rank's parameters in the canonical local layout, and the Adam moments (empty without them).
    public let localParameters: [Scalar]
    public var firstMoment: [Double] = []
    public var secondMoment: [Double] = []
    /// Root attributes of the old run file worth keeping, when it could be read.
    public var created: String? = nil
    /// The run's identity, kept across resumes (nil for files written before run identities existed).
    public var runID: String? = nil
    public var resumedAtSteps: [Int] = []
    /// Steps of the checkpoint files found valid, to link from the rebuilt run file.
    public var linkedSteps: [Int] = []

    public init(checkpoint: Checkpoint.Info, localParameters: [Scalar]) {
        self.checkpoint = checkpoint
        self.localParameters = localParameters
    }
}

/// A run stopped because the model's outputs stopped being finite numbers.
public struct DivergenceError: Error, CustomStringConvertible {
    public let step: Int
    public let learningRateKey: String
    public var description: String {
        "training diverged: the model output is not finite at step \(step); try a smaller \(learningRateKey) (the run file keeps the steps before)"
    }
}

/// Runs one experiment on this rank: the simulation, the schedules, and (on rank 0) the run file and progress.
///
/// Every rank executes the same sequence of collectives; only rank 0 touches the file. An error on rank 0
/// while writing is thrown to the caller, which must abort the whole job (the other ranks are inside
/// collectives and would wait forever otherwise).
public final class RunDriver<Scalar: BLASScalar & HDF5Scalar> {
    public let config: ExperimentConfig
    public let communicator: Communicator
    public let options: RunOptions

    public init(config: ExperimentConfig, communicator: Communicator, options: RunOptions) {
        self.config = config
        self.communicator = communicator
        self.options = options
    }

    /// Trains from W^(0), or from a checkpoint when `resume` is given, up to `config.steps`.
    public func run(resume: ResumeStart<Scalar>? = nil) throws -> RunSummary {
        let isRoot = communicator.rank == 0
        TestHooks.rank = communicator.rank
        let setupStart = MonotonicClock.seconds()
        BLAS.setThreads(config.blasThreads)
        let simulation = Simulation<Scalar>(config: config, communicator: communicator)
        if let resume {
            simulation.restore(step: resume.checkpoint.step, parameters: resume.localParameters,
                               firstMoment: resume.firstMoment, secondMoment: resume.secondMoment)
        }
        let model = simulation.model
        let startStep = simulation.step
        var summary = RunSummary()
        summary.setupSeconds = MonotonicClock.seconds() - setupStart

        var runFile: RunFile? = nil
        let lock = isRoot && options.lockRun ? try RunLock(runPath: options.outputPath, command: "run --seeds") : nil
        defer { lock?.release() }
        if isRoot {
            if let resume {
                runFile = try RunFile(resuming: options.outputPath, from: resume.checkpoint, config: config, ranks: communicator.size,
                                      softwareVersion: options.softwareVersion, created: resume.created, runID: resume.runID,
                                      resumedAtSteps: resume.resumedAtSteps, linkedSteps: resume.linkedSteps)
            } else {
                runFile = try RunFile(creating: options.outputPath, overwrite: options.overwrite, config: config,
                                      ranks: communicator.size, softwareVersion: options.softwareVersion)
            }
            if resume?.checkpoint.saveData == true || (resume == nil && options.saveData) {
                try runFile!.writeData(simulation.shard.dataArrays())
            }
        }
        let progress = ProgressReporter(totalSteps: config.steps, startStep: startStep, interval: options.progressInterval,
                                        enabled: isRoot && options.showProgress)
        let trainIndex = model.metrics.index(of: model.progressMetrics.train.name)!
        let testIndex = model.metrics.index(of: model.progressMetrics.test.name)!
        let trainingStart = MonotonicClock.seconds()
        let wallOffset = resume?.checkpoint.wallTime ?? 0
        func wallTime() -> Double { wallOffset + MonotonicClock.seconds() - trainingStart }

        func record(_ step: Int, _ row: [Double]) throws {
            guard isRoot else { return }
            try runFile!.appendMetrics(step: step, values: row, wallTime: wallTime())
            progress.record(trainAccuracy: row[trainIndex], testAccuracy: row[testIndex])
        }

        // A Langevin schedule: GD until the loss target, then the sampling phases; the run ends with the last phase.
        let schedule = simulation.dynamics.settings.schedule
        var sampling = resume?.checkpoint.sampling
        if schedule != nil, resume != nil {
            // Only rank 0 read the checkpoint file; the others learn where sampling started from it.
            let start = communicator.allreduceMax(isRoot ? Int64(sampling?.step ?? -1) : -1)
            let reached = communicator.allreduceMax(isRoot && sampling?.targetReached == true ? 1 : 0)
            sampling = start < 0 ? nil : Checkpoint.SamplingStart(step: Int(start), targetReached: reached == 1)
        }
        if let schedule { runFile?.phases = (schedule, sampling) }
        var endStep: Int {
            guard let schedule, let sampling else { return config.steps }
            return min(config.steps, schedule.end(samplingStart: sampling.step))
        }
        func isMetricsStep(_ step: Int) -> Bool {
            guard let schedule, let sampling, step >= sampling.step else { return config.isMetricsStep(step) }
            return schedule.isSamplingMetricsStep(step, samplingStart: sampling.step)
        }

        var lastCheckpoint = resume?.checkpoint.step ?? -1
        func checkpoint(_ step: Int, force: Bool = false) throws {
            guard force || config.isCheckpointStep(step), step != lastCheckpoint else { return }
            TestHooks.crashPoint("checkpoint-gather", step: step)
            let start = MonotonicClock.seconds()
            let parameters = simulation.gatherParameters()
            let state = simulation.gatherOptimizerState()
            if isRoot {
                try runFile!.writeCheckpoint(step: step, parameters: parameters!, optimizerState: state, wallTime: wallTime(),
                                             sampling: sampling)
            }
            lastCheckpoint = step
            summary.checkpointsWritten += 1
            summary.checkpointSeconds += MonotonicClock.seconds() - start
        }

        func finish(status: String) throws {
            summary.timings = simulation.timings
            let done = simulation.step - startStep
            summary.secondsPerStep = (summary.timings.forward + summary.timings.allreduce + summary.timings.backward) / Double(max(1, done))
            if isRoot {
                summary.steps = runFile!.metrics.steps
                summary.rows = runFile!.metrics.rows
                try runFile!.writeTimings(summary.timings, steps: done, checkpoints: summary.checkpointsWritten,
                                           checkpointSeconds: summary.checkpointSeconds)
                try runFile!.setStatus(status, stepsCompleted: simulation.step)
                try runFile!.close()
            }
        }

        if resume == nil { try checkpoint(0) }
        while simulation.step < endStep {
            let step = simulation.step
            TestHooks.crashPoint("step", step: step)
            if let schedule {
                // The switch depends on the all-reduced loss only, so every rank switches at the same step.
                if sampling == nil {
                    let loss = simulation.trainLoss()
                    if schedule.startsSampling(step: step, loss: loss) {
                        sampling = Checkpoint.SamplingStart(step: step, targetReached: loss < schedule.lossTarget)
                        runFile?.phases = (schedule, sampling)
                        // The parameters GD ended with, for analyses of the minimum (its Hessian).
                        try checkpoint(step, force: true)
                    }
                }
                simulation.dynamics.temperature = schedule.temperature(ofPhase: schedule.phase(of: step, samplingStart: sampling?.step))
            }
            let row = simulation.advance(recordMetrics: isMetricsStep(step))
            // Every rank holds the same outputs, so every rank stops here together.
            if !simulation.outputsAreFinite {
                if isRoot { try runFile!.setStatus("diverged", stepsCompleted: step) }
                throw DivergenceError(step: step, learningRateKey: model.learningRateKey)
            }
            if let row { try record(step, row) }
            try checkpoint(simulation.step, force: config.checkpointLast && simulation.step == endStep)
            progress.update(step: simulation.step)
            TestHooks.sleepPerStep()
            // A stop signal may reach one rank or all; one tiny all-reduce a step makes them agree.
            if simulation.step < endStep && communicator.allreduceMax(StopSignal.isPending ? 1 : 0) != 0 {
                TestHooks.crashPoint("stop-checkpoint", step: simulation.step)
                try checkpoint(simulation.step, force: true)
                summary.stoppedAtStep = simulation.step
                try finish(status: "stopped")
                return summary
            }
        }
        // The last step's weights have no update after them; measure them on their own.
        try record(endStep, simulation.metrics())
        if endStep < config.steps, let runFile {
            // The phases ended before the cap: the run's length is where they ended (so resume finds it complete).
            var finalConfig = config
            finalConfig.steps = endStep
            runFile.update(config: finalConfig)
        }
        try finish(status: "complete")
        return summary
    }
}

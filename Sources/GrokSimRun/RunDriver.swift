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
}

/// A run stopped because the network's outputs stopped being finite numbers.
public struct DivergenceError: Error, CustomStringConvertible {
    public let step: Int
    public var description: String {
        "training diverged: the network output is not finite at step \(step); try a smaller alpha (the run file keeps the steps before)"
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

    public func run() throws -> RunSummary {
        let isRoot = communicator.rank == 0
        let setupStart = MonotonicClock.seconds()
        BLAS.setThreads(config.blasThreads)
        let simulation = Simulation<Scalar>(config: config, communicator: communicator)
        var summary = RunSummary()
        summary.setupSeconds = MonotonicClock.seconds() - setupStart

        var runFile: RunFile? = nil
        if isRoot {
            runFile = try RunFile(creating: options.outputPath, overwrite: options.overwrite, config: config,
                                  ranks: communicator.size, softwareVersion: options.softwareVersion)
            try runFile!.writeSecondLayer(simulation.network.secondLayer)
            if options.saveData {
                try runFile!.writeData(train: simulation.network.train, test: simulation.network.test, muNorm: config.resolvedMuNorm)
            }
        }
        let metricSteps = Set(config.metricsSchedule)
        let checkpointSteps = Set(config.checkpointSchedule)
        let progress = ProgressReporter(totalSteps: config.steps, interval: options.progressInterval,
                                        enabled: isRoot && options.showProgress)
        let trainIndex = Metric.index(of: "train_accuracy")!, testIndex = Metric.index(of: "test_accuracy")!
        let trainingStart = MonotonicClock.seconds()

        func record(_ step: Int, _ row: [Double]) throws {
            guard isRoot else { return }
            summary.steps.append(step)
            summary.rows.append(row)
            try runFile!.appendMetrics(step: step, values: row, wallTime: MonotonicClock.seconds() - trainingStart)
            progress.record(trainAccuracy: row[trainIndex], testAccuracy: row[testIndex])
        }

        func checkpoint(_ step: Int) throws {
            guard checkpointSteps.contains(step) else { return }
            let weights = simulation.gatherWeights()
            if isRoot {
                try runFile!.writeCheckpoint(step: step, weights: weights!, m: config.m, p: config.p)
                try runFile!.setStatus("running", stepsCompleted: step)
            }
        }

        try checkpoint(0)
        while simulation.step < config.steps {
            let step = simulation.step
            let row = simulation.advance(recordMetrics: metricSteps.contains(step))
            // Every rank holds the same outputs, so every rank stops here together.
            if !simulation.trainOutputs.allSatisfy({ $0.isFinite }) {
                if isRoot { try runFile!.setStatus("diverged", stepsCompleted: step) }
                throw DivergenceError(step: step)
            }
            if let row { try record(step, row) }
            try checkpoint(simulation.step)
            progress.update(step: simulation.step)
        }
        // The last step's weights have no update after them; measure them on their own.
        try record(config.steps, simulation.metrics())
        summary.timings = simulation.timings
        summary.secondsPerStep = (summary.timings.forward + summary.timings.allreduce + summary.timings.backward)
            / Double(max(1, config.steps))
        if isRoot {
            try runFile!.writeTimings(summary.timings, steps: config.steps)
            try runFile!.setStatus("complete", stepsCompleted: config.steps)
            try runFile!.close()
        }
        return summary
    }
}

import ArgumentParser
import Foundation
import GrokSimCore
import GrokSimRun

/// The `groksim` command: simulate, record and inspect grokking and benign-overfitting experiments.
@main
struct GrokSim: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "groksim",
        abstract: "Simulate grokking and benign overfitting with each model's width sharded over MPI ranks.",
        discussion: """
        Typical use:
          groksim presets
          mpirun -n 2 groksim run --preset xu2024-fig1 --out runs/fig1.h5
          groksim summary runs/fig1.h5
        Run files are HDF5; open them with h5py, h5dump or HDFView (layout in README.md).
        """,
        version: GrokSimVersion.string,
        subcommands: [RunCommand.self, ResumeCommand.self, PresetsCommand.self, SummaryCommand.self, AnalyzeCommand.self,
                      PlotCommand.self, SweepCommand.self, CheckCommand.self, BenchCommand.self, MoveCommand.self, CopyCommand.self])

    /// Runs the command; under MPI only rank 0 prints a failure, so a bad input gives one line, not one per rank.
    static func main() {
        ModelRegistry.install(Models.all)
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let failure as CommandFailure {
            if LaunchEnvironment.isRankZero {
                FileHandle.standardError.write(Data("groksim: error: \(failure.description)\n".utf8))
            }
            exitOtherRanksLater(failure.code)
        } catch {
            if LaunchEnvironment.isRankZero {
                exit(withError: error)
            }
            exitOtherRanksLater(exitCode(for: error).rawValue)
        }
    }

    /// Exits; ranks other than 0 wait a moment first, because mpirun kills the whole job when the first
    /// rank exits non-zero, and rank 0 must have printed the one message by then.
    private static func exitOtherRanksLater(_ code: Int32) -> Never {
        RunLock.releaseAll()
        if !LaunchEnvironment.isRankZero && code != 0 { usleep(300_000) }
        Foundation.exit(code)
    }
}

/// The version written into run files and printed by `--version`.
enum GrokSimVersion {
    static let string = "0.1.0"
}

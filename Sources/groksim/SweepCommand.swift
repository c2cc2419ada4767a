import ArgumentParser
import Foundation
import GrokSimCore
import GrokSimRun

/// `groksim sweep`: every point × seed of a sweep file in one MPI job, resumable and preemptible.
struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Run every point x seed of a sweep file (TOML) in one MPI job and write one index file.",
        discussion: """
        The sweep file names a base config ([base]: preset, model, file, and a [base.set] table of overrides),
        the seeds per point (seeds = "0..9" or seeds = 10) and one or more axes ([[axis]] tables: key = "n" with
        values = [...], linspace = [first, last, count] or logspace = [first, last, count]; zipped keys vary
        together: keys = ["p", "n"], values = [[p1, n1], [p2, n2]]). Points are the product of the axes.

        Groups of --ranks-per-run ranks take the next unfinished run from a shared queue (costliest first), so
        points of very different cost keep every rank busy; the sweep reports the fraction of rank time idle.
        Run files go to <out>.runs/; the index (HDF5) holds the axes, one row per run with its config and status,
        and per-point medians and 20-80% bands over the seeds; 'groksim plot <out>' draws the phase diagrams.

        On SIGTERM or SIGUSR1 every group checkpoints and the job exits 0. The same command again, or
        'groksim resume <out>', finishes only what is missing, bit-identical to an uninterrupted sweep.
        --force redoes a sweep from scratch (its run files are removed).

        Example:
          mpirun -n 2 groksim sweep jobs/sweeps/beyond-sqrt-n.toml --out runs/beyond.h5
        """)

    @Argument(help: ArgumentHelp("The sweep file (TOML).", valueName: "sweep.toml"))
    var specFile: String

    @Option(name: .shortAndLong, help: ArgumentHelp("Index file to write (HDF5); run files go to <out>.runs/.", valueName: "index.h5"))
    var out: String

    @Option(help: "Ranks that share one run's width (the job's ranks must be a multiple of it).")
    var ranksPerRun: Int = 1

    @Flag(help: "Redo the sweep from scratch, removing its run files.")
    var force = false

    @Flag(name: .shortAndLong, help: "Print no per-run lines.")
    var quiet = false

    @Flag(help: "Remove a lock left by a writer that is gone (one on another host cannot be checked from here).")
    var breakLock = false

    func validate() throws {
        if ranksPerRun < 1 { throw ValidationError("--ranks-per-run must be at least 1") }
    }

    func run() throws {
        // First of all: a preemption during the parse and the setup must stop the job cleanly, not kill it.
        StopSignal.install()
        let spec: SweepSpec
        do { spec = try SweepSpec.load(path: specFile) } catch let error as ConfigError { throw CommandFailure(error.description) }
        try SweepRun(spec: spec, out: out, ranksPerRun: ranksPerRun, force: force, quiet: quiet, breakLock: breakLock).run()
    }
}

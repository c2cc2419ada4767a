import Foundation
import GrokSimCore
import GrokSimMPI
import GrokSimRun

/// Every point × seed of a sweep in one MPI job, through the shared queue (`QueueRunner`), with the index
/// rewritten as runs finish and once more, with the job's wall time and idle fraction, at the end.
struct SweepRun {
    let spec: SweepSpec
    let out: String
    let ranksPerRun: Int
    let force: Bool
    let quiet: Bool
    let breakLock: Bool

    static let lockCommand = "sweep"

    func run() throws {
        // Every rank resolves every config, so a bad sweep file stops all of them with the same one line.
        let runs: [QueuedRun]
        do { runs = try spec.runs(indexPath: out) } catch let error as ConfigError { throw CommandFailure(error.description) }
        let world = MPICommunicator()
        defer { world.finalize() }
        StopSignal.install()
        var problem: String? = nil
        if world.size % ranksPerRun != 0 {
            problem = "the number of ranks (\(world.size)) must be a multiple of --ranks-per-run (\(ranksPerRun))"
        }
        let lock = JobChecks.lock(out, command: Self.lockCommand, breakLock: breakLock, communicator: world)
        defer { lock?.release() }
        let manager = FileManager.default
        let directory = SweepSpec.runDirectory(for: out)
        let continuing = !force && (manager.fileExists(atPath: out) || manager.fileExists(atPath: directory))
        var created: String? = nil
        if problem == nil && world.rank == 0 && continuing && manager.fileExists(atPath: out) {
            if SweepIndex.isIndex(out), let stored = try? SweepIndex.readPlan(path: out),
               let storedRuns = try? stored.spec.runs(indexPath: out) {
                created = stored.created
                if storedRuns.map({ ConfigLoader.render($0.config) }) != runs.map({ ConfigLoader.render($0.config) }) {
                    problem = "'\(out)' is the index of another sweep (other points, seeds or base config); pass --force to redo it, "
                        + "or choose another --out"
                }
            } else {
                problem = "output '\(out)' already exists and is not a sweep index; pass --force to overwrite it"
            }
        }
        // The costliest point bounds the memory a group needs.
        let largest = runs.max { ModelRegistry.model(of: $0.config).flopsPerStep($0.config) < ModelRegistry.model(of: $1.config).flopsPerStep($1.config) }!
        try JobChecks.agree(communicator: world, config: largest.config, output: out, overwrite: force || continuing,
                            extraProblem: problem, ranksForMemory: ranksPerRun)
        func writeIndex(_ timing: (wall: Double, idle: Double)?) throws {
            try SweepIndex.write(path: out, spec: spec, runs: runs, ranks: world.size, ranksPerRun: ranksPerRun,
                                 softwareVersion: GrokSimVersion.string, created: created, timing: timing)
        }
        if world.rank == 0 {
            do {
                if force { try? manager.removeItem(atPath: directory) }
                try manager.createDirectory(atPath: directory, withIntermediateDirectories: true)
                for run in runs { RunLock.removeLeftOver(runPath: run.path, command: Self.lockCommand) }
                try writeIndex(nil)
            } catch {
                FileHandle.standardError.write(Data("groksim: error: preparing '\(out)': \(ErrorLine.text(error))\n".utf8))
                JobChecks.abort(world, code: 1)
            }
            if !quiet {
                FileHandle.standardError.write(Data(("groksim: sweep of \(spec.pointCount) point(s) x \(spec.seeds.count) seed(s) = \(runs.count) runs "
                    + "of \(largest.config.model), \(world.size / ranksPerRun) group(s) of \(ranksPerRun) rank(s) -> \(out)"
                    + (continuing ? " (continuing)" : "") + "\n").utf8))
            }
        }
        world.barrier()
        let runner = QueueRunner(runs: runs, ranksPerRun: ranksPerRun, lockCommand: Self.lockCommand, saveData: false, quiet: quiet,
                                 writeIndex: { _ in try writeIndex(nil) })
        let outcome = runner.run(world: world)
        guard world.rank == 0 else { return }
        do { try writeIndex(outcome.stopped ? nil : (outcome.wallSeconds, outcome.idleFraction)) } catch {
            FileHandle.standardError.write(Data("groksim: error: writing the index '\(out)': \(ErrorLine.text(error))\n".utf8))
            JobChecks.abort(world, code: 1)
        }
        let statuses = runs.map { RunQueue.status(of: $0) }
        let complete = statuses.filter { $0 == .complete }.count, diverged = statuses.filter { $0 == .diverged }.count
        if outcome.stopped {
            QueueRunner.reportStopped(complete: complete, of: runs.count, noun: "runs", world: world, index: out)
            return
        }
        if !quiet {
            print(String(format: "sweep of %d runs finished in %.1f s on %d rank(s); idle fraction %.3f; %d complete, %d diverged; index: %@",
                         runs.count, outcome.wallSeconds, world.size, outcome.idleFraction, complete, diverged, out))
        }
    }
}

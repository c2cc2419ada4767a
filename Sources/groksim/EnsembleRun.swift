import Foundation
import GrokSimCore
import GrokSimMPI
import GrokSimRun

/// Many seeds in one MPI job: a sweep with a single seed axis. Groups of ranks take the next unfinished seed
/// from the shared queue (`QueueRunner`), with the width sharded inside the group; the index is rewritten as
/// seeds finish. Stopped by SIGTERM/SIGUSR1, it checkpoints and exits 0; the same command again, or
/// `groksim resume INDEX`, finishes only what is missing.
struct EnsembleRun {
    let config: ExperimentConfig
    let seeds: [UInt64]
    let ranksPerSeed: Int?
    let out: String
    let force: Bool
    let saveData: Bool
    let quiet: Bool
    let breakLock: Bool
    /// Continue the index at `out` (groksim resume): it must exist.
    var resuming = false

    static let lockCommand = "run --seeds"

    func run() throws {
        let world = MPICommunicator()
        defer { world.finalize() }
        // Installed before any check, so a signal during setup is honoured too (at the first step boundary).
        StopSignal.install()
        let groupSize = ranksPerSeed ?? max(1, world.size / seeds.count)
        var problem: String? = nil
        if world.size % groupSize != 0 {
            problem = "the number of ranks (\(world.size)) must be a multiple of --ranks-per-seed (\(groupSize))"
        }
        let lock = JobChecks.lock(out, command: Self.lockCommand, breakLock: breakLock, communicator: world)
        defer { lock?.release() }
        let manager = FileManager.default
        let directory = EnsembleFile.seedDirectory(for: out)
        let continuing = !force && (manager.fileExists(atPath: out) || manager.fileExists(atPath: directory))
        var created: String? = nil
        if problem == nil && world.rank == 0 && continuing && manager.fileExists(atPath: out) {
            if EnsembleFile.isIndex(out), let stored = try? EnsembleFile.readPlan(path: out) {
                created = stored.created
                if stored.seeds != seeds || ConfigLoader.render(stored.config) != ConfigLoader.render(config) {
                    problem = "'\(out)' is the index of another ensemble (other seeds or config); pass --force to redo it, or choose another --out"
                }
            } else {
                problem = "output '\(out)' already exists and is not an ensemble index; pass --force to overwrite it"
            }
        }
        try JobChecks.agree(communicator: world, config: config, output: out, overwrite: force || continuing, extraProblem: problem,
                            ranksForMemory: groupSize)
        let groups = world.size / groupSize
        let runs = EnsembleFile.runs(path: out, seeds: seeds, config: config)
        func writeIndex() throws {
            try EnsembleFile.write(path: out, seeds: seeds, config: config, ranks: world.size, ranksPerSeed: groupSize,
                                   softwareVersion: GrokSimVersion.string, created: created)
        }
        if world.rank == 0 {
            do {
                if force { try? manager.removeItem(atPath: directory) }
                try manager.createDirectory(atPath: directory, withIntermediateDirectories: true)
                // This job holds the index lock: run locks of this command in the directory are left from a killed job.
                for run in runs { RunLock.removeLeftOver(runPath: run.path, command: Self.lockCommand) }
                // The index exists from the start, so `groksim resume INDEX` works after any stop.
                try writeIndex()
            } catch {
                FileHandle.standardError.write(Data("groksim: error: preparing '\(out)': \(ErrorLine.text(error))\n".utf8))
                JobChecks.abort(world, code: 1)
            }
            if !quiet {
                FileHandle.standardError.write(Data(("groksim: ensemble of \(seeds.count) seeds (\(seeds.first!)..\(seeds.last!)), "
                    + "\(groups) group(s) of \(groupSize) rank(s) -> \(out)" + (continuing ? " (continuing)" : "") + "\n").utf8))
            }
        }
        world.barrier()
        let runner = QueueRunner(runs: runs, ranksPerRun: groupSize, lockCommand: Self.lockCommand, saveData: saveData, quiet: quiet,
                                 writeIndex: { _ in try writeIndex() })
        let outcome = runner.run(world: world)
        guard world.rank == 0 else { return }
        do { try writeIndex() } catch {
            FileHandle.standardError.write(Data("groksim: error: writing the index '\(out)': \(ErrorLine.text(error))\n".utf8))
            JobChecks.abort(world, code: 1)
        }
        let statuses = runs.map { RunQueue.status(of: $0) }
        let complete = statuses.filter { $0 == .complete }.count, diverged = statuses.filter { $0 == .diverged }.count
        if outcome.stopped {
            QueueRunner.reportStopped(complete: complete, of: seeds.count, noun: "seeds", world: world, index: out)
            return
        }
        if diverged > 0 {
            FileHandle.standardError.write(Data("groksim: warning: \(diverged) of \(seeds.count) seeds diverged (status diverged in the index)\n".utf8))
        }
        if !quiet {
            print(String(format: "ensemble of %d seeds finished in %.1f s (idle fraction %.3f); index: %@", seeds.count,
                         outcome.wallSeconds, outcome.idleFraction, out))
        }
    }
}

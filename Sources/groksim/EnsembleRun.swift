import Foundation
import GrokSimCore
import GrokSimMPI
import GrokSimRun

/// Many seeds in one MPI job: the ranks split into groups, each group runs its seeds one after another
/// with the neurons sharded inside the group, and rank 0 writes the index file at the end.
struct EnsembleRun {
    let config: ExperimentConfig
    let seeds: SeedRange
    let ranksPerSeed: Int?
    let out: String
    let force: Bool
    let saveData: Bool
    let quiet: Bool
    let breakLock: Bool

    func run() throws {
        let world = MPICommunicator()
        defer { world.finalize() }
        let seedList = seeds.seeds
        let groupSize = ranksPerSeed ?? max(1, world.size / seedList.count)
        var problem: String? = nil
        if world.size % groupSize != 0 {
            problem = "the number of ranks (\(world.size)) must be a multiple of --ranks-per-seed (\(groupSize))"
        }
        if problem == nil && world.rank == 0 {
            let directory = EnsembleFile.seedDirectory(for: out)
            if FileManager.default.fileExists(atPath: directory) && !force {
                problem = "seed directory '\(directory)' already exists; pass --force to overwrite its run files"
            }
        }
        let lock = JobChecks.lock(out, command: "run --seeds", breakLock: breakLock, communicator: world)
        defer { lock?.release() }
        try JobChecks.agree(communicator: world, config: config, output: out, overwrite: force, extraProblem: problem,
                            ranksForMemory: groupSize)
        let groups = world.size / groupSize
        let groupIndex = world.rank / groupSize
        let group = world.split(color: groupIndex, key: world.rank)
        let directory = EnsembleFile.seedDirectory(for: out)
        if world.rank == 0 {
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            } catch {
                FileHandle.standardError.write(Data("groksim: error: cannot create '\(directory)': \(error.localizedDescription)\n".utf8))
                JobChecks.abort(world, code: 1)
            }
            if !quiet {
                FileHandle.standardError.write(Data(("groksim: ensemble of \(seedList.count) seeds (\(seeds.first)..\(seeds.last)), "
                    + "\(groups) group(s) of \(groupSize) rank(s) -> \(out)\n").utf8))
            }
        }
        world.barrier()
        let start = MonotonicClock.seconds()
        for (index, seed) in seedList.enumerated() where index % groups == groupIndex {
            var seedConfig = config
            seedConfig.seed = seed
            var options = RunOptions(outputPath: (directory as NSString).appendingPathComponent(EnsembleFile.seedFileName(seed)))
            options.overwrite = force
            options.saveData = saveData
            options.showProgress = false
            options.softwareVersion = GrokSimVersion.string
            options.lockRun = true
            do {
                let summary = try RunLauncher.run(config: seedConfig, communicator: group, options: options)
                let model = ModelRegistry.model(of: config)
                if group.rank == 0 && !quiet, let last = summary.rows.last {
                    let test = last[model.metrics.index(of: model.progressMetrics.test.name)!]
                    let train = last[model.metrics.index(of: model.progressMetrics.train.name)!]
                    FileHandle.standardError.write(Data(String(format: "groksim: seed %llu done at %.1f s: train %.3f, test %.3f\n",
                                                               seed, MonotonicClock.seconds() - start, train, test).utf8))
                }
            } catch {
                FileHandle.standardError.write(Data("groksim: error: seed \(seed): \(error)\n".utf8))
                JobChecks.abort(world, code: error is DivergenceError ? 3 : 1)
            }
        }
        group.free()
        world.barrier()
        if world.rank == 0 {
            do {
                try EnsembleFile.write(path: out, overwrite: force, seeds: seedList, config: config, ranks: world.size,
                                       ranksPerSeed: groupSize, softwareVersion: GrokSimVersion.string)
            } catch {
                FileHandle.standardError.write(Data("groksim: error: writing the index '\(out)': \(error)\n".utf8))
                JobChecks.abort(world, code: 1)
            }
            if !quiet {
                print(String(format: "ensemble of %d seeds finished in %.1f s; index: %@", seedList.count,
                             MonotonicClock.seconds() - start, out))
            }
        }
    }
}

import Foundation
import GrokSimCore
import GrokSimMPI
import GrokSimRun

/// Runs the queue of a sweep or an ensemble in one MPI job: the ranks split into groups of `ranksPerRun`,
/// each group claims the next unfinished run (see `RunQueue`), trains or resumes it with the width sharded
/// inside the group, and refreshes the index; on SIGTERM/SIGUSR1 every group checkpoints and stops.
struct QueueRunner {
    /// What the whole job did, the same on every rank.
    struct Outcome {
        var stopped = false
        var wallSeconds = 0.0
        /// Fraction of rank time (ranks × wall time) not spent inside runs.
        var idleFraction = 0.0
        var runsDone = 0
    }

    let runs: [QueuedRun]
    let ranksPerRun: Int
    /// The command named in each run's lock; left-over locks of this command are cleared at the start.
    let lockCommand: String
    let saveData: Bool
    let quiet: Bool
    /// Rewrites the index (atomically) on the calling rank; `final` at the end of the job, with its outcome.
    let writeIndex: (_ outcome: Outcome?) throws -> Void

    func run(world: MPICommunicator) -> Outcome {
        let start = MonotonicClock.seconds()
        let groupIndex = world.rank / ranksPerRun
        let group = world.split(color: groupIndex, key: world.rank)
        var busy = 0.0
        var stopped = false
        var runsDone = 0
        var lastWrite = -Double.infinity, lastWriteCost = 0.0
        for run in RunQueue.order(runs) {
            // A signal may reach one rank of the group or all of them: they agree before each claim.
            if group.allreduceMax(StopSignal.isPending ? 1 : 0) != 0 { stopped = true; break }
            var message = "skip"
            var lock: RunLock? = nil
            var plan: ResumePlan? = nil
            if group.rank == 0 {
                (message, lock, plan) = claim(run)
            }
            message = group.broadcast(message)
            let lines = message.split(separator: "\n", maxSplits: 4, omittingEmptySubsequences: false).map(String.init)
            if lines[0] == "skip" { continue }
            if lines[0] == "error" {
                if group.rank == 0 { FileHandle.standardError.write(Data("groksim: error: \(lines.dropFirst().joined(separator: " "))\n".utf8)) }
                JobChecks.abort(world, code: 2)
            }
            let runStart = MonotonicClock.seconds()
            var options = RunOptions(outputPath: run.path)
            options.overwrite = true
            options.saveData = saveData
            options.showProgress = false
            options.softwareVersion = GrokSimVersion.string
            var diverged = false
            var summary: RunSummary? = nil
            do {
                if lines[0] == "resume", lines.count == 5, let step = Int(lines[2]), let wallBits = UInt64(lines[3]) {
                    let info = plan?.checkpoint ?? Checkpoint.Info(path: lines[1], step: step, config: run.config, metrics: MetricRows(),
                                                                   wallTime: Double(bitPattern: wallBits), saveData: false)
                    let history = RunLauncher.ResumeHistory(created: plan?.created, runID: plan?.runID,
                                                            resumedAtSteps: plan?.resumedAtSteps ?? [], linkedSteps: plan?.linkedSteps ?? [])
                    summary = try RunLauncher.resume(config: run.config, communicator: group, options: options, checkpoint: info,
                                                     history: history, agree: { problem in
                        if !group.allAgree(problem == nil) {
                            if let problem { FileHandle.standardError.write(Data("groksim: error: \(problem)\n".utf8)) }
                            JobChecks.abort(world, code: 1)
                        }
                    })
                } else {
                    summary = try RunLauncher.run(config: run.config, communicator: group, options: options)
                }
            } catch let error as DivergenceError {
                // Every rank of the group sees the same outputs, so the whole group records it and goes on.
                diverged = true
                if group.rank == 0 && !quiet {
                    FileHandle.standardError.write(Data("groksim: \(label(run)) diverged at step \(error.step); recorded, the others go on\n".utf8))
                }
            } catch {
                FileHandle.standardError.write(Data("groksim: error: \(label(run)): \(ErrorLine.text(error))\n".utf8))
                JobChecks.abort(world, code: 1)
            }
            busy += MonotonicClock.seconds() - runStart
            lock?.release()
            runsDone += 1
            if group.rank == 0 && !quiet && !diverged && summary?.stoppedAtStep == nil, let last = summary?.rows.last {
                let model = ModelRegistry.model(of: run.config)
                let test = last[model.metrics.index(of: model.progressMetrics.test.name)!]
                let train = last[model.metrics.index(of: model.progressMetrics.train.name)!]
                FileHandle.standardError.write(Data(String(format: "groksim: %@ done at %.1f s: train %.3f, test %.3f\n",
                                                           label(run), MonotonicClock.seconds() - start, train, test).utf8))
            }
            if let step = summary?.stoppedAtStep {
                if group.rank == 0 && !quiet {
                    FileHandle.standardError.write(Data("groksim: \(label(run)) stopped on a signal after step \(step) with a checkpoint\n".utf8))
                }
                stopped = true
            }
            // Refreshing the index reads every finished run file: at most a tenth of this group's time goes to it.
            let now = MonotonicClock.seconds()
            if group.rank == 0 && (stopped || now - lastWrite >= 10 * lastWriteCost) {
                do { try writeIndex(nil) } catch {
                    FileHandle.standardError.write(Data("groksim: error: \(ErrorLine.text(error))\n".utf8))
                    JobChecks.abort(world, code: 1)
                }
                lastWrite = MonotonicClock.seconds()
                lastWriteCost = lastWrite - now
            }
            if stopped { break }
        }
        group.free()
        world.sleepingBarrier()
        var outcome = Outcome()
        outcome.wallSeconds = MonotonicClock.seconds() - start
        var totals: [Int64] = [Int64((busy * 1e6).rounded()), stopped ? 1 : 0, Int64(runsDone)]
        totals.withUnsafeMutableBufferPointer { world.allreduceSum($0) }
        outcome.stopped = totals[1] > 0
        outcome.runsDone = Int(totals[2])
        outcome.idleFraction = max(0, 1 - Double(totals[0]) / 1e6 / (Double(world.size) * max(outcome.wallSeconds, 1e-9)))
        return outcome
    }

    /// On a group's rank 0: takes the run's lock and decides what to do with it, as the text broadcast to the group
    /// ("skip", "fresh", "resume\npath\nstep\nwall-time bits\nconfig", "error\nmessage").
    /// Tells the user, after a stop signal, how far the job got and the command that continues it.
    static func reportStopped(complete: Int, of total: Int, noun: String, world: MPICommunicator, index: String) {
        let launcher = world.size > 1 ? "mpirun -n \(world.size) " : ""
        FileHandle.standardError.write(Data(("groksim: stopped on a signal: \(complete) of \(total) \(noun) complete, the others "
            + "checkpointed or pending. Continue with: \(launcher)groksim resume \(index)\n").utf8))
    }

    private func claim(_ run: QueuedRun) -> (String, RunLock?, ResumePlan?) {
        let lock: RunLock
        do {
            guard let taken = try RunLock.tryTake(runPath: run.path, command: lockCommand) else { return ("skip", nil, nil) }
            lock = taken
        } catch {
            return ("error\n\(error)", nil, nil)
        }
        switch RunQueue.status(of: run, checkLock: false) {
        case .complete, .diverged:
            lock.release()
            return ("skip", nil, nil)
        case .pending, .failed, .running:
            return ("fresh", lock, nil)
        case .stopped:
            // No usable checkpoint (killed before the first one): start again, which gives the same result.
            guard let plan = try? ResumePlanner.plan(runPath: run.path, overrides: [], moreSteps: nil, until: run.config.steps) else {
                return ("fresh", lock, nil)
            }
            guard ConfigLoader.render(plan.config) == ConfigLoader.render(run.config) else {
                lock.release()
                return ("error\n'\(run.path)' holds a run of another config than this job's; pass --force to redo every run, "
                        + "or choose another --out", nil, nil)
            }
            let checkpoint = plan.checkpoint
            return (["resume", checkpoint.path, String(checkpoint.step), String(checkpoint.wallTime.bitPattern),
                     ConfigLoader.render(plan.config)].joined(separator: "\n"), lock, plan)
        }
    }

    private func label(_ run: QueuedRun) -> String {
        ((run.path as NSString).lastPathComponent as NSString).deletingPathExtension
    }
}

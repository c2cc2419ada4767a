import Foundation
import GrokSimCore
import GrokSimMPI
import GrokSimRun

/// Checks made before any output exists, agreed by every rank so the job stops together with one message.
enum JobChecks {
    /// Throws the first problem found on any rank (printed by that rank only) or returns when all is well.
    /// `ranksForMemory`: ranks that share one run's neurons (fewer than the job's in an ensemble).
    /// With `output` nil (a resume), the output path is not checked.
    static func agree(communicator: MPICommunicator, config: ExperimentConfig, output: String?, overwrite: Bool,
                      extraProblem: String? = nil, ranksForMemory: Int? = nil) throws {
        // Collective, so every rank calls it whatever it has found so far.
        let onNode = communicator.ranksOnThisNode()
        var problem: String? = launchProblem(communicator: communicator) ?? extraProblem
        let ranks = ranksForMemory ?? communicator.size
        if problem == nil, let tooMany = rankCountProblem(config: config, ranks: ranks) { problem = tooMany }
        if problem == nil {
            let estimate = MemoryEstimate(config: config, ranks: ranks, ranksOnNode: onNode,
                                          dataCopies: max(1, (onNode + ranks - 1) / ranks))
            problem = estimate.problem(available: MemoryEstimate.availableBytes())
        }
        if problem == nil && communicator.rank == 0, let output {
            problem = outputProblem(output, overwrite: overwrite)
        }
        stopTogether(communicator: communicator, problem: problem)
    }

    /// Takes the one-writer lock of `runPath` on rank 0 (collective: every rank calls it); a held lock stops
    /// every rank with one line naming its holder. Returns the lock on rank 0, nil elsewhere.
    static func lock(_ runPath: String, command: String, breakLock: Bool, communicator: MPICommunicator) -> RunLock? {
        var lock: RunLock? = nil
        var problem: String? = nil
        if communicator.rank == 0 {
            problem = pathProblem(runPath)
            if problem == nil {
                do { lock = try RunLock(runPath: runPath, command: command, breakLock: breakLock) } catch {
                    problem = "\(error)"
                }
            }
        }
        stopTogether(communicator: communicator, problem: problem)
        return lock
    }

    /// Ends the whole job after a failure on some rank (MPI_Abort), removing the run locks this rank holds first.
    static func abort(_ communicator: MPICommunicator, code: Int32) -> Never {
        RunLock.releaseAll()
        // Alone, a rank has no one to take down: exit without MPI_Abort's banner after the one error line.
        if communicator.size == 1 && ProcessInfo.processInfo.environment["OMPI_COMM_WORLD_SIZE"].map({ $0 == "1" }) ?? true {
            // _exit: the HDF5 library's exit handler may fault on a file whose write failed.
            _exit(code)
        }
        communicator.abort(code: code)
    }

    /// Why `ranks` ranks cannot share one run of `config` (more ranks than the model's width), or nil.
    static func rankCountProblem(config: ExperimentConfig, ranks: Int) -> String? {
        let model = ModelRegistry.model(of: config)
        guard ranks > model.maximumRanks(config) else { return nil }
        return "more ranks (\(ranks)) than \(model.widthDescription(config)); run with at most that many ranks per run"
    }

    /// Returns when no rank has a problem; otherwise the lowest failing rank prints its problem and every
    /// rank exits with status 2.
    static func stopTogether(communicator: MPICommunicator, problem: String?) {
        // The lowest failing rank reports; everyone learns that someone failed.
        let failing = communicator.allreduceMax(problem == nil ? 0 : Int64(communicator.size - communicator.rank))
        if failing == 0 { return }
        let reporter = communicator.size - Int(failing)
        if communicator.rank == reporter, let problem {
            FileHandle.standardError.write(Data("groksim: error: \(problem)\n".utf8))
        }
        // mpirun kills the other ranks once one exits non-zero: the message must be out before anyone exits.
        communicator.barrier()
        RunLock.releaseAll()
        communicator.finalize()
        exit(2)
    }

    /// A launcher that started several tasks that MPI does not see as one job (srun without PMI support
    /// starts N independent copies of rank 0, each of which would write the same file).
    static func launchProblem(communicator: MPICommunicator) -> String? {
        let environment = ProcessInfo.processInfo.environment
        guard let text = environment["SLURM_STEP_NUM_TASKS"], let tasks = Int(text), tasks != communicator.size else {
            return nil
        }
        return "Slurm started \(tasks) tasks but MPI sees \(communicator.size) rank(s): srun is not connected to MPI; "
            + "launch with 'srun --mpi=pmix' (see 'srun --mpi=list') or use mpirun"
    }

    /// Why nothing can be written at `path` at all (its shape, its directory), or nil; checked before the lock.
    static func pathProblem(_ path: String) -> String? {
        let manager = FileManager.default
        if path.isEmpty { return "the output path is empty (an unset variable?); give a file name like run.h5" }
        if path.hasSuffix("/") { return "output '\(path)' ends in '/'; give a file name like run.h5" }
        let name = (path as NSString).lastPathComponent
        // The checkpoint directory adds ".checkpoints" and its temporary files more; NAME_MAX is 255 bytes.
        if (name + ".checkpoints.tmp").utf8.count > 255 {
            return "output file name '\(name.prefix(40))...' is too long for the file system (at most 239 bytes with the checkpoint directory's suffix)"
        }
        var isDirectory: ObjCBool = false
        if manager.fileExists(atPath: path, isDirectory: &isDirectory) {
            if isDirectory.boolValue { return "output '\(path)' is a directory; give a file name like run.h5" }
            return nil
        }
        let directory = (path as NSString).deletingLastPathComponent
        let parent = directory.isEmpty ? "." : directory
        if !manager.fileExists(atPath: parent, isDirectory: &isDirectory) || !isDirectory.boolValue {
            return "output directory '\(parent)' does not exist"
        }
        if !manager.isWritableFile(atPath: parent) { return "output directory '\(parent)' is not writable" }
        return creationProblem(nextTo: path)
    }

    /// Why the run file cannot be written at `path`, or nil.
    static func outputProblem(_ path: String, overwrite: Bool) -> String? {
        if let problem = pathProblem(path) { return problem }
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        if manager.fileExists(atPath: path) {
            if !overwrite { return "output '\(path)' already exists; pass --force to overwrite it" }
            if !manager.isWritableFile(atPath: path) { return "output '\(path)' exists and is not writable" }
        }
        let checkpoints = Checkpoint.directory(ofRun: path)
        if manager.fileExists(atPath: checkpoints, isDirectory: &isDirectory) && !isDirectory.boolValue {
            return "'\(checkpoints)' exists and is not a directory; move it away (it would hold the run's checkpoints)"
        }
        if !overwrite, let names = try? manager.contentsOfDirectory(atPath: checkpoints), names.contains(where: { $0.hasPrefix("step_") }) {
            return "checkpoint directory '\(checkpoints)' of an earlier run exists; pass --force to replace it"
                + (manager.fileExists(atPath: path) ? " or 'groksim resume \(path)'" : "")
        }
        return nil
    }

    /// Whether a file can really be created beside `path` (a writable-looking directory such as /proc may refuse):
    /// creates and removes a probe file.
    private static func creationProblem(nextTo path: String) -> String? {
        let probe = path + ".probe-\(getpid())"
        let descriptor = open(probe, O_CREAT | O_EXCL | O_WRONLY, 0o600)
        if descriptor < 0 {
            let reason = String(cString: strerror(errno))
            return "cannot create files next to '\(path)': \(reason)"
        }
        close(descriptor)
        unlink(probe)
        return nil
    }
}

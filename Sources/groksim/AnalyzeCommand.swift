import ArgumentParser
import Foundation
import GrokSimCore
import GrokSimRun

/// `groksim analyze`: the model's post-hoc analysis of a run or an ensemble, stored under /analysis.
struct AnalyzeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Compute a run's model-specific analysis (or every seed's of an ensemble) and store it under /analysis.",
        discussion: "What is computed depends on the run's model.\n\n" + ModelRegistry.models.compactMap { model in
            (model as? any AnalyzableModel).map { "Model \($0.name):\n" + $0.analysisHelp }
        }.joined(separator: "\n\n"))

    @Argument(help: ArgumentHelp("Run file, or ensemble index, written by 'groksim run'.", valueName: "file.h5"))
    var runFile: String

    @Option(help: ArgumentHelp("Checkpoint steps for pictures of the predictor, such as a decision-boundary grid (default: the model's choice).",
                               valueName: "t,t,..."))
    var boundarySteps: String?

    @Option(help: "Grid points per axis of the decision-boundary grid.")
    var grid = 101

    @Option(help: "Test accuracy that defines the grokking step.")
    var threshold = 0.95

    @Flag(help: "Recompute and replace an existing /analysis.")
    var force = false

    @Flag(help: "Remove a lock left by a writer that is gone (one on another host cannot be checked from here).")
    var breakLock = false

    func validate() throws {
        guard grid >= 2 && grid <= 2001 else { throw ValidationError("--grid must be in [2, 2001]") }
        guard threshold > 0 && threshold <= 1 else { throw ValidationError("--threshold must be in (0, 1]") }
        if let boundarySteps, parsedSteps(boundarySteps) == nil {
            throw ValidationError("--boundary-steps takes steps like 0,1,15")
        }
    }

    private func parsedSteps(_ text: String) -> [Int]? {
        let steps = text.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        return steps.contains(where: { $0 == nil || $0! < 0 }) || steps.isEmpty ? nil : steps.map { $0! }
    }

    func run() throws {
        // Launched under mpirun, every rank would rewrite the same file: only rank 0 analyses.
        guard LaunchEnvironment.isRankZero else { return }
        var options = AnalysisOptions()
        options.boundarySteps = boundarySteps.flatMap(parsedSteps)
        options.gridSize = grid
        options.grokThreshold = threshold
        options.overwrite = force
        do {
            let model = try RunFileReader.model(ofFile: runFile)
            // One writer per file: the run (or the index and every seed's run file) is locked while analysed.
            var locks = [try RunLock(runPath: runFile, command: "analyze", breakLock: breakLock)]
            if EnsembleFile.isIndex(runFile) {
                let (seeds, _, _, _) = try EnsembleFile.read(path: runFile)
                let directory = EnsembleFile.seedDirectory(for: runFile)
                for seed in seeds {
                    locks.append(try RunLock(runPath: (directory as NSString).appendingPathComponent(EnsembleFile.seedFileName(seed)),
                                             command: "analyze", breakLock: breakLock))
                }
            }
            defer { locks.forEach { $0.release() } }
            for lock in locks where !EnsembleFile.isIndex(lock.runPath) {
                let reader = try RunFileReader(path: lock.runPath)
                defer { try? reader.file.close() }
                try reader.checkCheckpointIdentity()
            }
            guard let analyzable = model as? any AnalyzableModel else {
                throw CommandFailure("model \"\(model.name)\" has no analysis yet; 'groksim summary' and 'groksim plot' show its metrics")
            }
            print(EnsembleFile.isIndex(runFile) ? try analyzable.analyzeEnsemble(indexPath: runFile, options: options)
                                                : try analyzable.analyze(runPath: runFile, options: options))
        } catch let error as RunFileError {
            throw CommandFailure(error.description)
        } catch let failure as CommandFailure {
            throw failure
        } catch {
            throw CommandFailure("\(runFile): \(error)")
        }
    }
}

import ArgumentParser
import Foundation
import GrokSimRun

/// `groksim analyze`: alignment, decision boundary, one-step agreement and grokking steps of a run.
struct AnalyzeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Compute a run's model-specific analysis (or every seed's of an ensemble) and store it under /analysis.",
        discussion: """
        What is computed depends on the run's model. For the XOR model (xor-relu):
        for every checkpoint: each neuron's projections <w_j, mu_k>/||mu||, norm and cosines; the mean
        alignment of positive neurons with +-mu1 and of negative neurons with +-mu2 (and the cross terms).
        The network output on a grid over span{mu1, mu2} at the chosen checkpoints (Figure 2 of the paper),
        the agreement at t = 1 between the network and sign(<sum_i y_i x_i, x>) on the test set, and the
        memorisation and grokking steps. See README.md for the datasets written. Weights are read in blocks.

        A second table, "theorem checks", measures the theorem's claims on the recorded metrics, per seed and
        (for an ensemble) over seeds: the lowest train accuracy over 1 <= t <= h = floor(sqrt(n)), the test
        accuracy at t = 1 overall and per cluster, the first step with test accuracy >= --threshold, the test
        accuracy at t = h and at the last step, how many clusters are below 1/2 at the last step, the one-step
        agreement, and the largest max_i g_i / min_i g_i over 1..h. It is stored under /analysis/theorem.
        """)

    @Argument(help: ArgumentHelp("Run file, or ensemble index, written by 'groksim run'.", valueName: "file.h5"))
    var runFile: String

    @Option(help: ArgumentHelp("Checkpoint steps for the decision-boundary grid (default: 0, 1 and the one nearest sqrt(n)).",
                               valueName: "t,t,..."))
    var boundarySteps: String?

    @Option(help: "Grid points per axis of the decision-boundary grid.")
    var grid = 101

    @Option(help: "Test accuracy that defines the grokking step.")
    var threshold = 0.95

    @Flag(help: "Recompute and replace an existing /analysis.")
    var force = false

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
        var options = AnalysisOptions()
        options.boundarySteps = boundarySteps.flatMap(parsedSteps)
        options.gridSize = grid
        options.grokThreshold = threshold
        options.overwrite = force
        do {
            let model = try RunFileReader.model(ofFile: runFile)
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

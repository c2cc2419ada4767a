import ArgumentParser
import Foundation
import GrokSimCore
import GrokSimRun

/// `groksim summary`: the accuracy table of a run file.
struct SummaryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "summary",
        abstract: "Print a run file's status and its accuracy table by step.")

    @Argument(help: ArgumentHelp("Run file written by 'groksim run'.", valueName: "file.h5"))
    var runFile: String

    func run() throws {
        if EnsembleFile.isIndex(runFile) {
            try summarizeEnsemble()
            return
        }
        do {
            let reader = try RunFileReader(path: runFile)
            let (steps, values) = try reader.metrics()
            print("run file: \(runFile)  status: \(reader.attribute("status") ?? "?")  ranks: \((try? reader.file.root.attribute("ranks", as: Int.self)).map(String.init) ?? "?")"
                  + "  representation: \(reader.attribute("representation") ?? "explicit")")
            print(SummaryTable.render(steps: steps, metrics: values))
        } catch let error as RunFileError {
            throw CommandFailure(error.description)
        }
    }

    /// Per-seed outcomes and the median over seeds by step.
    private func summarizeEnsemble() throws {
        do {
            let (seeds, steps, metrics) = try EnsembleFile.read(path: runFile)
            print("ensemble index: \(runFile)  seeds: \(seeds.count) (\(seeds.first!)..\(seeds.last!))")
            let median = metrics.mapValues { rows in
                steps.indices.map { column in Quantiles.median(rows.map { $0[column] }) }
            }
            print("median over seeds of:")
            print(SummaryTable.render(steps: steps, metrics: median))
            let test = metrics["test_accuracy"]!, train = metrics["train_accuracy"]!
            let grokked = test.filter { ($0.last ?? 0) >= 0.95 }.count
            print("seeds with final test accuracy >= 0.95: \(grokked) of \(seeds.count); final train accuracy 1.0: "
                  + "\(train.filter { $0.last == 1 }.count) of \(seeds.count)")
        } catch let error as RunFileError {
            throw CommandFailure(error.description)
        }
    }
}

import ArgumentParser
import Foundation
import GrokSimCore
import GrokSimRun
import GrokSimHDF5

/// `groksim summary`: the accuracy table of a run file.
struct SummaryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "summary",
        abstract: "Print a run file's status and its accuracy table by step.")

    @Argument(help: ArgumentHelp("Run file written by 'groksim run'.", valueName: "file.h5"))
    var runFile: String

    func run() throws {
        if SweepIndex.isIndex(runFile) {
            try summarizeSweep()
            return
        }
        if EnsembleFile.isIndex(runFile) {
            try summarizeEnsemble()
            return
        }
        do {
            let reader = try RunFileReader(path: runFile)
            let model = try RunFileReader.model(ofFile: runFile)
            let (steps, values) = try reader.metrics()
            let extras = model.runAttributes(try ConfigLoader.defaults(model: model.name)).map { name, _ in
                "  \(name): \(reader.attribute(name) ?? "?")"
            }.filter { !$0.contains("description") }.joined()
            print("run file: \(runFile)  model: \(model.name)  status: \(reader.attribute("status") ?? "?")  ranks: "
                  + "\((try? reader.file.root.attribute("ranks", as: Int.self)).map(String.init) ?? "?")" + extras)
            print(SummaryTable.render(model: model, steps: steps, metrics: values))
        } catch let error as RunFileError {
            throw CommandFailure(error.description)
        }
    }

    /// The state of a sweep's runs and each point's median of every summary quantity.
    private func summarizeSweep() throws {
        do {
            let plan = try SweepIndex.readPlan(path: runFile)
            let runs: [QueuedRun]
            do { runs = try plan.spec.runs(indexPath: runFile) } catch { throw RunFileError("\(error)") }
            let statuses = runs.map { RunQueue.status(of: $0) }
            let status = statuses.allSatisfy(\.isFinal) ? "complete" : "stopped"
            let model = ModelRegistry.model(of: runs[0].config)
            print("sweep index: \(runFile)  model: \(model.name)  status: \(status)  points: \(plan.spec.pointCount)  runs: \(runs.count), "
                  + RunStatus.allCases.map { state in "\(state.name) \(statuses.filter { $0 == state }.count)" }.joined(separator: ", "))
            let (quantities, summaries) = try SweepIndex.readSummaries(path: runFile)
            let header = ["point"] + plan.spec.axes.flatMap(\.keys) + quantities.map(\.name)
            print("median over complete seeds:")
            print(header.joined(separator: "\t"))
            for point in 0..<plan.spec.pointCount {
                let coordinates = plan.spec.overrides(of: point).map { "\($0.1)" }
                let values = quantities.map { String(format: "%.4g", summaries[$0.name]!.median[point]) }
                print(([String(point)] + coordinates + values).joined(separator: "\t"))
            }
        } catch let error as RunFileError {
            throw CommandFailure(error.description)
        }
    }

    /// Per-seed outcomes and the median over seeds by step.
    private func summarizeEnsemble() throws {
        do {
            let (seeds, steps, metrics, config) = try EnsembleFile.read(path: runFile)
            let model = ModelRegistry.model(of: config)
            let statuses = EnsembleFile.runs(path: runFile, seeds: seeds, config: config).map { RunQueue.status(of: $0) }
            // "stopped" while any seed is unfinished: what jobs/slurm.sbatch looks for to requeue.
            let status = statuses.allSatisfy(\.isFinal) ? "complete" : "stopped"
            print("ensemble index: \(runFile)  model: \(model.name)  status: \(status)  seeds: \(seeds.count) (\(seeds.first!)..\(seeds.last!)), "
                  + "complete \(statuses.filter { $0 == .complete }.count), diverged \(statuses.filter { $0 == .diverged }.count)")
            let median = metrics.mapValues { rows in
                steps.indices.map { column in Quantiles.median(rows.map { $0[column] }) }
            }
            print("median over seeds of:")
            print(SummaryTable.render(model: model, steps: steps, metrics: median))
            let test = metrics[model.progressMetrics.test.name]!, train = metrics[model.progressMetrics.train.name]!
            let grokked = test.filter { ($0.last ?? 0) >= 0.95 }.count
            print("seeds with final test accuracy >= 0.95: \(grokked) of \(seeds.count); final train accuracy 1.0: "
                  + "\(train.filter { $0.last == 1 }.count) of \(seeds.count)")
        } catch let error as RunFileError {
            throw CommandFailure(error.description)
        }
    }
}

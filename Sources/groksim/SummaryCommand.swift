import ArgumentParser
import Foundation
import GrokSimRun

/// `groksim summary`: the accuracy table of a run file.
struct SummaryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "summary",
        abstract: "Print a run file's status and its accuracy table by step.")

    @Argument(help: ArgumentHelp("Run file written by 'groksim run'.", valueName: "file.h5"))
    var runFile: String

    func run() throws {
        do {
            let reader = try RunFileReader(path: runFile)
            let (steps, values) = try reader.metrics()
            print("run file: \(runFile)  status: \(reader.attribute("status") ?? "?")  ranks: \((try? reader.file.root.attribute("ranks", as: Int.self)).map(String.init) ?? "?")")
            print(SummaryTable.render(steps: steps, metrics: values))
        } catch let error as RunFileError {
            throw CommandFailure(error.description)
        }
    }
}

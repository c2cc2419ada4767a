import ArgumentParser
import Foundation
import GrokSimHDF5
import GrokSimRun

/// `groksim plot`: the standard figures of a run file as SVG.
struct PlotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plot",
        abstract: "Write a run's figures as SVG: accuracy (train, flipped, test, per cluster), loss, weight norm, alignment.",
        discussion: "Every figure is plotted against t + 1 on a log axis, as in the paper's Figure 1, with the config as caption.")

    @Argument(help: ArgumentHelp("Run file written by 'groksim run'.", valueName: "file.h5"))
    var runFile: String

    @Option(name: .shortAndLong, help: ArgumentHelp("Directory for the SVG files (created if missing).", valueName: "dir"))
    var out: String

    @Flag(help: "Overwrite figures that already exist.")
    var force = false

    func run() throws {
        let reader: RunFileReader
        let steps: [Int], metrics: [String: [Double]]
        do {
            reader = try RunFileReader(path: runFile)
            (steps, metrics) = try reader.metrics()
        } catch let error as RunFileError {
            throw CommandFailure(error.description)
        }
        var config: [String: String] = [:]
        if let group = try? reader.file.root.openGroup("config") {
            for name in (try? group.attributeNames()) ?? [] {
                if let value = try? group.attribute(name, as: String.self) {
                    config[name] = value
                } else if let value = try? group.attribute(name, as: Double.self) {
                    config[name] = String(format: "%g", value)
                }
            }
        }
        let caption = RunFigures.caption(config: config, runName: (runFile as NSString).lastPathComponent)
        let figures = RunFigures.make(steps: steps, metrics: metrics, caption: caption)
        let manager = FileManager.default
        do {
            try manager.createDirectory(atPath: out, withIntermediateDirectories: true)
        } catch {
            throw CommandFailure("cannot create output directory '\(out)': \(error.localizedDescription)")
        }
        let paths = figures.map { (out as NSString).appendingPathComponent($0.fileName) }
        if !force, let existing = paths.first(where: { manager.fileExists(atPath: $0) }) {
            throw CommandFailure("figure '\(existing)' already exists; pass --force to overwrite it")
        }
        for (figure, path) in zip(figures, paths) {
            do {
                try figure.svg.write(toFile: path, atomically: true, encoding: .utf8)
            } catch {
                throw CommandFailure("cannot write '\(path)': \(error.localizedDescription)")
            }
            print(path)
        }
    }
}

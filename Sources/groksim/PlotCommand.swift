import ArgumentParser
import Foundation
import GrokSimCore
import GrokSimHDF5
import GrokSimRun

/// `groksim plot`: the standard figures of a run file as SVG.
struct PlotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plot",
        abstract: "Write a run's figures as SVG: the model's metric figures and, after 'groksim analyze', its analysis figures; "
            + "for a sweep index, its phase diagrams.",
        discussion: """
        Every figure of a run is plotted against t + 1 on a log axis, as in the paper's Figure 1, with the config as caption.
        For a sweep index (groksim sweep): each summary against the axis with its 20-80% band over seeds (one axis), or a
        heat map over the first two axes with the contour at mid-range and the lines where each of the model's theory
        conditions starts to hold (log10 coordinates on log-spaced axes), and histograms pooled over seeds.
        """)

    @Argument(help: ArgumentHelp("Run file written by 'groksim run', or an ensemble or sweep index.", valueName: "file.h5"))
    var runFile: String

    @Option(name: .shortAndLong, help: ArgumentHelp("Directory for the SVG files (created if missing).", valueName: "dir"))
    var out: String

    @Flag(help: "Overwrite figures that already exist.")
    var force = false

    func run() throws {
        // Launched under mpirun, every rank would write the same files at once: only rank 0 draws.
        guard LaunchEnvironment.isRankZero else { return }
        let name = (runFile as NSString).lastPathComponent
        var figures: [RunFigures.Figure] = []
        var note: String? = nil
        do {
            if SweepIndex.isIndex(runFile) {
                figures = try PhaseDiagrams.figures(indexPath: runFile)
            } else if EnsembleFile.isIndex(runFile) {
                let (seeds, steps, metrics, config) = try EnsembleFile.read(path: runFile)
                figures = RunFigures.ensembleFigures(model: ModelRegistry.model(of: config), steps: steps, metrics: metrics,
                                                     caption: "\(name): seeds \(seeds.first!)..\(seeds.last!); "
                                                         + Self.captionKeys(config, excluding: [RunControlKeys.seed]))
            } else {
                let reader = try RunFileReader(path: runFile)
                let (steps, metrics) = try reader.metrics()
                let model = try RunFileReader.model(ofFile: runFile)
                let config = try? ConfigLoader.parseResolved(reader.attribute("config") ?? "", name: runFile)
                let caption = "\(name): " + (config.map { Self.captionKeys($0) } ?? "")
                figures = RunFigures.make(model: model, steps: steps, metrics: metrics, caption: caption)
                let analysis = try (model as? any AnalyzableModel)?.analysisFigures(file: reader.file, caption: caption) ?? []
                if analysis.isEmpty && model is any AnalyzableModel { note = "no /analysis in \(runFile): run 'groksim analyze \(runFile)' for the analysis figures" }
                figures += analysis
            }
        } catch let error as RunFileError {
            throw CommandFailure(error.description)
        } catch {
            throw CommandFailure("\(runFile): \(error)")
        }
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
        if let note { FileHandle.standardError.write(Data((note + "\n").utf8)) }
    }

    /// The config keys a caption states (the model's `captionKeys`) and the model's resolved values.
    static func captionKeys(_ config: ExperimentConfig, excluding: Set<String> = []) -> String {
        let model = ModelRegistry.model(of: config)
        let values = model.captionKeys.filter { !excluding.contains($0) }.compactMap { key -> String? in
            guard let value = config.value(key) else { return nil }
            if case .string(let text) = value { return "\(key)=\(text)" }
            return "\(key)=\(value)"
        }
        let resolved = model.resolvedValues(config).map { String(format: "%@=%.4g", $0.0, $0.1) }
        return (values + resolved).joined(separator: " ")
    }
}

import Foundation
import GrokSimCore
import GrokSimHDF5
import GrokSimRun

extension ModularMLPModel: AnalyzableModel {
    /// Share of the non-constant power the frequency count of the analysis covers.
    static let powerShare = 0.9

    public var analysisHelp: String {
        "For modular-mlp: the Fourier view of the learned algorithm: at each checkpoint the power of W1's embedding columns (a and b) at each frequency k = 1..(p-1)/2 of Z_p the fewest frequencies carrying 90% of it over all neurons and per neuron (a grokked network gives each neuron about one); the step where train accuracy first reaches 1 and where test accuracy first reaches the grok threshold (0.95 by default), beside the weight-decay time scale 1/(lr lambda) and Lyu et al.'s (1/(lr lambda)) ln alpha; stored under /analysis."
    }

    public func analyze(runPath: String, options: AnalysisOptions) throws -> String {
        let reader = try RunFileReader(path: runPath)
        let metrics = try reader.metrics()
        let root = reader.file.root
        let config = try ConfigLoader.parseResolved(try root.attribute("config", as: String.self), name: "\(runPath):/config")
        guard config.model == name else {
            try reader.file.close()
            throw RunFileError("'\(runPath)' is a run of model \"\(config.model)\"; this analysis is modular-mlp's")
        }
        let exists = try root.exists("analysis")
        if exists && !options.overwrite {
            try reader.file.close()
            throw RunFileError("'\(runPath)' already has /analysis; pass --force to recompute it")
        }
        let p = config.integer(Keys.p), h = config.integer(Keys.hidden)
        let steps = try root.openGroup("checkpoints").memberNames().filter { $0.hasPrefix("step_") }
            .compactMap { Int($0.dropFirst(5)) }.sorted()
        let spectrum = FourierSpectrum(modulus: p)
        var powerA: [[Double]] = [], powerB: [[Double]] = [], neuronCounts: [Double] = []
        for step in steps {
            let weights = try root.openDataset("checkpoints/\(RunFile.checkpointName(step))/W1")
            guard try weights.shape == [h, 2 * p] else {
                try reader.file.close()
                throw RunFileError("'\(runPath)': checkpoint \(step) has W1 of shape \(try weights.shape), expected [\(h), \(2 * p)]")
            }
            let w1 = try weights.read(as: Double.self)
            let zero = [Double](repeating: 0, count: spectrum.frequencyCount)
            var a = zero, b = zero, weighted = 0.0, total = 0.0
            for k in 0..<h {
                var neuronA = zero, neuronB = zero
                spectrum.addPower(of: { w1[k * 2 * p + $0] }, into: &neuronA)
                spectrum.addPower(of: { w1[k * 2 * p + p + $0] }, into: &neuronB)
                let neuron = zip(neuronA, neuronB).map(+), power = neuron.reduce(0, +)
                weighted += power * Double(FourierSpectrum.count(of: neuron, carrying: Self.powerShare))
                total += power
                for f in 0..<zero.count {
                    a[f] += neuronA[f]
                    b[f] += neuronB[f]
                }
            }
            neuronCounts.append(total > 0 ? weighted / total : .nan)
            powerA.append(a)
            powerB.append(b)
        }
        try reader.file.close()
        let counts = zip(powerA, powerB).map { Double(FourierSpectrum.count(of: zip($0, $1).map(+), carrying: Self.powerShare)) }
        let fitStep = zip(metrics.steps, metrics.values[ModularMetrics.trainAccuracy.name] ?? []).first { $0.1 >= 1 }?.0
        let grokStep = zip(metrics.steps, metrics.values[ModularMetrics.testAccuracy.name] ?? []).first { $0.1 >= options.grokThreshold }?.0
        let lambda = config.number(DynamicsKeys.weightDecay), lr = config.number(Keys.learningRate), alpha = config.number(Keys.initScale)
        let scale = lambda > 0 ? 1 / (lr * lambda) : Double.nan
        let law = alpha > 1 ? scale * Foundation.log(alpha) : Double.nan

        try DurableFile.edit(runPath) { copy in
            let file = try HDF5File.open(path: copy, writable: true)
            defer { try? file.close() }
            if try file.root.exists("analysis") { try file.root.delete("analysis") }
            let group = try file.root.createGroup("analysis")
            try group.setAttribute("description", "Fourier power of W1's embedding columns per checkpoint and the fit and grokking steps, by 'groksim analyze'")
            func write(_ name: String, _ values: [Double], shape: [Int], units: String, _ description: String) throws {
                let dataset = try group.createDataset(name, of: Double.self, shape: shape)
                try dataset.write(values)
                try dataset.setAttribute("description", description)
                try dataset.setAttribute("units", units)
            }
            let f = spectrum.frequencyCount
            try write("step", steps.map(Double.init), shape: [steps.count], units: "steps", "checkpoint step of each row")
            try write("frequency", (1...f).map(Double.init), shape: [f], units: "1", "frequency k of the Fourier basis on Z_p, 1..(p-1)/2")
            try write("power_a", powerA.flatMap { $0 }, shape: [steps.count, f], units: "1",
                      "sum over neurons of 2 |DFT_k(W1[j, a-columns])|^2 / p: the power of the a-embedding at frequency k")
            try write("power_b", powerB.flatMap { $0 }, shape: [steps.count, f], units: "1",
                      "sum over neurons of 2 |DFT_k(W1[j, b-columns])|^2 / p: the power of the b-embedding at frequency k")
            try write("count_90", counts, shape: [counts.count], units: "1",
                      "fewest frequencies carrying 90% of the a and b power together")
            try write("neuron_count_90", neuronCounts, shape: [neuronCounts.count], units: "1",
                      "fewest frequencies carrying 90% of one neuron's a and b power, averaged over neurons weighted by their power")
            try write("fit_step", [Double(fitStep ?? -1)], shape: [1], units: "steps", "first recorded step with train accuracy 1 (-1: never)")
            try write("grok_step", [Double(grokStep ?? -1)], shape: [1], units: "steps",
                      "first recorded step with test accuracy >= grok_threshold (-1: never)")
            try write("grok_threshold", [options.grokThreshold], shape: [1], units: "1", "test accuracy that defines grok_step")
            try write("weight_decay_time_scale", [scale], shape: [1], units: "steps", "1/(lr lambda): GD steps per unit of weight-decay time")
            try write("predicted_transition_step", [law], shape: [1], units: "steps",
                      "Lyu et al.'s (1/(lr lambda)) ln alpha with alpha = init_scale (NaN when alpha <= 1 or lambda = 0)")
        }

        var lines = ["checkpoint  frequencies(90%)  per neuron  top frequencies (share of a+b power)"]
        for (row, step) in steps.enumerated() {
            let total = zip(powerA[row], powerB[row]).map(+)
            let sum = total.reduce(0, +)
            let top = total.enumerated().sorted { $0.element > $1.element }.prefix(4)
                .map { "k=\($0.offset + 1) \(String(format: "%.2f", sum > 0 ? $0.element / sum : 0))" }.joined(separator: ", ")
            lines.append(String(format: "%10d  %16d  %10.2f  ", step, Int(counts[row]), neuronCounts[row]) + top)
        }
        lines.append("train accuracy 1 first at step \(fitStep.map(String.init) ?? "never"); test accuracy >= \(options.grokThreshold) first at step \(grokStep.map(String.init) ?? "never")")
        if lambda > 0 {
            lines.append("weight-decay time scale 1/(lr lambda) = \(String(format: "%.0f", scale)) steps"
                         + (alpha > 1 ? "; (1/(lr lambda)) ln alpha = \(String(format: "%.0f", law)) steps" : ""))
        }
        return lines.joined(separator: "\n")
    }

    public func analyzeEnsemble(indexPath: String, options: AnalysisOptions) throws -> String {
        throw RunFileError("modular-mlp: analyze the ensemble's run files one by one")
    }

    public func analysisFigures(file: HDF5File, caption: String) throws -> [RunFigures.Figure] {
        try ModularAnalysisFigures.make(file: file, caption: caption)
    }
}

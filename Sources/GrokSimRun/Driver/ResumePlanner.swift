import Foundation
import GrokSimCore
import GrokSimHDF5

/// What `groksim resume` will do: continue from a verified checkpoint with a config that differs from the
/// run's only in keys that affect the future.
public struct ResumePlan: Sendable {
    public let checkpoint: Checkpoint.Info
    public let config: ExperimentConfig
    /// One line per checkpoint file skipped because it failed verification.
    public let warnings: [String]
    /// Steps of every valid checkpoint up to the chosen one (linked from the rebuilt run file).
    public let linkedSteps: [Int]
    public let created: String?
    /// The run's identity from its run file (nil for older files).
    public var runID: String? = nil
    public let resumedAtSteps: [Int]
    /// The run is complete at the requested end already: a resume would only rewrite the file (and drop its
    /// `/analysis`), so it does nothing.
    public var nothingToDo = false
}

/// Chooses the checkpoint to resume from and the config to resume with; run by rank 0 before anything is written.
public enum ResumePlanner {
    /// Checks the overrides, the run file and its checkpoints; throws one line naming the first problem.
    public static func plan(runPath: String, overrides: [(String, ConfigValue)], moreSteps: Int?, until: Int?) throws -> ResumePlan {
        if let moreSteps, moreSteps < 0 { throw RunFileError("--steps must be >= 0 (got \(moreSteps))") }
        if let until, until < 0 { throw RunFileError("--until must be >= 0 (got \(until))") }
        if (moreSteps != nil || until != nil) && overrides.contains(where: { $0.0 == "steps" }) {
            throw RunFileError("give the end of the run once: --steps, --until or --set steps")
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: runPath, isDirectory: &isDirectory) else {
            throw RunFileError("run file '\(runPath)' does not exist; start a run with 'groksim run ... --out \(runPath)'")
        }
        guard !isDirectory.boolValue else { throw RunFileError("run file '\(runPath)' is a directory") }
        let reader = try RunFileReader(path: runPath)
        defer { try? reader.file.close() }
        guard let configText = reader.attribute("config") else {
            throw RunFileError("'\(runPath)' has no config attribute; it cannot be resumed")
        }
        let runConfig: ExperimentConfig
        do { runConfig = try ConfigLoader.parseResolved(configText, name: runPath) } catch {
            throw RunFileError("'\(runPath)' has an unreadable config attribute: \(error)")
        }
        let future = ResumeKeys.future(runConfig)
        for (key, _) in overrides where !future.contains(key) {
            throw RunFileError("--set \(key) cannot change when resuming: it changes the computed trajectory (start a new run instead); "
                + "resume accepts only \(future.joined(separator: ", "))")
        }
        let created = reader.attribute("created")
        let runID = reader.attribute("run_id")
        let status = reader.attribute("status")
        let stepsCompleted = try? reader.file.root.attribute("steps_completed", as: Int.self)
        let resumedAtSteps = (try? reader.file.root.attribute("resumed_at_steps", as: [Int].self)) ?? []

        let directory = Checkpoint.directory(ofRun: runPath)
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue,
              let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
            throw RunFileError("no checkpoint directory '\(directory)' next to the run file; nothing to resume from")
        }
        let candidates = names.compactMap { name in Checkpoint.step(ofFileName: name).map { ($0, name) } }.sorted { $0.0 > $1.0 }
        guard !candidates.isEmpty else { throw RunFileError("no checkpoint files in '\(directory)'; nothing to resume from") }
        var warnings: [String] = []
        var chosen: Checkpoint.Info? = nil
        var linked: [Int] = []
        for (step, name) in candidates {
            do {
                let info = try Checkpoint.verify(path: directory + "/" + name, runConfig: runConfig, runID: runID)
                if chosen == nil { chosen = info }
                linked.append(step)
            } catch {
                if chosen == nil { warnings.append("\(error)") }
            }
        }
        guard let checkpoint = chosen else {
            throw RunFileError("no usable checkpoint for '\(runPath)': \(warnings[0])"
                + (warnings.count > 1 ? " (and \(warnings.count - 1) older checkpoint(s) also unusable)" : ""))
        }

        let baseSteps = runConfig.steps
        let setSteps = overrides.last { $0.0 == "steps" }.flatMap { pair -> Int? in
            if case .integer(let value) = pair.1 { return value }
            return nil
        }
        let target = until ?? moreSteps.map { checkpoint.step + $0 } ?? setSteps ?? baseSteps
        if target < checkpoint.step {
            throw RunFileError("cannot resume '\(runPath)' to step \(target): its latest usable checkpoint is at step \(checkpoint.step)")
        }
        var final = overrides.filter { $0.0 != "steps" && $0.0 != "checkpoint_steps" }
        final.append(("steps", .integer(target)))
        // Listed checkpoint steps beyond the new end are dropped (the last step always gets a checkpoint).
        let listed = overrides.last(where: { $0.0 == "checkpoint_steps" })?.1 ?? .list(runConfig.checkpointSteps.map { .integer($0) })
        if case .list(let items) = listed {
            final.append(("checkpoint_steps", .list(items.filter { item in
                if case .integer(let value) = item { return value <= target }
                return true
            })))
        } else {
            final.append(("checkpoint_steps", listed))
        }
        let config: ExperimentConfig
        do { config = try ConfigLoader.parseResolved(configText, name: runPath, overrides: final) } catch let error as ConfigError {
            throw RunFileError(error.description)
        }
        var plan = ResumePlan(checkpoint: checkpoint, config: config, warnings: warnings, linkedSteps: linked.sorted(),
                          created: created, resumedAtSteps: resumedAtSteps)
        plan.runID = runID
        plan.nothingToDo = status == "complete" && stepsCompleted == target && checkpoint.step == target
        return plan
    }
}

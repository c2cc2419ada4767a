import Foundation
import GrokSimCore
import GrokSimHDF5

/// Reads a run file back, checking first that it is one GrokSim wrote and can understand.
public final class RunFileReader {
    public let path: String
    public let file: HDF5File

    /// Opens `path` read-only; the error says whether it is missing, not HDF5, foreign, or too new.
    public init(path: String) throws {
        self.path = path
        do {
            file = try HDF5File.open(path: path, writable: false)
        } catch let error as HDF5Error {
            throw RunFileError("\(error)")
        }
        let root = file.root
        if (try? root.attribute("format", as: String.self)) == EnsembleFile.format {
            throw RunFileError("'\(path)' is an ensemble index; give one seed's run file from '\(EnsembleFile.seedDirectory(for: path))'")
        }
        guard (try? root.hasAttribute("format")) == true,
              let format = try? root.attribute("format", as: String.self), format == RunFile.format else {
            throw RunFileError("'\(path)' is an HDF5 file but not a GrokSim run file (no format = \"\(RunFile.format)\" attribute)")
        }
        if let problem = FormatVersion.problem(root, kind: "run-file", newest: RunFile.formatVersion) {
            throw RunFileError("'\(path)' \(problem)")
        }
    }

    /// The recorded steps and every metric dataset by name.
    public func metrics() throws -> (steps: [Int], values: [String: [Double]]) {
        do {
            let group = try file.root.openGroup("metrics")
            let steps = try group.openDataset("step").read(as: Int64.self).map { Int($0) }
            var values: [String: [Double]] = [:]
            for name in try group.memberNames() where name != "step" {
                let column = try group.openDataset(name).read(as: Double.self)
                guard column.count == steps.count else {
                    throw RunFileError("'\(path)': /metrics/\(name) has \(column.count) rows but /metrics/step has \(steps.count)")
                }
                values[name] = column
            }
            return (steps, values)
        } catch let error as HDF5Error {
            throw RunFileError("'\(path)': \(error)")
        }
    }

    /// A root attribute as text, or nil.
    public func attribute(_ name: String) -> String? {
        try? file.root.attribute(name, as: String.self)
    }
}

/// A run file that cannot be used, in one line.
public struct RunFileError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

extension RunFileReader {
    /// The registered model of the run file or ensemble index at `path`, from its `model` attribute (or its
    /// config); the error names the file and the problem in one line.
    public static func model(ofFile path: String) throws -> any Model {
        let file: HDF5File
        do { file = try HDF5File.open(path: path, writable: false) } catch let error as HDF5Error { throw RunFileError("\(error)") }
        defer { try? file.close() }
        let name: String
        if let attribute = try? file.root.attribute("model", as: String.self) {
            name = attribute
        } else if let text = try? file.root.attribute("config", as: String.self),
                  let config = try? ConfigLoader.parseResolved(text, name: path) {
            name = config.model
        } else {
            throw RunFileError("'\(path)' is an HDF5 file but not a GrokSim run file or ensemble index (no model attribute)")
        }
        do { return try ModelRegistry.model(named: name) } catch {
            throw RunFileError("'\(path)' is a run of model \"\(name)\", which this groksim does not know")
        }
    }
}

extension RunFileReader {
    /// Throws one line if a checkpoint the run file links belongs to another run (a copy linking its original's
    /// checkpoints after the original was rerun) or cannot be reached (the pair renamed by hand).
    public func checkCheckpointIdentity() throws {
        guard let runID = attribute("run_id"), (try? file.root.exists("checkpoints")) == true else { return }
        let group = try file.root.openGroup("checkpoints")
        for name in try group.memberNames() {
            guard (try? group.exists(name)) == true else {
                throw RunFileError("'\(path)' links checkpoint \(name), which cannot be opened: was the run renamed by hand? "
                    + "Move it back, or use 'groksim mv' to rename a run with its checkpoints")
            }
            let own = try? group.openGroup(name).attribute("run_id", as: String.self)
            if let own, own != runID {
                throw RunFileError("'\(path)' links checkpoint \(name) of another run (run_id \(own), this file's is \(runID)); "
                    + "a copy made with cp reads its original's checkpoints: use 'groksim cp' to copy a run")
            }
        }
    }
}

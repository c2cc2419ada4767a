import ArgumentParser
import Foundation
import GrokSimHDF5
import GrokSimRun

/// `groksim mv` and `groksim cp`: rename or copy a run file together with its checkpoint directory.
///
/// A run file reaches its checkpoints through external links named after the checkpoint directory, so moving
/// the two by hand leaves the links pointing at the old name, and copying them leaves the copy reading the
/// original's checkpoints. These commands move or copy both and rewrite the links.
struct MoveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mv",
        abstract: "Rename a run file together with its checkpoint directory, keeping its links to the checkpoints working.")

    @Argument(help: ArgumentHelp("The run file to rename.", valueName: "old.h5"))
    var source: String

    @Argument(help: ArgumentHelp("Its new name (must not exist).", valueName: "new.h5"))
    var destination: String

    func run() throws {
        try RunPair.transfer(from: source, to: destination, copy: false)
        print("\(source) -> \(destination) (with \(Checkpoint.directory(ofRun: destination)))")
    }
}

/// `groksim cp`: copy a run file and its checkpoints under a new name.
struct CopyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cp",
        abstract: "Copy a run file together with its checkpoint directory; the copy links its own checkpoints.")

    @Argument(help: ArgumentHelp("The run file to copy.", valueName: "run.h5"))
    var source: String

    @Argument(help: ArgumentHelp("The copy's name (must not exist).", valueName: "copy.h5"))
    var destination: String

    func run() throws {
        try RunPair.transfer(from: source, to: destination, copy: true)
        print("\(source) copied to \(destination) (with \(Checkpoint.directory(ofRun: destination)))")
    }
}

/// Moving or copying a run file and its checkpoint directory as one.
enum RunPair {
    static func transfer(from source: String, to destination: String, copy: Bool) throws {
        let manager = FileManager.default
        do {
            _ = try RunFileReader(path: source)
        } catch let error as RunFileError {
            throw CommandFailure(error.description)
        }
        if let problem = JobChecks.outputProblem(destination, overwrite: false) { throw CommandFailure(problem) }
        let lock: RunLock, destinationLock: RunLock
        do {
            lock = try RunLock(runPath: source, command: copy ? "cp" : "mv")
            destinationLock = try RunLock(runPath: destination, command: copy ? "cp" : "mv")
        } catch {
            throw CommandFailure("\(error)")
        }
        defer {
            lock.release()
            destinationLock.release()
        }
        let oldDirectory = Checkpoint.directory(ofRun: source), newDirectory = Checkpoint.directory(ofRun: destination)
        let newName = (newDirectory as NSString).lastPathComponent
        do {
            // The file with rewritten links is prepared beside the destination first; only then are the
            // directory and the file moved, so an interruption leaves the source run whole.
            let staged = destination + ".tmp"
            try? manager.removeItem(atPath: staged)
            try manager.copyItem(atPath: source, toPath: staged)
            try relink(staged, toDirectoryNamed: newName)
            if copy {
                if manager.fileExists(atPath: oldDirectory) { try manager.copyItem(atPath: oldDirectory, toPath: newDirectory) }
                try DurableFile.publish(staged, as: destination, durable: true)
            } else {
                if manager.fileExists(atPath: oldDirectory) { try manager.moveItem(atPath: oldDirectory, toPath: newDirectory) }
                try DurableFile.publish(staged, as: destination, durable: true)
                try manager.removeItem(atPath: source)
            }
        } catch let error as RunFileError {
            throw CommandFailure(error.description)
        } catch {
            throw CommandFailure("cannot \(copy ? "copy" : "move") '\(source)' to '\(destination)': \(error.localizedDescription)")
        }
    }

    /// Points every checkpoint link (and `/data`) of the run file at `path` to files in the directory `name`.
    private static func relink(_ path: String, toDirectoryNamed name: String) throws {
        let file = try HDF5File.open(path: path, writable: true)
        defer { try? file.close() }
        let root = file.root
        if try root.exists("checkpoints") {
            let group = try root.openGroup("checkpoints")
            // Member names of dangling links are listed too; each is step_%08d, its file step_%08d.h5.
            for member in try group.memberNames() {
                try group.delete(member)
                try group.createExternalLink(member, file: name + "/" + member + ".h5", path: "/")
            }
        }
        if try root.exists("data") || (try? root.memberNames().contains("data")) == true {
            try root.delete("data")
            try root.createExternalLink("data", file: name + "/data.h5", path: "/")
        }
        try file.close()
    }
}

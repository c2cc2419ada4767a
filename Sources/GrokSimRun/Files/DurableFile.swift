import Foundation

/// Publishing files so that a crash at any moment leaves either the old file or the new one, never a torn one.
///
/// A file is written under a temporary name in the same directory, closed, optionally fsynced, then renamed
/// over its final name (`rename(2)` is atomic within a file system), and the directory is fsynced.
public enum DurableFile {
    /// Flushes `path`'s data to stable storage.
    static func sync(_ path: String) throws {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw RunFileError("cannot open '\(path)' to sync it: \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw RunFileError("cannot sync '\(path)': \(String(cString: strerror(errno)))") }
    }

    /// Runs `edit` on a copy of `path` and then puts the copy in its place, so the file is never changed in
    /// place: a crash leaves the old file, and an error leaves it untouched (the copy is removed).
    public static func edit(_ path: String, _ edit: (String) throws -> Void) throws {
        let temporary = path + ".edit.tmp"
        let manager = FileManager.default
        try? manager.removeItem(atPath: temporary)
        do {
            try manager.copyItem(atPath: path, toPath: temporary)
        } catch {
            throw RunFileError("cannot copy '\(path)' to update it: \(error.localizedDescription)")
        }
        do {
            try edit(temporary)
            try publish(temporary, as: path, durable: true)
        } catch {
            try? manager.removeItem(atPath: temporary)
            // The copy is an implementation detail: a message names the file the user gave.
            throw RunFileError(String(describing: error).replacingOccurrences(of: temporary, with: path))
        }
    }

    /// Atomically replaces `destination` by `source`; with `durable`, fsyncs the file first and the directory after.
    public static func publish(_ source: String, as destination: String, durable: Bool) throws {
        if durable { try sync(source) }
        guard rename(source, destination) == 0 else {
            throw RunFileError("cannot rename '\(source)' to '\(destination)': \(String(cString: strerror(errno)))")
        }
        if durable {
            let directory = (destination as NSString).deletingLastPathComponent
            try? sync(directory.isEmpty ? "." : directory)
        }
    }
}

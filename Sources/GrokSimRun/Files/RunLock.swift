import Foundation

/// The one-writer lock of a run file: `RUN.lock`, created exclusively, naming its holder.
///
/// Every command that writes a run (run, resume, analyze, and each seed of an ensemble) takes it before it
/// touches anything and removes it when done. It relies on exclusive creation (`open` with `O_CREAT | O_EXCL`),
/// which is atomic on local file systems, on NFS v3 and later, and on Lustre; `flock` is avoided because
/// NFS and Lustre honour it only with particular client or mount settings. A holder that died on this host
/// (its PID is gone) leaves a stale lock that the next writer removes by itself; one held from another host
/// cannot be checked from here, and is removed only by a writer given `--break-lock`.
public final class RunLock {
    /// Locks this process holds, so that an exit on a refusal (which skips deinit) can still remove them.
    nonisolated(unsafe) private static var held: [RunLock] = []

    /// Removes every lock this process holds; called before any exit that does not unwind.
    public static func releaseAll() {
        for lock in held { lock.release() }
        held.removeAll()
    }

    public let path: String
    /// The run file the lock protects.
    public let runPath: String
    private var isHeld = true

    /// The lock file of the run file at `runPath`.
    public static func path(ofRun runPath: String) -> String { runPath + ".lock" }

    /// Takes the lock of `runPath` for `command`, or throws one line naming the holder.
    public init(runPath: String, command: String, breakLock: Bool = false) throws {
        path = Self.path(ofRun: runPath)
        self.runPath = runPath
        if breakLock { unlink(path) }
        for attempt in 0..<2 {
            let descriptor = open(path, O_CREAT | O_EXCL | O_WRONLY, 0o644)
            if descriptor >= 0 {
                let text = "host=\(Self.hostName) pid=\(getpid()) started=\(ISO8601DateFormatter().string(from: Date())) command=\(command)\n"
                _ = text.withCString { write(descriptor, $0, strlen($0)) }
                fsync(descriptor)
                close(descriptor)
                Self.held.append(self)
                return
            }
            guard errno == EEXIST else {
                throw RunFileError("cannot create the lock '\(path)': \(String(cString: strerror(errno)))")
            }
            var holder = Self.holder(path)
            // A holder that is exiting (its job was just killed) gets a moment to finish dying.
            var waited = 0.0
            while attempt == 0 && !holder.isStaleOnThisHost && holder.host == Self.hostName && waited < 3 {
                usleep(200_000)
                waited += 0.2
                holder = Self.holder(path)
                if !FileManager.default.fileExists(atPath: path) { break }
            }
            if !FileManager.default.fileExists(atPath: path) { continue }
            if attempt == 0 && holder.isStaleOnThisHost {
                unlink(path)
                continue
            }
            throw RunFileError("'\(runPath)' is being written by \(holder.description) (lock '\(path)'); "
                + "wait for it, or if that process is gone pass --break-lock")
        }
        throw RunFileError("cannot take the lock '\(path)'")
    }

    private init(heldAt path: String, runPath: String) {
        self.path = path
        self.runPath = runPath
        Self.held.append(self)
    }

    /// Takes the lock of `runPath` if no live process holds it (a stale one on this host is removed), without
    /// waiting: nil means another writer has it. How the groups of a sweep claim the next run of their queue.
    public static func tryTake(runPath: String, command: String) throws -> RunLock? {
        let path = Self.path(ofRun: runPath)
        for attempt in 0..<2 {
            let descriptor = open(path, O_CREAT | O_EXCL | O_WRONLY, 0o644)
            if descriptor >= 0 {
                let text = "host=\(hostName) pid=\(getpid()) started=\(ISO8601DateFormatter().string(from: Date())) command=\(command)\n"
                _ = text.withCString { write(descriptor, $0, strlen($0)) }
                close(descriptor)
                return RunLock(heldAt: path, runPath: runPath)
            }
            guard errno == EEXIST else {
                throw RunFileError("cannot create the lock '\(path)': \(String(cString: strerror(errno)))")
            }
            guard attempt == 0 && holder(path).isStaleOnThisHost else { return nil }
            unlink(path)
        }
        return nil
    }

    /// Whether a live writer (or one on another host) holds the lock of `runPath`.
    public static func isHeld(runPath: String) -> Bool {
        let path = Self.path(ofRun: runPath)
        guard FileManager.default.fileExists(atPath: path) else { return false }
        return !holder(path).isStaleOnThisHost
    }

    /// Removes the lock of `runPath` if its holder's command is `command`: locks left by an earlier job of a
    /// sweep whose index lock this process now holds, so no live writer of that sweep can own them.
    public static func removeLeftOver(runPath: String, command: String) {
        let path = Self.path(ofRun: runPath)
        // A lock file keeps the command's first word only.
        let word = command.split(separator: " ").first.map(String.init) ?? command
        guard FileManager.default.fileExists(atPath: path), holder(path).command == word else { return }
        unlink(path)
    }

    /// Removes the lock (also done on deinit).
    public func release() {
        guard isHeld else { return }
        unlink(path)
        isHeld = false
    }

    deinit { release() }

    static var hostName: String {
        var buffer = [CChar](repeating: 0, count: 256)
        gethostname(&buffer, buffer.count)
        return String(cString: buffer)
    }

    /// What a lock file says about its holder.
    struct Holder {
        var host = "?"
        var pid: Int32 = -1
        var started = "?"
        var command = "?"

        var description: String { "'groksim \(command)' (host \(host), PID \(pid), since \(started))" }

        /// The holder ran on this host and its process is gone (or a zombie no one has reaped yet).
        var isStaleOnThisHost: Bool {
            guard host == RunLock.hostName && pid > 0 else { return false }
            if kill(pid, 0) != 0 { return errno == ESRCH }
            let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
            // The state follows the command name in parentheses: "PID (name) S ...".
            guard let close = stat.lastIndex(of: ")") else { return false }
            return stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).hasPrefix("Z")
        }
    }

    static func holder(_ path: String) -> Holder {
        var holder = Holder()
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return holder }
        for field in text.split(whereSeparator: { $0 == " " || $0.isNewline }) {
            let parts = field.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { continue }
            switch parts[0] {
            case "host": holder.host = parts[1]
            case "pid": holder.pid = Int32(parts[1]) ?? -1
            case "started": holder.started = parts[1]
            case "command": holder.command = parts[1]
            default: break
            }
        }
        return holder
    }
}

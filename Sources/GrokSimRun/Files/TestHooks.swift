import Foundation

/// Fault injection for the crash-safety tests, driven by environment variables; inert when they are unset.
///
/// - `GROKSIM_TEST_CRASH_AT=POINT:STEP[:RANK]` makes rank RANK (default 0) SIGKILL itself when it reaches
///   POINT while handling step STEP. Points: `step` (before the GD step from STEP), `checkpoint-gather`
///   (before the weights of checkpoint STEP are gathered), `checkpoint-write` (after half of W is written
///   to the temporary checkpoint file), `checkpoint-synced` (after the temporary file is closed and synced,
///   before its rename), `checkpoint-renamed` (after the rename, before the run file links it),
///   `publish-write` (inside the rewrite of the run file, after the checkpoint of STEP),
///   `stop-checkpoint` (before the checkpoint written on SIGTERM/SIGUSR1).
/// - `GROKSIM_TEST_SLEEP_PER_STEP=SECONDS` sleeps after every GD step (widens timing windows).
/// - `GROKSIM_TEST_SLEEP_IN_CHECKPOINT=SECONDS` sleeps in the middle of each checkpoint write.
public enum TestHooks {
    private static let environment = ProcessInfo.processInfo.environment
    private static let crash: (point: String, step: Int, rank: Int)? = {
        guard let text = environment["GROKSIM_TEST_CRASH_AT"] else { return nil }
        let parts = text.split(separator: ":").map(String.init)
        guard parts.count >= 2, let step = Int(parts[1]) else { return nil }
        return (parts[0], step, parts.count > 2 ? Int(parts[2]) ?? 0 : 0)
    }()
    /// This process's rank, set by the driver.
    nonisolated(unsafe) public static var rank = 0

    /// SIGKILLs this process if the crash hook names this point, step and rank.
    public static func crashPoint(_ point: String, step: Int) {
        guard let crash, crash.point == point, crash.step == step, crash.rank == rank else { return }
        FileHandle.standardError.write(Data("groksim: test hook: killing rank \(rank) at \(point):\(step)\n".utf8))
        kill(getpid(), SIGKILL)
    }

    static func sleep(_ name: String) {
        guard let text = environment[name], let seconds = Double(text), seconds > 0 else { return }
        usleep(UInt32(min(seconds, 60) * 1e6))
    }

    public static func sleepPerStep() { sleep("GROKSIM_TEST_SLEEP_PER_STEP") }
    static func sleepInCheckpoint() { sleep("GROKSIM_TEST_SLEEP_IN_CHECKPOINT") }
}

/// SIGTERM and SIGUSR1 ask the run to stop at the next step boundary with a checkpoint (preemption).
public enum StopSignal {
    nonisolated(unsafe) private static var flag: Int32 = 0
    nonisolated(unsafe) private static var installed = false

    /// Installs the handlers (idempotent). The handler only sets a flag; ranks agree on it every step.
    public static func install() {
        guard !installed else { return }
        installed = true
        let handler: @convention(c) (Int32) -> Void = { _ in StopSignal.flag = 1 }
        for number in [SIGTERM, SIGUSR1] {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = handler
            sigemptyset(&action.sa_mask)
            action.sa_flags = SA_RESTART
            sigaction(number, &action, nil)
        }
    }

    /// Whether a stop signal has reached this process.
    public static var isPending: Bool { flag != 0 }
}

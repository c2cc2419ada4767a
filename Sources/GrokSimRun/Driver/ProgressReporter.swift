import Foundation
import GrokSimCore

/// Progress of a long run on rank 0: a live line on a terminal, plain periodic log lines otherwise.
public final class ProgressReporter {
    private let totalSteps: Int
    private let interactive: Bool
    private let interval: Double
    private let enabled: Bool
    private let startTime = MonotonicClock.seconds()
    private var startStep = 0
    private var lastPrint = -Double.infinity
    private var trainAccuracy = Double.nan
    private var testAccuracy = Double.nan

    /// `interval`: seconds between plain log lines when stderr is not a terminal.
    public init(totalSteps: Int, startStep: Int = 0, interval: Double, enabled: Bool) {
        self.totalSteps = totalSteps
        self.startStep = startStep
        self.interval = interval
        self.enabled = enabled
        interactive = isatty(STDERR_FILENO) == 1
    }

    /// Remembers the latest accuracies to show them with the next update.
    public func record(trainAccuracy: Double, testAccuracy: Double) {
        self.trainAccuracy = trainAccuracy
        self.testAccuracy = testAccuracy
    }

    /// Reports that the weights now are W^(step); prints if due.
    public func update(step: Int, force: Bool = false) {
        guard enabled else { return }
        let now = MonotonicClock.seconds()
        let due = interactive ? now - lastPrint >= 0.2 : now - lastPrint >= interval
        guard force || due || step == totalSteps else { return }
        lastPrint = now
        let elapsed = now - startTime
        let done = step - startStep
        let rate = elapsed > 0 ? Double(done) / elapsed : 0
        let eta = rate > 0 ? Double(totalSteps - step) / rate : .nan
        let line = String(format: "step %d/%d  %.2f steps/s  ETA %@  train acc %.3f  test acc %.3f",
                          step, totalSteps, rate, Self.duration(eta), trainAccuracy, testAccuracy)
        if interactive {
            FileHandle.standardError.write(Data(("\r\u{1B}[K" + line + (step == totalSteps ? "\n" : "")).utf8))
        } else {
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
    }

    /// A duration as "1h02m", "3m05s" or "12.3s".
    public static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "?" }
        if seconds >= 3600 { return String(format: "%dh%02dm", Int(seconds) / 3600, Int(seconds) % 3600 / 60) }
        if seconds >= 60 { return String(format: "%dm%02ds", Int(seconds) / 60, Int(seconds) % 60) }
        return String(format: "%.1fs", seconds)
    }
}

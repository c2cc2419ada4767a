/// The phases of a run that samples a low-loss region: plain GD until the training loss drops below a target,
/// then Langevin dynamics at temperatures T_1 < T_2 < ... for a fixed number of steps each.
///
/// Phase 0 is the GD descent; phase k >= 1 samples at T_k = T_1 r^(k-1) (a geometric ladder: equipartition makes
/// the loss fluctuations scale with T, so equal ratios give comparable relative resolution). The step at which
/// sampling starts is the first step whose all-reduced training loss is below the target (identical on every
/// rank), or `gd_max_steps`; it is the only state of the schedule, and checkpoints carry it.
public struct LangevinSchedule: Sendable, Equatable {
    public let temperatures: [Double]
    public let phaseSteps: Int
    public let lossTarget: Double
    /// Steps between metrics rows inside the sampling phases.
    public let metricsEvery: Int
    /// The last step at which GD may still be running: sampling starts here at the latest.
    public let latestStart: Int

    /// The schedule of `config`, or nil when it has no sampling phases.
    public init?(_ config: ExperimentConfig) {
        let phases = config.integer(DynamicsKeys.langevinPhases)
        guard phases > 0 else { return nil }
        let first = config.number(DynamicsKeys.temperature), ratio = config.number(DynamicsKeys.langevinTemperatureRatio)
        var ladder: [Double] = []
        for k in 0..<phases { ladder.append(k == 0 ? first : ladder[k - 1] * ratio) }
        temperatures = ladder
        phaseSteps = config.integer(DynamicsKeys.langevinPhaseSteps)
        lossTarget = config.number(DynamicsKeys.gdLossTarget)
        metricsEvery = config.integer(DynamicsKeys.langevinMetricsEvery)
        latestStart = config.integer(DynamicsKeys.gdMaximumSteps)
    }

    /// Steps of all sampling phases together.
    public var samplingSteps: Int { temperatures.count * phaseSteps }

    /// The step after the last phase, where the run ends, when sampling started at `start`.
    public func end(samplingStart start: Int) -> Int { start + samplingSteps }

    /// Whether GD stops before step `step`, whose training loss is `loss`.
    public func startsSampling(step: Int, loss: Double) -> Bool {
        loss < lossTarget || step >= latestStart
    }

    /// The phase of step `step` (0: GD; k: the k-th temperature), given where sampling started (nil: not yet).
    public func phase(of step: Int, samplingStart start: Int?) -> Int {
        guard let start, step >= start else { return 0 }
        return min(temperatures.count, (step - start) / phaseSteps + 1)
    }

    /// The temperature of phase `phase` (0 in the GD phase).
    public func temperature(ofPhase phase: Int) -> Double {
        phase == 0 ? 0 : temperatures[phase - 1]
    }

    /// The first step of each phase: 0 for GD, then one per temperature.
    public func phaseStarts(samplingStart start: Int) -> [Int] {
        [0] + (0..<temperatures.count).map { start + $0 * phaseSteps }
    }

    /// Whether a metrics row is recorded at `step` of a sampling phase.
    public func isSamplingMetricsStep(_ step: Int, samplingStart start: Int) -> Bool {
        step >= start && ((step - start) % metricsEvery == 0 || (step - start) % phaseSteps == 0)
    }
}

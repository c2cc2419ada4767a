import Foundation
import GrokSimCore
import GrokSimHDF5
import GrokSimRun
import GrokSimTestSupport
import XCTest
@testable import GrokSimModels
@testable import GrokSimTheory

/// Langevin phases end to end on a loss that is exactly quadratic: the teacher-student model with squared loss
/// (L = (1/N) sum (f - y)^2 is quadratic in the k = d_in d_out entries of S, Hessian fixed by the data).
///
/// Through the real driver and run file: GD to the minimum, then phases at T and 2T; the phase analysis must
/// find <L - L0> = sum_i T / (2 (1 - eta h_i / 2)) and Var L = sum_i T^2 / (2 (1 - eta h_i / 2)^2) (the exact
/// stationary values of the discrete chain, kT/2 and kT^2/2 up to O(eta h)) within 3 of its own standard errors.
final class LangevinQuadraticTests: XCTestCase {
    override func setUp() { TestModels.install() }

    private func config(eta: Double) throws -> ExperimentConfig {
        try ConfigLoader.resolve(preset: nil, file: [
            ("model", .string("teacher-student")), ("d_in", .integer(3)), ("d_out", .integer(2)), ("n", .integer(30)),
            ("n_test", .integer(2)), ("eta", .number(eta)), ("label_noise", .number(0.5)), ("init_scale", .number(0.5)),
            ("seed", .integer(3)), ("temperature", .number(0.01)), ("langevin_phases", .integer(2)),
            ("langevin_phase_steps", .integer(12_000)), ("langevin_temperature_ratio", .number(2)),
            ("gd_loss_target", .number(0)), ("gd_max_steps", .integer(600)), ("steps", .integer(24_600)), ("checkpoint_steps", .list([])),
            ("checkpoint_last", .boolean(false)), ("metrics_dense_until", .integer(0)), ("metrics_per_decade", .integer(5)),
        ], overrides: [])
    }

    func testEquipartitionOnAQuadraticLossThroughTheDriver() throws {
        let model = TeacherStudentModel()
        // The Hessian does not depend on S: take it at S = 0, then choose eta h_max = 0.1 (discretisation bias 5%, known exactly).
        let probe = try config(eta: 0.01)
        let zero = [Double](repeating: 0, count: model.parameterCount(probe))
        let curvatures = try SymmetricEigen(matrix: SeamHessian(model: model, config: probe, parameters: zero).matrix, order: zero.count).values
        XCTAssertEqual(curvatures.count, 6)
        XCTAssertGreaterThan(curvatures.min()!, 0)
        let eta = 0.1 / curvatures.max()!
        let run = try config(eta: eta)
        // GD has 600 steps at eta h_min >= 0.1 h_min / h_max to reach the minimum before sampling.
        XCTAssertLessThan(exp(-600 * eta * curvatures.min()!), 1e-6)

        let directory = try TemporaryDirectory()
        var options = RunOptions(outputPath: directory.path("quadratic.h5"))
        options.showProgress = false
        _ = try RunDriver<Double>(config: run, communicator: SerialCommunicator(), options: options).run()

        let reader = try RunFileReader(path: options.outputPath)
        let (steps, values) = try reader.metrics()
        let phases = try reader.file.root.openGroup("phases")
        let start = try phases.attribute("sampling_start_step", as: Int.self)
        XCTAssertEqual(start, 600)
        XCTAssertEqual(try phases.openDataset("start_step").read(as: Int64.self), [0, 600, 12_600])
        let analysis = LangevinPhaseAnalysis(steps: steps, loss: values["train_loss"]!, nearBoundary: values["train_loss"]!.map { _ in 0 },
                                             phaseOfRow: try phases.openDataset("metrics_phase").read(as: Int64.self).map(Int.init),
                                             temperatures: try phases.openDataset("temperature").read(as: Double.self), samplingStart: start)
        try reader.file.close()
        XCTAssertEqual(analysis.phases.count, 2)
        for phase in analysis.phases {
            let t = phase.temperature
            let mean = curvatures.reduce(0) { $0 + t / (2 * (1 - eta * $1 / 2)) }
            let variance = curvatures.reduce(0) { $0 + t * t / (2 * (1 - eta * $1 / 2) * (1 - eta * $1 / 2)) }
            let f = phase.fluctuations
            print(String(format: "T = %.3g: <L - L0> = %.5g +- %.2g (exact %.5g, kT/2 = %.5g); Var L = %.4g +- %.2g (exact %.4g); D_mean %.3f +- %.3f, D_var %.3f +- %.3f; tau_int %.1f rows, burn-in %d steps",
                         t, f.mean - analysis.reference, f.meanError, mean, 3 * t, f.variance, f.varianceError, variance,
                         phase.dMean, phase.dMeanError, phase.dVar, phase.dVarError, f.time.tau, phase.burnInSteps))
            XCTAssertEqual(f.mean - analysis.reference, mean, accuracy: 3 * f.meanError, "T = \(t)")
            XCTAssertEqual(f.variance, variance, accuracy: 3 * f.varianceError, "T = \(t)")
            XCTAssertEqual(phase.dMean, 6, accuracy: 3 * phase.dMeanError + 0.06 * 6)
        }
    }
}

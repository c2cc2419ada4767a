import Foundation
import GrokSimCore
import GrokSimHDF5
import XCTest
import GrokSimModels
import GrokSimTestSupport
@testable import GrokSimRun

final class RunFileTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        TestModels.install()
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("groksim-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private func smallConfig(_ extra: [(String, ConfigValue)] = []) throws -> ExperimentConfig {
        try ConfigLoader.resolve(preset: nil, file: [("n", .integer(12)), ("p", .integer(30)), ("m", .integer(6)), ("n_test", .integer(20)),
                                                     ("steps", .integer(7)), ("alpha", .number(1e-3)), ("omega", .number(1e-3)),
                                                     ("mu_norm", .number(5)), ("checkpoint_steps", .list([.integer(0), .integer(2)]))],
                                 overrides: extra)
    }

    func testDriverWritesMetricsCheckpointsAndStatus() throws {
        let path = directory.appendingPathComponent("run.h5").path
        var options = RunOptions(outputPath: path)
        options.showProgress = false
        let summary = try RunDriver<Double>(config: try smallConfig(), communicator: SerialCommunicator(), options: options).run()
        XCTAssertEqual(summary.steps, Array(0...7))

        let reader = try RunFileReader(path: path)
        XCTAssertEqual(reader.attribute("status"), "complete")
        let (steps, values) = try reader.metrics()
        XCTAssertEqual(steps, Array(0...7))
        for metric in XORReLUModel().metrics { XCTAssertEqual(values[metric.name]?.count, 8, metric.name) }
        let checkpoints = try reader.file.root.openGroup("checkpoints").memberNames()
        XCTAssertEqual(checkpoints, ["step_00000000", "step_00000002", "step_00000007"])
        let w = try reader.file.root.openDataset("checkpoints/step_00000007/W")
        XCTAssertEqual(try w.shape, [6, 30])
        // The table written from the file matches the one from memory.
        XCTAssertEqual(SummaryTable.render(model: XORReLUModel(), steps: steps, metrics: values),
                       SummaryTable.render(model: XORReLUModel(), steps: summary.steps, rows: summary.rows))
    }

    func testRefusesToOverwriteWithoutPermissionAndReaderRejectsForeignFiles() throws {
        let path = directory.appendingPathComponent("run.h5").path
        try Data("keep me".utf8).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try RunFile(creating: path, overwrite: false, config: try smallConfig(), ranks: 1, softwareVersion: "test"))
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "keep me")
        XCTAssertThrowsError(try RunFileReader(path: path)) { error in
            XCTAssertTrue("\(error)".contains("not an HDF5 file"), "\(error)")
        }
        let foreign = directory.appendingPathComponent("foreign.h5").path
        let file = try HDF5File.create(path: foreign)
        try file.root.createDataset("x", of: Double.self, shape: [3]).write([1.0, 2, 3])
        try file.close()
        XCTAssertThrowsError(try RunFileReader(path: foreign)) { error in
            XCTAssertTrue("\(error)".contains("not a GrokSim run file"), "\(error)")
        }
    }

    func testMemoryEstimateRefusesHugeRunsAndNamesTheSize() throws {
        var config = try smallConfig([("p", .integer(1_000_000_000)), ("n", .integer(10_000))])
        // Left to choose, this config runs reduced (d = 2 + n + m) and fits; forced explicit, it cannot.
        XCTAssertEqual(XORReLUSettings(config).resolvedRepresentation, .exactReduced)
        XCTAssertNil(MemoryEstimate(config: config, ranks: 1, ranksOnNode: 1).problem(available: 24 << 30))
        config.set("representation", .string("explicit"))
        let estimate = MemoryEstimate(config: config, ranks: 1, ranksOnNode: 1)
        XCTAssertGreaterThan(estimate.bytesPerNode, 80_000_000_000_000)
        let problem = estimate.problem(available: 24 << 30)
        XCTAssertNotNil(problem)
        XCTAssertTrue(problem!.contains("TiB") || problem!.contains("GiB"), problem!)
        XCTAssertTrue(problem!.contains("representation=exact-reduced"), problem!)
        XCTAssertNil(MemoryEstimate(config: try smallConfig(), ranks: 1, ranksOnNode: 1).problem(available: 24 << 30))
    }
}

final class ResumeTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        TestModels.install()
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("groksim-resume-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private func config(steps: Int, _ extra: [(String, ConfigValue)] = []) throws -> ExperimentConfig {
        try ConfigLoader.resolve(preset: nil, file: [("n", .integer(12)), ("p", .integer(30)), ("m", .integer(6)), ("n_test", .integer(20)),
                                                     ("steps", .integer(steps)), ("alpha", .number(1e-3)), ("omega", .number(1e-3)),
                                                     ("mu_norm", .number(5)), ("checkpoint_steps", .list([.integer(0), .integer(2)]))],
                                 overrides: extra)
    }

    func testResolvedConfigReadsBackExactlyIncludingMuNorm() throws {
        let original = try config(steps: 7, [("alpha", .number(0.1 + 0.2))])
        let text = ConfigLoader.render(original)
        XCTAssertEqual(try ConfigLoader.parseResolved(text, name: "t"), original)
        XCTAssertEqual(try ConfigLoader.parseResolved(text, name: "t").number("alpha").bitPattern, (0.1 + 0.2).bitPattern)
    }

    func testPlannerResumesFromTheLatestCheckpointAndDriverContinuesBitIdentically() throws {
        let full = directory.appendingPathComponent("full.h5").path
        let part = directory.appendingPathComponent("part.h5").path
        var options = RunOptions(outputPath: full)
        options.showProgress = false
        let reference = try RunDriver<Double>(config: try config(steps: 7), communicator: SerialCommunicator(), options: options).run()
        options.outputPath = part
        _ = try RunDriver<Double>(config: try config(steps: 4), communicator: SerialCommunicator(), options: options).run()

        let plan = try ResumePlanner.plan(runPath: part, overrides: [], moreSteps: nil, until: 7)
        XCTAssertEqual(plan.checkpoint.step, 4)
        XCTAssertEqual(plan.linkedSteps, [0, 2, 4])
        XCTAssertEqual(plan.config.steps, 7)
        XCTAssertEqual(plan.checkpoint.metrics.steps, [0, 1, 2, 3])
        let layout = ShardLayout(arrays: XORReLUModel().parameterArrays(plan.config), partition: WidthPartition(width: 6, parts: 1), part: 0)
        let local = try Checkpoint.readLocal(path: plan.checkpoint.path, layout: layout, optimizerState: false, as: Double.self)
        var start = ResumeStart<Double>(checkpoint: plan.checkpoint, localParameters: local.parameters)
        start.linkedSteps = plan.linkedSteps
        let resumed = try RunDriver<Double>(config: plan.config, communicator: SerialCommunicator(), options: options).run(resume: start)
        XCTAssertEqual(resumed.steps, reference.steps)
        for (a, b) in zip(resumed.rows, reference.rows) {
            XCTAssertEqual(a.map(\.bitPattern), b.map(\.bitPattern))
        }
        let reader = try RunFileReader(path: part)
        XCTAssertEqual(reader.attribute("status"), "complete")
        XCTAssertEqual(try reader.file.root.openGroup("checkpoints").memberNames(), ["step_00000000", "step_00000002", "step_00000004", "step_00000007"])
    }

    func testPlannerRefusesTrajectoryKeysAndForeignCheckpoints() throws {
        let part = directory.appendingPathComponent("part.h5").path
        var options = RunOptions(outputPath: part)
        options.showProgress = false
        _ = try RunDriver<Double>(config: try config(steps: 3), communicator: SerialCommunicator(), options: options).run()
        XCTAssertThrowsError(try ResumePlanner.plan(runPath: part, overrides: [("alpha", .number(1))], moreSteps: nil, until: nil)) { error in
            XCTAssertTrue("\(error)".contains("--set alpha cannot change when resuming"), "\(error)")
        }
        var other = try config(steps: 3)
        other.seed = 9
        XCTAssertThrowsError(try Checkpoint.verify(path: part + ".checkpoints/step_00000003.h5", runConfig: other)) { error in
            XCTAssertTrue("\(error)".contains("different experiment: seed"), "\(error)")
        }
    }
}

import Foundation
import GrokSimCore
import GrokSimHDF5
import XCTest
@testable import GrokSimRun

final class RunFileTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("groksim-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private func smallConfig() -> ExperimentConfig {
        var config = ExperimentConfig()
        config.n = 12; config.p = 30; config.m = 6; config.nTest = 20; config.steps = 7
        config.alpha = 1e-3; config.omega = 1e-3; config.muNorm = 5
        config.checkpointSteps = [0, 2]
        return config
    }

    func testDriverWritesMetricsCheckpointsAndStatus() throws {
        let path = directory.appendingPathComponent("run.h5").path
        var options = RunOptions(outputPath: path)
        options.showProgress = false
        let summary = try RunDriver<Double>(config: smallConfig(), communicator: SerialCommunicator(), options: options).run()
        XCTAssertEqual(summary.steps, Array(0...7))

        let reader = try RunFileReader(path: path)
        XCTAssertEqual(reader.attribute("status"), "complete")
        let (steps, values) = try reader.metrics()
        XCTAssertEqual(steps, Array(0...7))
        for metric in Metric.all { XCTAssertEqual(values[metric.name]?.count, 8, metric.name) }
        let checkpoints = try reader.file.root.openGroup("checkpoints").memberNames()
        XCTAssertEqual(checkpoints, ["step_00000000", "step_00000002", "step_00000007"])
        let w = try reader.file.root.openDataset("checkpoints/step_00000007/W")
        XCTAssertEqual(try w.shape, [6, 30])
        // The table written from the file matches the one from memory.
        XCTAssertEqual(SummaryTable.render(steps: steps, metrics: values), SummaryTable.render(steps: summary.steps, rows: summary.rows))
    }

    func testRefusesToOverwriteWithoutPermissionAndReaderRejectsForeignFiles() throws {
        let path = directory.appendingPathComponent("run.h5").path
        try Data("keep me".utf8).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try RunFile(creating: path, overwrite: false, config: smallConfig(), ranks: 1, softwareVersion: "test"))
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

    func testMemoryEstimateRefusesHugeRunsAndNamesTheSize() {
        var config = smallConfig()
        config.p = 1_000_000_000
        config.n = 10_000
        // Left to choose, this config runs reduced (d = 2 + n + m) and fits; forced explicit, it cannot.
        XCTAssertEqual(config.resolvedRepresentation, .exactReduced)
        XCTAssertNil(MemoryEstimate(config: config, ranks: 1, ranksOnNode: 1).problem(available: 24 << 30))
        config.representation = .explicit
        let estimate = MemoryEstimate(config: config, ranks: 1, ranksOnNode: 1)
        XCTAssertGreaterThan(estimate.bytesPerNode, 80_000_000_000_000)
        let problem = estimate.problem(available: 24 << 30)
        XCTAssertNotNil(problem)
        XCTAssertTrue(problem!.contains("TiB") || problem!.contains("GiB"), problem!)
        XCTAssertTrue(problem!.contains("representation=exact-reduced"), problem!)
        XCTAssertNil(MemoryEstimate(config: smallConfig(), ranks: 1, ranksOnNode: 1).problem(available: 24 << 30))
    }
}

final class ResumeTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("groksim-resume-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private func config(steps: Int) -> ExperimentConfig {
        var config = ExperimentConfig()
        config.n = 12; config.p = 30; config.m = 6; config.nTest = 20; config.steps = steps
        config.alpha = 1e-3; config.omega = 1e-3; config.muNorm = 5
        config.checkpointSteps = [0, 2]
        return config
    }

    func testResolvedConfigReadsBackExactlyIncludingMuNorm() throws {
        var original = config(steps: 7)
        original.alpha = 0.1 + 0.2
        let text = ConfigLoader.render(original)
        XCTAssertEqual(try ResumePlanner.parseResolved(text, name: "t"), original)
    }

    func testPlannerResumesFromTheLatestCheckpointAndDriverContinuesBitIdentically() throws {
        let full = directory.appendingPathComponent("full.h5").path
        let part = directory.appendingPathComponent("part.h5").path
        var options = RunOptions(outputPath: full)
        options.showProgress = false
        let reference = try RunDriver<Double>(config: config(steps: 7), communicator: SerialCommunicator(), options: options).run()
        options.outputPath = part
        _ = try RunDriver<Double>(config: config(steps: 4), communicator: SerialCommunicator(), options: options).run()

        let plan = try ResumePlanner.plan(runPath: part, overrides: [], moreSteps: nil, until: 7)
        XCTAssertEqual(plan.checkpoint.step, 4)
        XCTAssertEqual(plan.linkedSteps, [0, 2, 4])
        XCTAssertEqual(plan.config.steps, 7)
        XCTAssertEqual(plan.checkpoint.metrics.steps, [0, 1, 2, 3])
        let weights = try Checkpoint.readWeights(path: plan.checkpoint.path, rowOffset: 0, rowCount: 6, as: Double.self)
        var start = ResumeStart<Double>(checkpoint: plan.checkpoint, localWeights: weights)
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
        _ = try RunDriver<Double>(config: config(steps: 3), communicator: SerialCommunicator(), options: options).run()
        XCTAssertThrowsError(try ResumePlanner.plan(runPath: part, overrides: [("alpha", .number(1))], moreSteps: nil, until: nil)) { error in
            XCTAssertTrue("\(error)".contains("--set alpha cannot change when resuming"), "\(error)")
        }
        var other = config(steps: 3)
        other.seed = 9
        XCTAssertThrowsError(try Checkpoint.verify(path: part + ".checkpoints/step_00000003.h5", runConfig: other)) { error in
            XCTAssertTrue("\(error)".contains("different experiment: seed"), "\(error)")
        }
    }
}

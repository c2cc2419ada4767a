import XCTest
import GrokSimTestSupport
import GrokSimModels
@testable import GrokSimCore

final class ConfigTests: XCTestCase {
    override func setUp() {
        TestModels.install()
    }

    private func resolve(_ text: String = "", preset: String? = nil, sets: [String] = []) throws -> ExperimentConfig {
        try ConfigLoader.resolve(preset: preset.map { try Preset.named($0) },
                                 file: try ConfigLoader.parseFile(text, name: "test.toml"),
                                 overrides: try sets.map(ConfigLoader.parseOverride))
    }

    private func assertError(_ text: String = "", preset: String? = nil, sets: [String] = [], mentions: [String],
                             file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try resolve(text, preset: preset, sets: sets), file: file, line: line) { error in
            let message = "\(error)"
            XCTAssertFalse(message.contains("\n"), "one line: \(message)", file: file, line: line)
            for word in mentions {
                XCTAssertTrue(message.contains(word), "'\(message)' should mention '\(word)'", file: file, line: line)
            }
        }
    }

    func testFileWithCommentsUnderscoresListsAndStrings() throws {
        let config = try resolve("""
        # a comment line
        n = 50            # trailing comment
        p = 40_000
        precision = "float32"
        second_layer = 'balanced'
        checkpoint_steps = [0, 3, 7]
        alpha = 1e-9
        seed = 12
        """)
        XCTAssertEqual(config.n, 50)
        XCTAssertEqual(config.p, 40_000)
        XCTAssertEqual(config.precision, .float32)
        XCTAssertEqual(config.secondLayer, .balanced)
        XCTAssertEqual(config.checkpointSteps, [0, 3, 7])
        XCTAssertEqual(config.alpha, 1e-9)
        XCTAssertEqual(config.seed, 12)
    }

    func testPrecedencePresetThenFileThenSet() throws {
        let config = try resolve("m = 300\nsteps = 10", preset: "small", sets: ["m=17", "precision=float32"])
        XCTAssertEqual(config.m, 17)
        XCTAssertEqual(config.steps, 10)
        XCTAssertEqual(config.n, 100)
        XCTAssertEqual(config.precision, .float32)
    }

    func testPaperPreset() throws {
        let config = try resolve(preset: "xu2024-fig1")
        XCTAssertEqual(config.p, 40_000)
        XCTAssertEqual(config.n, 200)
        XCTAssertEqual(config.m, 1000)
        XCTAssertEqual(config.resolvedMuNorm, 2.5 * (40_000.0 / 200).squareRoot(), accuracy: 1e-12)
        XCTAssertGreaterThan(Double(config.steps), Double(config.n).squareRoot())
    }

    func testMuNormOverridesFactorAndFactorOverridesBack() throws {
        XCTAssertEqual(try resolve(sets: ["mu_norm=3"]).resolvedMuNorm, 3)
        XCTAssertEqual(try resolve(sets: ["mu_norm=3", "mu_norm_factor=1"]).resolvedMuNorm, (40_000.0 / 200).squareRoot())
    }

    func testRenderedConfigReadsBackToTheSameConfig() throws {
        let original = try resolve(preset: "small", sets: ["precision=float32", "mu_norm=7.25", "weight_decay=0.001"])
        let again = try resolve(ConfigLoader.render(original))
        XCTAssertEqual(again, original)
    }

    func testBadInputsGiveOneLineNamingTheProblem() {
        assertError(sets: ["n=0"], mentions: ["n must be a positive integer", "0"])
        assertError(sets: ["m=-3"], mentions: ["m must", "-3"])
        assertError(sets: ["p=1"], mentions: ["p must"])
        assertError(sets: ["eta=0.5"], mentions: ["eta", "[0, 0.5)"])
        assertError(sets: ["eta=-0.1"], mentions: ["eta"])
        assertError(sets: ["alpha=nan"], mentions: ["alpha", "finite"])
        assertError(sets: ["omega=inf"], mentions: ["omega"])
        assertError(sets: ["n=2.5"], mentions: ["n must be an integer"])
        assertError(sets: ["precision=float16"], mentions: ["precision", "float64", "float32"])
        assertError(sets: ["second_layer=random"], mentions: ["second_layer"])
        assertError(sets: ["checkpoint_steps=[0, 100000]"], mentions: ["checkpoint_steps"])
        assertError(sets: ["seed=-1"], mentions: ["seed"])
        assertError(sets: ["checkpoint_last=1"], mentions: ["checkpoint_last must be true or false"])
        assertError(sets: ["nn=3"], mentions: ["unknown key 'nn'", "did you mean 'n'"])
        assertError(sets: ["steps"], mentions: ["key=value"])
        assertError("n = 3\nfoo = 1", mentions: ["test.toml:2", "unknown key 'foo'"])
        assertError("n = 3\nn = 4", mentions: ["test.toml:2", "twice"])
        assertError("[section]", mentions: ["test.toml:1", "tables"])
        assertError("just words", mentions: ["test.toml:1", "key = value"])
        assertError("model = \"cnn\"", mentions: ["model"])
        assertError(preset: "xu2025", mentions: ["unknown preset 'xu2025'", "xu2024-fig1"])
        assertError(sets: ["n=4000000000", "p=4000000000"], mentions: ["overflow"])
    }

    func testMetricsScheduleIsDenseThenLogSpacedAndEndsAtLastStep() {
        var config = ExperimentConfig()
        config.steps = 10_000
        config.metricsDenseUntil = 100
        config.metricsPerDecade = 10
        let schedule = config.metricsSchedule
        XCTAssertEqual(Array(schedule.prefix(101)), Array(0...100))
        XCTAssertEqual(schedule.last, 10_000)
        XCTAssertEqual(schedule.count, 101 + 20, accuracy: 2)
        XCTAssertEqual(schedule, schedule.sorted())
    }

    func testCheckpointScheduleAlwaysHasTheLastStep() {
        var config = ExperimentConfig()
        config.steps = 10
        config.checkpointSteps = [0, 1]
        config.checkpointEvery = 4
        XCTAssertEqual(config.checkpointSchedule, [0, 1, 4, 8, 10])
        config.checkpointLast = false
        config.checkpointEvery = 0
        XCTAssertEqual(config.checkpointSchedule, [0, 1])
    }

    /// The O(1) predicates the driver uses list exactly the steps of the schedules, and cost nothing at 10^10 steps.
    func testScheduleMembershipMatchesTheSchedules() throws {
        for (dense, perDecade, steps, every) in [(100, 20, 40, 0), (100, 20, 12345, 0), (0, 7, 5000, 3), (10, 1000, 100_000, 250), (3, 1, 999, 0)] {
            var config = try ConfigLoader.defaults(model: "xor-relu")
            config.metricsDenseUntil = dense
            config.metricsPerDecade = perDecade
            config.steps = steps
            config.checkpointEvery = every
            let metrics = Set(config.metricsSchedule), checkpoints = Set(config.checkpointSchedule)
            for step in -1 ... steps + 1 {
                XCTAssertEqual(config.isMetricsStep(step), metrics.contains(step), "metrics step \(step) of \(steps)")
                XCTAssertEqual(config.isCheckpointStep(step), checkpoints.contains(step), "checkpoint step \(step)")
            }
        }
        var huge = try ConfigLoader.defaults(model: "xor-relu")
        huge.steps = 10_000_000_000
        huge.checkpointEvery = 1
        huge.metricsDenseUntil = 9_000_000_000
        XCTAssertTrue(huge.isCheckpointStep(9_999_999_999) && huge.isMetricsStep(8_999_999_999) && huge.isMetricsStep(10_000_000_000))
    }
}

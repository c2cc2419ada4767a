import Foundation
import GrokSimCore
import TOMLKit

/// One axis of a sweep: a config key and its values, or several keys whose values vary together (zipped).
public struct SweepAxis: Sendable {
    /// The axis's name in the index and on plots: its key, or the zipped keys joined by '+'.
    public let name: String
    public let keys: [String]
    /// `values[i][k]`: the value of `keys[k]` at the axis's i-th position.
    public let values: [[Double]]
    /// Whether the values are evenly spaced in log (plots use a log axis).
    public let isLog: Bool

    /// The config value of key `k` at position `i` (integers stay integers).
    func configValue(_ i: Int, _ k: Int) -> ConfigValue {
        let value = values[i][k]
        // Whole numbers go in as integers, which number keys accept too.
        if value == value.rounded(), abs(value) < 1e15 { return .integer(Int(value)) }
        return .number(value)
    }

    /// Keys given as whole numbers in the sweep file.
    let integerKeys: Set<String>
}

/// A parsed sweep file: the base config, the axes and the seeds per point.
///
/// The file is TOML (read with TOMLKit):
/// ```toml
/// seeds = "0..9"                 # or a count: seeds = 10 (seeds 0..9)
/// [base]
/// preset = "small"               # optional; also: model = "...", file = "config.toml" (relative to this file)
/// [base.set]                     # overrides of the base config
/// steps = 400
/// [[axis]]
/// key = "n"
/// values = [20, 40, 80]
/// [[axis]]
/// key = "alpha"
/// logspace = [1e-3, 1e-1, 5]     # first, last, count; linspace likewise
/// [[axis]]
/// keys = ["p", "mu_norm"]        # zipped: the keys vary together
/// values = [[100, 6], [200, 8]]
/// ```
/// Points are the product of the axes in file order (the last axis varies fastest).
public struct SweepSpec: Sendable {
    public let text: String
    /// Directory against which `base.file` is resolved (absolute).
    public let directory: String
    public let preset: String?
    public let baseFile: [(String, ConfigValue)]
    public let baseSets: [(String, ConfigValue)]
    public let axes: [SweepAxis]
    public let seeds: [UInt64]

    /// Parses and checks `text`; every error is one line naming the file and the problem.
    public init(text: String, name: String, directory: String) throws {
        self.text = text
        self.directory = directory
        func fail(_ message: String) -> ConfigError { ConfigError("sweep file '\(name)': \(message)") }
        let table: TOMLTable
        do { table = try TOMLTable(string: text) } catch let error as TOMLParseError {
            throw fail("not valid TOML at line \(error.source.begin.line), column \(error.source.begin.column): \(error.description)")
        }
        for key in table.keys where !["seeds", "base", "axis"].contains(key) {
            throw fail("unknown entry '\(key)' (a sweep file has seeds, [base] and [[axis]] entries)")
        }
        // Seeds.
        switch table["seeds"] {
        case nil: seeds = [0]
        case let value? where value.int != nil:
            guard let count = value.int, count >= 1, count <= 1_000_000 else { throw fail("seeds must be a count >= 1 or a range \"A..B\"") }
            seeds = (0..<UInt64(count)).map { $0 }
        case let value? where value.string != nil:
            let parts = value.string!.components(separatedBy: "..")
            guard parts.count == 2, let first = UInt64(parts[0]), let last = UInt64(parts[1]), first <= last, last - first < 1_000_000 else {
                throw fail("seeds = \"\(value.string!)\" is not a range \"A..B\" with A <= B")
            }
            seeds = Array(first...last)
        default: throw fail("seeds must be a count >= 1 or a range \"A..B\"")
        }
        // Base config.
        var preset: String? = nil
        var baseFile: [(String, ConfigValue)] = []
        var baseSets: [(String, ConfigValue)] = []
        if let baseValue = table["base"] {
            guard let base = baseValue.table else { throw fail("base must be a table ([base])") }
            for key in base.keys {
                switch key {
                case "preset":
                    guard let text = base[key]?.string else { throw fail("base.preset must be a string") }
                    preset = text
                case "model":
                    guard let text = base[key]?.string else { throw fail("base.model must be a string") }
                    baseSets.insert((RunControlKeys.model, .string(text)), at: 0)
                case "file":
                    guard let file = base[key]?.string else { throw fail("base.file must be a string") }
                    let path = file.hasPrefix("/") ? file : (directory as NSString).appendingPathComponent(file)
                    guard let content = try? String(contentsOfFile: path, encoding: .utf8) else {
                        throw fail("base.file '\(file)' cannot be read")
                    }
                    baseFile = try ConfigLoader.parseFile(content, name: path)
                case "set":
                    guard let sets = base[key]?.table else { throw fail("base.set must be a table ([base.set])") }
                    for setKey in sets.keys {
                        baseSets.append((setKey, try Self.configValue(sets[setKey]!, key: "base.set.\(setKey)", fail: fail)))
                    }
                default:
                    throw fail("unknown entry 'base.\(key)' ([base] has preset, model, file and a [base.set] table)")
                }
            }
        }
        self.preset = preset
        self.baseFile = baseFile
        self.baseSets = baseSets
        // Axes.
        var axes: [SweepAxis] = []
        if let axisValue = table["axis"] {
            guard let list = axisValue.array else { throw fail("axis must be an array of tables ([[axis]])") }
            for (position, item) in list.enumerated() {
                guard let entry = item.table else { throw fail("axis \(position + 1) must be a table ([[axis]])") }
                axes.append(try Self.axis(entry, position: position + 1, fail: fail))
            }
        }
        var seen = Set<String>()
        for key in axes.flatMap(\.keys) {
            if key == RunControlKeys.seed { throw fail("'seed' cannot be an axis; give the seeds per point with seeds = \"A..B\"") }
            guard seen.insert(key).inserted else { throw fail("key '\(key)' is on more than one axis") }
        }
        self.axes = axes
    }

    /// Reads and parses the sweep file at `path`.
    public static func load(path: String) throws -> SweepSpec {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
              let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw ConfigError("sweep file '\(path)' does not exist or is not a readable text file")
        }
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        return try SweepSpec(text: text, name: path, directory: (absolute as NSString).deletingLastPathComponent)
    }

    private static func axis(_ entry: TOMLTable, position: Int, fail: (String) -> ConfigError) throws -> SweepAxis {
        let label = "axis \(position)"
        for key in entry.keys where !["key", "keys", "values", "linspace", "logspace", "name", "scale"].contains(key) {
            throw fail("\(label): unknown entry '\(key)' (an axis has key or keys, and values, linspace or logspace)")
        }
        var keys: [String]
        if let single = entry["key"]?.string, entry["keys"] == nil {
            keys = [single]
        } else if let list = entry["keys"]?.array, entry["key"] == nil {
            keys = try list.map { item in
                guard let text = item.string else { throw fail("\(label): keys must be a list of key names") }
                return text
            }
        } else {
            throw fail("\(label): give the swept key as key = \"name\" (or zipped keys as keys = [\"a\", \"b\"])")
        }
        guard !keys.isEmpty else { throw fail("\(label): keys is empty") }
        let ranges = ["values", "linspace", "logspace"].filter { entry[$0] != nil }
        guard ranges.count == 1 else { throw fail("\(label) (\(keys.joined(separator: "+"))): give exactly one of values, linspace, logspace") }
        var integerKeys = Set<String>()
        var values: [[Double]] = []
        var isLog = false
        if let list = entry["values"]?.array {
            guard !list.isEmpty else { throw fail("\(label) (\(keys.joined(separator: "+"))): values is empty") }
            for item in list {
                let row: [TOMLValueConvertible] = keys.count == 1 ? [item] : (item.array.map { Array($0) } ?? [])
                guard row.count == keys.count else {
                    throw fail("\(label): each value of zipped keys \(keys) must be a list of \(keys.count) numbers")
                }
                values.append(try row.enumerated().map { index, value in
                    if let integer = value.int { integerKeys.insert(keys[index]); return Double(integer) }
                    guard let number = value.double, number.isFinite else {
                        throw fail("\(label): value \(value.debugDescription) of '\(keys[index])' is not a finite number (axes take numbers)")
                    }
                    return number
                })
            }
        } else {
            guard keys.count == 1 else { throw fail("\(label): zipped keys take explicit values = [[...], ...]") }
            let kind = ranges[0]
            guard let list = entry[kind]?.array, list.count == 3,
                  let first = list[0].double ?? list[0].int.map(Double.init), let last = list[1].double ?? list[1].int.map(Double.init),
                  let count = list[2].int, first.isFinite, last.isFinite else {
                throw fail("\(label) (\(keys[0])): \(kind) = [first, last, count] with numbers and a whole count")
            }
            guard count >= 1 && count <= 100_000 else { throw fail("\(label) (\(keys[0])): \(kind) count must be between 1 and 100000 (got \(count))") }
            if kind == "logspace" {
                guard first > 0 && last > 0 else { throw fail("\(label) (\(keys[0])): logspace needs positive ends (got \(first), \(last))") }
                isLog = true
                values = (0..<count).map { i in
                    [count == 1 ? first : Self.tidy(first * pow(last / first, Double(i) / Double(count - 1)))]
                }
            } else {
                values = (0..<count).map { i in [count == 1 ? first : Self.tidy(first + (last - first) * Double(i) / Double(count - 1))] }
            }
        }
        switch entry["scale"]?.string {
        case "log":
            guard values.allSatisfy({ $0.allSatisfy { $0 > 0 } }) else { throw fail("\(label): scale = \"log\" needs positive values") }
            isLog = true
        case "linear": isLog = false
        case nil:
            if entry["scale"] != nil { throw fail("\(label): scale must be \"log\" or \"linear\"") }
            // Values with a constant ratio (at least three) are log-spaced.
            if !isLog, values.count >= 3, values.allSatisfy({ $0[0] > 0 }) {
                let ratios = (1..<values.count).map { values[$0][0] / values[$0 - 1][0] }
                isLog = ratios[0] > 1.5 && ratios.allSatisfy { abs($0 / ratios[0] - 1) < 1e-6 }
            }
        case let other?: throw fail("\(label): scale must be \"log\" or \"linear\" (got \"\(other)\")")
        }
        let name = entry["name"]?.string ?? keys.joined(separator: "+")
        return SweepAxis(name: name, keys: keys, values: values, isLog: isLog, integerKeys: integerKeys)
    }

    /// `value` rounded to 12 significant digits, so that logspace = [1e6, 1e8, 3] gives exactly 1e6, 1e7, 1e8
    /// (and integer keys get whole numbers) rather than values one rounding error away.
    static func tidy(_ value: Double) -> Double {
        Double(String(format: "%.12g", value)) ?? value
    }

    private static func configValue(_ value: TOMLValueConvertible, key: String, fail: (String) -> ConfigError) throws -> ConfigValue {
        if let bool = value.bool, value.type == .bool { return .boolean(bool) }
        if let integer = value.int, value.type == .int { return .integer(integer) }
        if let number = value.double, value.type == .double { return .number(number) }
        if let text = value.string { return .string(text) }
        if let list = value.array { return .list(try list.map { try configValue($0, key: key, fail: fail) }) }
        throw fail("\(key): unsupported value \(value.debugDescription)")
    }

    /// Number of points: the product of the axes' lengths (1 without axes).
    public var pointCount: Int { axes.reduce(1) { $0 * $1.values.count } }

    /// The position on each axis of point `point` (the last axis varies fastest).
    public func coordinates(of point: Int) -> [Int] {
        var rest = point
        var result = [Int](repeating: 0, count: axes.count)
        for index in axes.indices.reversed() {
            result[index] = rest % axes[index].values.count
            rest /= axes[index].values.count
        }
        return result
    }

    /// The overrides that make point `point` from the base config.
    public func overrides(of point: Int) -> [(String, ConfigValue)] {
        zip(axes, coordinates(of: point)).flatMap { axis, position in
            axis.keys.indices.map { (axis.keys[$0], axis.configValue(position, $0)) }
        }
    }

    /// The config of point `point` with seed `seed`, resolved and validated like `groksim run`'s.
    public func config(point: Int, seed: UInt64) throws -> ExperimentConfig {
        let presetValue = try preset.map(Preset.named)
        do {
            return try ConfigLoader.resolve(preset: presetValue, file: baseFile,
                                            overrides: baseSets + overrides(of: point) + [(RunControlKeys.seed, .integer(Int(seed)))])
        } catch let error as ConfigError {
            let where_ = axes.isEmpty ? "" : " (at point \(point): " + overrides(of: point).map { "\($0.0)=\($0.1)" }.joined(separator: " ") + ")"
            throw ConfigError("\(error.description)\(where_)")
        }
    }

    /// The config of point `point` with some keys set to other values (for drawing a theory between the points), or nil
    /// when that config is not valid.
    public func config(point: Int, replacing: [(String, Double)]) -> ExperimentConfig? {
        let presetValue = try? preset.map(Preset.named)
        let replaced = Set(replacing.map(\.0))
        let values = replacing.map { key, value -> (String, ConfigValue) in
            (key, value == value.rounded() && abs(value) < 1e15 ? .integer(Int(value)) : .number(value))
        }
        let kept = baseSets + self.overrides(of: point).filter { !replaced.contains($0.0) }
        if let config = try? ConfigLoader.resolve(preset: presetValue, file: baseFile, overrides: kept + values) { return config }
        // Integer keys between grid values: round them.
        let rounded = replacing.map { key, value in (key, abs(value) >= 1 ? ConfigValue.integer(Int(value.rounded())) : ConfigValue.number(value)) }
        return try? ConfigLoader.resolve(preset: presetValue, file: baseFile,
                                         overrides: kept + rounded)
    }

    /// Every run: point-major, seeds within a point; run files in `<index>.runs/`.
    public func runs(indexPath: String) throws -> [QueuedRun] {
        let directory = Self.runDirectory(for: indexPath)
        var runs: [QueuedRun] = []
        for point in 0..<pointCount {
            for seed in seeds {
                runs.append(QueuedRun(row: runs.count, point: point, config: try config(point: point, seed: seed),
                                      path: (directory as NSString).appendingPathComponent(String(format: "point_%05d_seed_%06llu.h5", point, seed))))
            }
        }
        return runs
    }

    /// Directory of the run files of the sweep index at `path`.
    public static func runDirectory(for path: String) -> String { path + ".runs" }
}

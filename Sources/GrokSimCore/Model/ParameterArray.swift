/// One named array of trainable parameters, as checkpoints store it and as the engine shards it.
///
/// A sharded array is split along its first axis (the model's width dimension) in the blocks of
/// `WidthPartition`; a replicated array is held whole by every rank, which all update it identically
/// because its gradient depends only on the all-reduced outputs.
public struct ParameterArray: Sendable, Equatable {
    public let name: String
    public let description: String
    public let units: String
    /// Global shape; axis 0 has the model's width when `sharded`.
    public let shape: [Int]
    public let sharded: Bool

    public init(_ name: String, shape: [Int], sharded: Bool, units: String = "1", _ description: String) {
        self.name = name
        self.description = description
        self.units = units
        self.shape = shape
        self.sharded = sharded
    }

    /// Elements per row of axis 0 (1 for a vector).
    public var rowLength: Int { shape.dropFirst().reduce(1) { SizeArithmetic.product($0, $1) } }
    public var count: Int { shape.reduce(1) { SizeArithmetic.product($0, $1) } }
}

/// A named array of fixed values a model records (fixed weights, sampled data), with its description and units.
public struct NamedArray: Sendable {
    /// The element values, in the type they are stored with.
    public enum Values: Sendable {
        case float64([Double])
        case float32([Float])
        case int8([Int8])
    }

    public let name: String
    public let description: String
    public let units: String
    public let shape: [Int]
    public let values: Values

    public init(_ name: String, shape: [Int], values: Values, units: String = "1", _ description: String) {
        self.name = name
        self.description = description
        self.units = units
        self.shape = shape
        self.values = values
    }

    /// The values as doubles, whatever their stored type.
    public var doubles: [Double] {
        switch values {
        case .float64(let v): return v
        case .float32(let v): return v.map(Double.init)
        case .int8(let v): return v.map(Double.init)
        }
    }
}

/// A group of scalar attributes a model records in the run file (for example a theorem's assumptions).
public struct AttributeGroup: Sendable {
    public enum Value: Sendable {
        case text(String)
        case number(Double)
        case integer(Int)
    }

    public let name: String
    public let description: String
    public let attributes: [(String, Value)]

    public init(_ name: String, description: String, attributes: [(String, Value)]) {
        self.name = name
        self.description = description
        self.attributes = attributes
    }
}

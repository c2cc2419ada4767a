import GrokSimCore
import GrokSimHDF5

/// Writing arrays with the `description` and `units` attributes every GrokSim dataset carries.
extension HDF5Group {
    /// Creates dataset `name` of `shape`, writes `values` and describes it.
    @discardableResult
    public func writeDescribed<Element: HDF5Scalar>(_ name: String, _ values: [Element], shape: [Int]? = nil, description: String,
                                                    units: String = "1") throws -> HDF5Dataset {
        let dataset = try createDataset(name, of: Element.self, shape: shape ?? [values.count])
        if !values.isEmpty { try dataset.write(values) }
        try dataset.setAttribute("description", description)
        try dataset.setAttribute("units", units)
        return dataset
    }

    /// Writes a model's named array with its own type, shape, description and units.
    public func write(_ array: NamedArray) throws {
        switch array.values {
        case .float64(let values): try writeDescribed(array.name, values, shape: array.shape, description: array.description, units: array.units)
        case .float32(let values): try writeDescribed(array.name, values, shape: array.shape, description: array.description, units: array.units)
        case .int8(let values): try writeDescribed(array.name, values, shape: array.shape, description: array.description, units: array.units)
        }
    }

    /// Writes a model's attribute group as a subgroup of scalar attributes.
    public func write(_ group: AttributeGroup) throws {
        let child = try createGroup(group.name)
        try child.setAttribute("description", group.description)
        for (name, value) in group.attributes {
            switch value {
            case .text(let text): try child.setAttribute(name, text)
            case .number(let number): try child.setAttribute(name, number)
            case .integer(let integer): try child.setAttribute(name, integer)
            }
        }
    }
}

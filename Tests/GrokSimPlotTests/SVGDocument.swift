import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest

/// A rendered chart parsed back as XML, with lookups by element name and class for the tests.
struct SVGDocument {
    let text: String
    let root: XMLElement

    /// Parses `text`, failing the calling test if it is not well-formed XML.
    init(_ text: String, file: StaticString = #filePath, line: UInt = #line) throws {
        self.text = text
        let document = try XMLDocument(xmlString: text, options: [])
        root = try XCTUnwrap(document.rootElement(), "no root element", file: file, line: line)
    }

    /// Every element below the root named `name` (and with class `className`, if given), in document order.
    func elements(_ name: String, class className: String? = nil) -> [XMLElement] {
        Self.descendants(of: root, name, class: className)
    }

    /// Every element below `node` named `name` (and with class `className`, if given), in document order.
    static func descendants(of node: XMLNode, _ name: String, class className: String? = nil) -> [XMLElement] {
        var found: [XMLElement] = []
        func visit(_ node: XMLNode) {
            for child in node.children ?? [] {
                guard let element = child as? XMLElement else { continue }
                if (element.localName ?? element.name) == name,
                   className == nil || element.value(of: "class") == className {
                    found.append(element)
                }
                visit(element)
            }
        }
        visit(node)
        return found
    }

    /// The text of each element named `name` with class `className`.
    func texts(_ name: String = "text", class className: String) -> [String] {
        elements(name, class: className).map { $0.stringValue ?? "" }
    }
}

extension XMLElement {
    /// The value of attribute `name`, or nil.
    ///
    /// Searches `attributes` because swift-corelibs-foundation's `attribute(forName:)` finds nothing
    /// on elements in a default namespace, which every SVG element is.
    func value(of name: String) -> String? {
        attributes?.first { ($0.localName ?? $0.name) == name }?.stringValue
    }

    /// The coordinate pairs of a polyline or polygon's `points` attribute.
    var pointCount: Int {
        (value(of: "points") ?? "").split(separator: " ").count
    }
}

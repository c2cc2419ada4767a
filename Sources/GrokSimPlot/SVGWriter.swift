/// Builds an SVG document as text, escaping every attribute value and text node.
struct SVGWriter {
    /// The document so far.
    private(set) var text = ""
    private var depth = 0

    /// Opens an element that later needs ``close(_:)``.
    mutating func open(_ name: String, _ attributes: [(String, String)] = []) {
        line("<\(name)\(Self.attributeText(attributes))>")
        depth += 1
    }

    mutating func close(_ name: String) {
        depth -= 1
        line("</\(name)>")
    }

    /// Writes a complete element: empty, or holding `content` as escaped text.
    mutating func element(_ name: String, _ attributes: [(String, String)] = [], content: String? = nil) {
        if let content {
            line("<\(name)\(Self.attributeText(attributes))>\(Self.escape(content))</\(name)>")
        } else {
            line("<\(name)\(Self.attributeText(attributes))/>")
        }
    }

    /// Writes markup that needs no escaping, such as the XML declaration.
    mutating func raw(_ markup: String) {
        line(markup)
    }

    private mutating func line(_ markup: String) {
        text += String(repeating: "  ", count: max(depth, 0)) + markup + "\n"
    }

    private static func attributeText(_ attributes: [(String, String)]) -> String {
        attributes.map { " \($0.0)=\"\(escape($0.1))\"" }.joined()
    }

    /// `text` made safe for both text nodes and double- or single-quoted attributes.
    ///
    /// Line breaks and tabs become spaces, since every string here is drawn on one line,
    /// and other characters that XML 1.0 forbids are dropped so the document always parses.
    static func escape(_ text: String) -> String {
        var result = ""
        result.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            case "\n", "\r", "\t": result += " "
            case _ where scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF: continue
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}

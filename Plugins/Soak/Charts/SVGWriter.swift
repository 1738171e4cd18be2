/// Builds SVG markup element by element, escaping every text and attribute value, so whatever
/// a series is named the document stays well-formed XML.
struct SVGWriter {
    private(set) var text = ""

    /// Starts the document: the XML declaration and the root element.
    init(width: Int, height: Int, title: String) {
        text += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        text += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\""
            + " viewBox=\"0 0 \(width) \(height)\" font-family=\"sans-serif\" font-size=\"12\">\n"
        text += "<title>\(SVGWriter.escape(title))</title>\n"
    }

    /// An empty element: `<name a="1" b="2"/>`, attributes in the order given.
    mutating func element(_ name: String, _ attributes: [(String, String)]) {
        text += "<\(name)\(SVGWriter.attributeText(attributes))/>\n"
    }

    /// A text element.
    mutating func text(_ content: String, x: Double, y: Double, anchor: String = "start",
                       extra: [(String, String)] = []) {
        let attributes = [("x", SVGWriter.number(x)), ("y", SVGWriter.number(y)), ("text-anchor", anchor)] + extra
        text += "<text\(SVGWriter.attributeText(attributes))>\(SVGWriter.escape(content))</text>\n"
    }

    /// Opens a group; close it with ``endGroup()``.
    mutating func beginGroup(_ attributes: [(String, String)]) {
        text += "<g\(SVGWriter.attributeText(attributes))>\n"
    }

    /// Closes the innermost group.
    mutating func endGroup() { text += "</g>\n" }

    /// Closes the document and returns it.
    mutating func finish() -> String {
        text += "</svg>\n"
        return text
    }

    /// A coordinate with two decimals at most: enough for a screen, and the same text for the
    /// same number on every machine.
    static func number(_ value: Double) -> String { DecimalText.format(value, decimals: 2, trim: true) }

    /// `value` safe inside a double-quoted attribute or as element content. Control characters
    /// other than tab and newline are not allowed in XML 1.0 at all, so they become "?".
    static func escape(_ value: String) -> String {
        var result = ""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&apos;"
            case "\t", "\n": result.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF {
                    result += "?"
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result
    }

    private static func attributeText(_ attributes: [(String, String)]) -> String {
        attributes.map { " \($0.0)=\"\(escape($0.1))\"" }.joined()
    }
}

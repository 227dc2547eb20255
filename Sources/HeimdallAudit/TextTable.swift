/// Renders rows as left-aligned columns separated by two spaces, header first.
/// Control characters in cells are shown escaped (`\n`, `\t`, ...) so one row stays one
/// line. Pure: any thread.
public enum TextTable {
    /// The table text, each line ending with a newline; no trailing spaces.
    public static func render(header: [String], rows: [[String]]) -> String {
        let cells = ([header] + rows).map { $0.map(displayText) }
        var widths = [Int](repeating: 0, count: header.count)
        for row in cells {
            for (index, cell) in row.enumerated() where index < widths.count {
                widths[index] = max(widths[index], cell.count)
            }
        }
        var out = ""
        for row in cells {
            var line = ""
            for (index, cell) in row.enumerated() where index < widths.count {
                line += cell
                if index < widths.count - 1 {
                    line += String(repeating: " ", count: widths[index] - cell.count + 2)
                }
            }
            while line.last == " " { line.removeLast() }
            out += line + "\n"
        }
        return out
    }

    /// `text` with control characters escaped.
    public static func displayText(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7f {
                    out += "\\u{" + String(scalar.value, radix: 16) + "}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}

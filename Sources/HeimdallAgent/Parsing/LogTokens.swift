/// Splits a log line into space-separated tokens where `"..."` (with `\"` escapes) and
/// `[...]` each count as one token, without their delimiters. Used by access logs.
/// Pure: any thread may call it.
enum LogTokens {
    /// A token and whether it was quoted or bracketed.
    struct Token: Hashable {
        var text: Substring
        var delimited: Bool
    }

    /// The tokens of `line`; an unterminated quote or bracket runs to the end of the line.
    static func split(_ line: Substring) -> [Token] {
        var tokens: [Token] = []
        var index = line.startIndex
        while index < line.endIndex {
            let character = line[index]
            if character == " " {
                index = line.index(after: index)
                continue
            }
            if character == "\"" || character == "[" {
                let close: Character = character == "\"" ? "\"" : "]"
                let start = line.index(after: index)
                var end = start
                var escaped = false
                while end < line.endIndex {
                    let current = line[end]
                    if escaped {
                        escaped = false
                    } else if current == "\\" && close == "\"" {
                        escaped = true
                    } else if current == close {
                        break
                    }
                    end = line.index(after: end)
                }
                tokens.append(Token(text: line[start..<end], delimited: true))
                index = end < line.endIndex ? line.index(after: end) : end
                continue
            }
            let end = line[index...].firstIndex(of: " ") ?? line.endIndex
            tokens.append(Token(text: line[index..<end], delimited: false))
            index = end
        }
        return tokens
    }
}

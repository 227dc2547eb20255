import HeimdallProtocol

/// Sizes written like `256MiB`, `1GiB`, `512K`, `64kb` or plain bytes (`1048576`); every unit
/// is binary (K = KiB = 1024). Pure: any thread.
public enum ByteSizeParser {
    /// The size in bytes, or nil when `text` is not a positive whole number with an optional
    /// unit (`K`, `M`, `G`, `T`, each optionally followed by `iB` or `B`; case-insensitive).
    public static func bytes(_ text: String) -> Int? {
        var rest = Substring(text.trimmingCharacters(where: \.isWhitespace).lowercased())
        for suffix in ["ib", "b"] where rest.hasSuffix(suffix) && rest.count > suffix.count {
            rest = rest.dropLast(suffix.count)
            break
        }
        let shift: Int
        switch rest.last {
        case "k": shift = 10
        case "m": shift = 20
        case "g": shift = 30
        case "t": shift = 40
        default: shift = 0
        }
        if shift > 0 { rest = rest.dropLast() }
        guard !rest.isEmpty, rest.count <= 15, rest.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int(rest), value > 0,
              value <= Int.max >> shift else { return nil }
        return value << shift
    }
}

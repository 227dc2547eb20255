#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HeimdallProtocol

/// Durations written like `90s`, `15m`, `24h`, `7d`, or plain seconds (`3600`).
/// Pure: any thread.
public enum DurationParser {
    /// The duration in seconds, or nil when `text` is not a positive whole number with an
    /// optional unit (`s`, `m`, `h`, `d`).
    public static func seconds(_ text: String) -> TimeInterval? {
        let trimmed = text.trimmingCharacters(where: \.isWhitespace).lowercased()
        guard let last = trimmed.last else { return nil }
        let multiplier: Double
        var digits = Substring(trimmed)
        switch last {
        case "s": multiplier = 1
        case "m": multiplier = 60
        case "h": multiplier = 3_600
        case "d": multiplier = 86_400
        default:
            guard last.isASCII, last.isNumber else { return nil }
            multiplier = 1
        }
        if !last.isNumber { digits = digits.dropLast() }
        guard !digits.isEmpty, digits.count <= 12, digits.allSatisfy({ $0.isASCII && $0.isNumber }),
              let value = Int64(digits), value > 0
        else { return nil }
        return Double(value) * multiplier
    }
}

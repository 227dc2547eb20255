import Foundation
import HeimdallProtocol

#if canImport(Glibc)
import Glibc
#endif

/// Conversions between `Date` and PostgreSQL's `timestamptz` text. Pure functions: any
/// thread may call them.
public enum PostgresTimestamp {
    /// `2026-11-20T10:15:02.123456Z` (UTC, microsecond precision, as PostgreSQL stores it).
    public static func format(_ date: Date) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(27)
        append(date, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends ``format(_:)``'s text to `bytes` without building a string.
    public static func append(_ date: Date, to bytes: inout [UInt8]) {
        let totalMicroseconds = (date.timeIntervalSince1970 * 1_000_000).rounded()
        var seconds = Int64((totalMicroseconds / 1_000_000).rounded(.down))
        var micros = Int64(totalMicroseconds) - seconds * 1_000_000
        if micros < 0 {
            micros += 1_000_000
            seconds -= 1
        }
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        digits(Int64(parts.tm_year) + 1900, 4, &bytes)
        bytes.append(UInt8(ascii: "-"))
        digits(Int64(parts.tm_mon) + 1, 2, &bytes)
        bytes.append(UInt8(ascii: "-"))
        digits(Int64(parts.tm_mday), 2, &bytes)
        bytes.append(UInt8(ascii: "T"))
        digits(Int64(parts.tm_hour), 2, &bytes)
        bytes.append(UInt8(ascii: ":"))
        digits(Int64(parts.tm_min), 2, &bytes)
        bytes.append(UInt8(ascii: ":"))
        digits(Int64(parts.tm_sec), 2, &bytes)
        bytes.append(UInt8(ascii: "."))
        digits(micros, 6, &bytes)
        bytes.append(UInt8(ascii: "Z"))
    }

    /// Parses PostgreSQL's ISO output (`2026-11-20 10:15:02.123456+00`, offsets `+05:30`
    /// or `+05:30:15`) and RFC 3339 text; `nil` for anything else (`infinity`, BC dates).
    public static func parse(_ text: String) -> Date? {
        if let date = RFC3339.parse(text) { return date }
        guard let signIndex = text.lastIndex(where: { $0 == "+" || $0 == "-" }),
              text.distance(from: text.startIndex, to: signIndex) >= 19
        else { return nil }
        let offset = text[text.index(after: signIndex)...].split(separator: ":")
        guard (1...3).contains(offset.count), offset.allSatisfy({ $0.count == 2 && $0.allSatisfy(\.isASCII) }),
              let base = RFC3339.parse(String(text[..<signIndex]) + "Z")
        else { return nil }
        let numbers = offset.compactMap { Int($0) }
        guard numbers.count == offset.count else { return nil }
        var seconds = numbers[0] * 3600
        if numbers.count > 1 { seconds += numbers[1] * 60 }
        if numbers.count > 2 { seconds += numbers[2] }
        let sign: Double = text[signIndex] == "-" ? -1 : 1
        return base.addingTimeInterval(-sign * Double(seconds))
    }

    /// Appends `value` in decimal, zero-padded to at least `width` digits.
    private static func digits(_ value: Int64, _ width: Int, _ bytes: inout [UInt8]) {
        let text = String(value).utf8
        if text.count < width { bytes.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: width - text.count)) }
        bytes.append(contentsOf: text)
    }
}

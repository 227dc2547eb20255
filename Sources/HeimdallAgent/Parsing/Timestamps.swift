#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HeimdallProtocol

/// Timestamp formats found in log files other than the syslog header: numeric dates with
/// an optional zone (`2026-11-20 10:15:02`, `2026-11-20T10:15:02+0100`, `2026/11/20 10:15:02`),
/// the Apache/nginx access-log form (`20/Nov/2026:10:15:02 +0100`) and the Apache error-log
/// form (`Fri Nov 20 10:15:02.123456 2026`). A time without a zone is read in `timeZone`.
///
/// Pure functions: any thread may call them.
enum Timestamps {
    /// Month abbreviations, January first.
    static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// `YYYY-MM-DD[T ]hh:mm[:ss][.fff][Z|±hh:mm|±hhmm]` (also `/` between the date parts);
    /// `nil` when `text` is not entirely such a date.
    static func numeric(_ text: Substring, timeZone: any UTCOffsets) -> Date? {
        if let strict = RFC3339.parse(String(text)) { return strict }
        var scanner = DigitScanner(text)
        guard let year = scanner.number(4), scanner.take(["-", "/"]), let month = scanner.number(2), scanner.take(["-", "/"]),
              let day = scanner.number(2), scanner.take(["T", " "])
        else { return nil }
        _ = scanner.take([" "])  // apt writes two spaces between date and time
        guard let hour = scanner.number(2), scanner.take([":"]), let minute = scanner.number(2) else { return nil }
        var second = 0
        if scanner.take([":"]) {
            guard let value = scanner.number(2) else { return nil }
            second = value
        }
        let fraction = scanner.fraction()
        guard let zone = scanner.zone(), scanner.atEnd else { return nil }
        return make(year: year, month: month, day: day, hour: hour, minute: minute, second: second, fraction: fraction,
                    offset: zone.seconds, timeZone: timeZone)
    }

    /// `20/Nov/2026:10:15:02 +0100` (the bracketed access-log time, without brackets).
    static func accessLog(_ text: Substring, timeZone: any UTCOffsets) -> Date? {
        let parts = text.split(separator: " ", omittingEmptySubsequences: true)
        guard let stamp = parts.first else { return nil }
        let pieces = stamp.split(separator: "/", maxSplits: 2)
        guard pieces.count == 3, let day = Int(pieces[0]), let month = months.firstIndex(of: String(pieces[1])) else { return nil }
        let rest = pieces[2].split(separator: ":")
        guard rest.count == 4, let year = Int(rest[0]), let hour = Int(rest[1]), let minute = Int(rest[2]), let second = Int(rest[3])
        else { return nil }
        var zone = ZoneOffset.local
        if parts.count > 1 {
            var scanner = DigitScanner(parts[1])
            guard let parsed = scanner.zone() else { return nil }
            zone = parsed
        }
        return make(year: year, month: month + 1, day: day, hour: hour, minute: minute, second: second, fraction: 0,
                    offset: zone.seconds, timeZone: timeZone)
    }

    /// `Fri Nov 20 10:15:02[.123456] 2026` (the Apache error-log time).
    static func ctime(_ text: Substring, timeZone: any UTCOffsets) -> Date? {
        let parts = text.split(separator: " ")
        guard parts.count == 5, let month = months.firstIndex(of: String(parts[1])), let day = Int(parts[2]),
              let year = Int(parts[4])
        else { return nil }
        let clock = parts[3].split(separator: ".", maxSplits: 1)
        let hms = clock[0].split(separator: ":")
        guard hms.count == 3, let hour = Int(hms[0]), let minute = Int(hms[1]), let second = Int(hms[2]) else { return nil }
        var fraction = 0.0
        if clock.count == 2 { fraction = Double("0." + clock[1]) ?? 0 }
        return make(year: year, month: month + 1, day: day, hour: hour, minute: minute, second: second, fraction: fraction,
                    offset: nil, timeZone: timeZone)
    }

    /// A date from its parts; `offset` in seconds east of UTC, or `nil` to use `timeZone`.
    /// `nil` for an impossible date.
    static func make(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, fraction: Double, offset: Int?,
                     timeZone: any UTCOffsets) -> Date? {
        guard let local = LocalClock.seconds(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        else { return nil }
        if let offset {
            guard abs(offset) <= 18 * 3_600 else { return nil }
            return LocalClock.date(instant: local - offset, fraction: fraction)
        }
        return LocalClock.date(instant: LocalClock.instant(ofLocal: local, in: timeZone), fraction: fraction)
    }
}

/// A cursor over ASCII digits and separators in a timestamp.
private struct DigitScanner {
    private var bytes: ArraySlice<UInt8>

    init(_ text: Substring) { bytes = Array(text.utf8)[...] }

    var atEnd: Bool { bytes.isEmpty }

    /// Exactly `count` digits.
    mutating func number(_ count: Int) -> Int? {
        guard bytes.count >= count else { return nil }
        var value = 0
        for byte in bytes.prefix(count) {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        bytes = bytes.dropFirst(count)
        return value
    }

    /// Consumes one of `characters` when it comes next.
    mutating func take(_ characters: [Unicode.Scalar]) -> Bool {
        guard let first = bytes.first, characters.contains(where: { UInt8(ascii: $0) == first }) else { return false }
        bytes = bytes.dropFirst()
        return true
    }

    /// `.ddd` or `,ddd`, as a fraction of a second (0 when absent).
    mutating func fraction() -> Double {
        guard take([".", ","]) else { return 0 }
        var digits = "0."
        while let byte = bytes.first, byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
            digits.append(Character(Unicode.Scalar(byte)))
            bytes = bytes.dropFirst()
        }
        return Double(digits) ?? 0
    }

    /// The zone: absent → `.local`, `Z`, `±hh:mm`, `±hhmm` or `±hh` → its offset in
    /// seconds; anything else → `nil`.
    mutating func zone() -> ZoneOffset? {
        _ = take([" "])
        guard let first = bytes.first else { return .local }
        if first == UInt8(ascii: "Z") || first == UInt8(ascii: "z") {
            bytes = bytes.dropFirst()
            return .seconds(0)
        }
        guard first == UInt8(ascii: "+") || first == UInt8(ascii: "-") else { return nil }
        bytes = bytes.dropFirst()
        guard let hours = number(2) else { return nil }
        _ = take([":"])
        let minutes = bytes.isEmpty ? 0 : number(2)
        guard let minutes, hours < 24, minutes < 60 else { return nil }
        let seconds = (hours * 60 + minutes) * 60
        return .seconds(first == UInt8(ascii: "-") ? -seconds : seconds)
    }
}

/// A parsed zone designator.
private enum ZoneOffset {
    /// No designator: the reader's time zone.
    case local
    /// Seconds east of UTC.
    case seconds(Int)

    var seconds: Int? {
        if case .seconds(let value) = self { return value }
        return nil
    }
}

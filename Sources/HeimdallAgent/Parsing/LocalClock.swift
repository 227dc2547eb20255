#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HeimdallProtocol

/// Integer civil-time arithmetic for timestamps written without a zone: the local seconds of
/// a date and clock time, the instant they name in a zone (``UTCOffsets``), and the `Date`
/// of an instant. No `Calendar`, no allocation. Pure functions: any thread may call them.
enum LocalClock {
    /// Seconds since 1970-01-01T00:00:00Z as a `Date`, plus `fraction` of a second (the same
    /// arithmetic, and so the same `Double`, as `Calendar.date(from:)` then `addingTimeInterval`).
    static func date(instant: Int, fraction: Double = 0) -> Date {
        Date(timeIntervalSinceReferenceDate: Double(instant - 978_307_200) + fraction)
    }

    /// The local seconds of a civil date and time (a leap second reads as :59), or `nil`
    /// when the date does not exist (February 30th) or a part is out of range.
    static func seconds(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) -> Int? {
        guard (1...12).contains(month), day >= 1, day <= RFC3339.daysIn(month: month, year: year),
              (0..<24).contains(hour), (0..<60).contains(minute), (0...60).contains(second)
        else { return nil }
        return RFC3339.daysSinceEpoch(year: year, month: month, day: day) * 86_400 + hour * 3_600 + minute * 60 + min(second, 59)
    }

    /// The instant the local time `local` names in `zone`.
    static func instant(ofLocal local: Int, in zone: any UTCOffsets) -> Int {
        local - zone.offset(forLocal: local)
    }

    /// The civil year at `instant` in `zone`.
    static func year(atInstant instant: Int, in zone: any UTCOffsets) -> Int {
        let local = instant + zone.offset(atInstant: instant)
        return RFC3339.civilDate(daysSinceEpoch: floorDivide(local, 86_400)).year
    }

    /// The offset for the local time `local` from offsets at instants (see
    /// ``UTCOffsets/offset(forLocal:)``): the offset a day earlier when it gives back
    /// `local` (no change, or the first occurrence of a repeated time), else the offset a day
    /// later when that one does (after a change), else the earlier one (a skipped time).
    static func resolve(_ local: Int, in zone: some UTCOffsets) -> Int {
        let before = zone.offset(atInstant: local - 86_400)
        if zone.offset(atInstant: local - before) == before { return before }
        let after = zone.offset(atInstant: local + 86_400)
        if zone.offset(atInstant: local - after) == after { return after }
        return before
    }

    /// `value / divisor` rounded towards negative infinity (`divisor` > 0).
    static func floorDivide(_ value: Int, _ divisor: Int) -> Int {
        value >= 0 ? value / divisor : -((-value + divisor - 1) / divisor)
    }

    /// Whole seconds since 1970 of `date`, rounded down.
    static func instant(of date: Date) -> Int {
        Int(date.timeIntervalSince1970.rounded(.down))
    }
}

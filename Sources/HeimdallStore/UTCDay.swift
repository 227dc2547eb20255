import Foundation

/// A UTC calendar day, numbered from 1970-01-01 (day 0). A value: any thread.
public struct UTCDay: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Days since 1970-01-01 (negative before it).
    public var number: Int

    /// The day with this number.
    public init(number: Int) {
        self.number = number
    }

    /// The UTC day `date` falls in. Dates beyond ±10^9 days (or not finite) are clamped;
    /// such days are far outside any partition window anyway.
    public init(containing date: Date) {
        let days = (date.timeIntervalSince1970 / 86_400).rounded(.down)
        number = days.isFinite ? Int(max(-1e9, min(1e9, days))) : 0
    }

    /// The day named by a partition name `events_YYYYMMDD`; nil for any other name
    /// (`events_default`, a foreign table).
    public init?(partitionName name: String) {
        guard name.hasPrefix(Self.partitionPrefix) else { return nil }
        let digits = String(name.dropFirst(Self.partitionPrefix.count))
        guard digits.utf8.count == 8, digits.utf8.allSatisfy({ (0x30...0x39).contains($0) }),
              let date = PostgresTimestamp.parse("\(digits.prefix(4))-\(digits.dropFirst(4).prefix(2))-\(digits.suffix(2))T00:00:00Z")
        else { return nil }
        self.init(containing: date)
    }

    /// 00:00:00 UTC of this day.
    public var start: Date { Date(timeIntervalSince1970: Double(number) * 86_400) }

    /// 00:00:00 UTC of the next day (the partition's exclusive upper bound).
    public var end: Date { Date(timeIntervalSince1970: Double(number + 1) * 86_400) }

    /// `events_YYYYMMDD`, the name of this day's partition.
    public var partitionName: String {
        Self.partitionPrefix + description.filter { $0 != "-" }
    }

    /// `YYYY-MM-DD`.
    public var description: String { String(PostgresTimestamp.format(start).prefix(10)) }

    /// The day `offset` days later (earlier when negative).
    public func adding(days offset: Int) -> UTCDay { UTCDay(number: number + offset) }

    public static func < (left: UTCDay, right: UTCDay) -> Bool { left.number < right.number }

    private static let partitionPrefix = "events_"
}

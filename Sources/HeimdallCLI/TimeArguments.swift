import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HeimdallProtocol

/// A `DURATION` option value (`90s`, `15m`, `24h`, `7d`, or plain seconds).
public struct DurationArgument: ExpressibleByArgument, Sendable, Hashable {
    /// The duration in seconds (positive).
    public var seconds: TimeInterval

    /// Parses the option text; nil (a usage error) when it is not a duration.
    public init?(argument: String) {
        guard let seconds = DurationParser.seconds(argument) else { return nil }
        self.seconds = seconds
    }

    /// Wraps a number of seconds.
    public init(seconds: TimeInterval) {
        self.seconds = seconds
    }
}

/// A `DURATION_OR_TIME` option value: a duration means "that long ago", anything else must
/// be an RFC 3339 date-time (`2026-11-20T10:15:02Z`).
public enum TimeArgument: ExpressibleByArgument, Sendable, Hashable {
    /// This long before now.
    case ago(TimeInterval)
    /// This instant.
    case at(Date)

    /// Parses the option text; nil (a usage error) when it is neither form.
    public init?(argument: String) {
        if let seconds = DurationParser.seconds(argument) {
            self = .ago(seconds)
        } else if let date = RFC3339.parse(argument.trimmingCharacters(where: \.isWhitespace)) {
            self = .at(date)
        } else {
            return nil
        }
    }

    /// The instant meant, relative to `now`.
    public func date(relativeTo now: Date = Date()) -> Date {
        switch self {
        case .ago(let seconds): return now - seconds
        case .at(let date): return date
        }
    }
}

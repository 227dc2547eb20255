/// The offsets from UTC of one time zone: what the parsers need to turn a local time written
/// without a zone (`Nov 20 10:15:02`, `2026-11-20 10:15:02`) into an instant.
///
/// Times are whole seconds since 1970-01-01T00:00:00Z; a *local* time is its civil date and
/// clock time counted the same way, as if it were UTC (`2026-11-20 10:15:02` local is
/// 1,795,169,702 whatever the zone).
/// Production parsers use ``HostTimeZone/shared`` (the host's zone through libc); tests
/// supply ``FixedOffset`` or their own conformer. Conformers are immutable values or
/// thread-safe: any thread may call them.
public protocol UTCOffsets: Sendable {
    /// Seconds east of UTC in effect at `instant`.
    func offset(atInstant instant: Int) -> Int

    /// Seconds east of UTC for the local time `local`. A local time that happens twice (the
    /// hour a clock is set back) gets the earlier offset, so its first occurrence; one that
    /// never happens (the hour a clock skips) gets the offset in effect before the change,
    /// as Foundation's `Calendar` reads them. The default derives it from
    /// ``offset(atInstant:)``.
    func offset(forLocal local: Int) -> Int
}

extension UTCOffsets {
    /// The offset for `local` from two or three ``offset(atInstant:)`` calls (see the requirement).
    public func offset(forLocal local: Int) -> Int {
        LocalClock.resolve(local, in: self)
    }
}

/// A zone that is always `seconds` east of UTC (UTC itself with 0). A plain value.
public struct FixedOffset: UTCOffsets, Hashable {
    /// UTC.
    public static let utc = FixedOffset(seconds: 0)

    /// Seconds east of UTC.
    public var seconds: Int

    /// A zone `seconds` east of UTC.
    public init(seconds: Int) {
        self.seconds = seconds
    }

    /// Always ``seconds``.
    public func offset(atInstant instant: Int) -> Int { seconds }

    /// Always ``seconds``.
    public func offset(forLocal local: Int) -> Int { seconds }
}

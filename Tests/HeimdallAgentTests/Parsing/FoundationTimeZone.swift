import Foundation
@testable import HeimdallAgent

/// Foundation's `TimeZone` as the parsers' ``UTCOffsets``, so tests can name zones by
/// identifier (`Europe/Paris`). It lives in the test target only: the agent reads the host's
/// zone through libc (``HostTimeZone``) and never needs Foundation's zone database.
extension TimeZone: UTCOffsets {
    /// `secondsFromGMT(for:)` at `instant`.
    public func offset(atInstant instant: Int) -> Int {
        secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(instant)))
    }
}

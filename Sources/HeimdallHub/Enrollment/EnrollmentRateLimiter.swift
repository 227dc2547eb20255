import Foundation
import Synchronization

/// Counts failed enrollment attempts per source address in a sliding window; an address
/// with `limit` failures inside `window` is refused (`rate_limited`) until the oldest of
/// them ages out. Thread-safe.
public final class EnrollmentRateLimiter: Sendable {
    /// Failures allowed inside `window`.
    public let limit: Int
    /// The window's length in seconds.
    public let window: TimeInterval
    private let failures = Mutex<[String: [Date]]>([:])

    /// Creates a limiter (default: 5 failures per minute).
    public init(limit: Int = 5, window: TimeInterval = 60) {
        self.limit = limit
        self.window = window
    }

    /// Whether `address` must be refused at `now`.
    public func isBlocked(_ address: String, now: Date = Date()) -> Bool {
        failures.withLock { table in
            let recent = (table[address] ?? []).filter { now.timeIntervalSince($0) < window }
            table[address] = recent.isEmpty ? nil : recent
            return recent.count >= limit
        }
    }

    /// Records one failed attempt from `address`.
    public func recordFailure(_ address: String, now: Date = Date()) {
        failures.withLock { table in
            var recent = (table[address] ?? []).filter { now.timeIntervalSince($0) < window }
            recent.append(now)
            table[address] = recent
            if table.count > 100_000 { table = table.filter { !$0.value.isEmpty && now.timeIntervalSince($0.value[$0.value.count - 1]) < window } }
        }
    }
}

import Foundation
import HeimdallStore

extension HostStatus {
    /// The status of a host whose live session last spoke at `lastFrame` (`nil`: no
    /// session): online within 2 × `heartbeat_interval`, stale after (protocol.md, Liveness).
    public static func of(lastFrame: Date?, now: Date, heartbeatInterval: TimeInterval) -> HostStatus {
        guard let lastFrame else { return .offline }
        return now.timeIntervalSince(lastFrame) <= 2 * heartbeatInterval ? .online : .stale
    }
}

/// Remembers the last status written per host and reports only the changes, so the
/// database records each transition once. A value type, owned by the liveness monitor.
public struct HostStatusTracker: Sendable {
    private var known: [String: HostStatus] = [:]

    public init() {}

    /// Records `status` for `host`; returns whether it changed (a first observation counts
    /// as a change) and the previous status.
    public mutating func update(_ host: String, to status: HostStatus) -> (changed: Bool, previous: HostStatus?) {
        let previous = known.updateValue(status, forKey: host)
        return (previous != status, previous)
    }
}

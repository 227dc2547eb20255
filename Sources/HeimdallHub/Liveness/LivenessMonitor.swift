import Foundation
import HeimdallStore
import Synchronization

/// Keeps each host's online / stale / offline status and journals every transition.
/// Thread-safe: sessions report starts and ends from their event loops, and the hub calls
/// ``sweep(now:)`` periodically.
public final class LivenessMonitor: Sendable {
    private let tracker = Mutex(HostStatusTracker())
    private let registry: SessionRegistry
    private let journal: SessionJournal
    private let heartbeatInterval: TimeInterval

    public init(registry: SessionRegistry, journal: SessionJournal, heartbeatInterval: TimeInterval) {
        self.registry = registry
        self.journal = journal
        self.heartbeatInterval = heartbeatInterval
    }

    /// A session of `host` was welcomed.
    public func sessionStarted(host: String, at now: Date) {
        set(host, .online, reason: "session started", at: now)
    }

    /// A session of `host` ended; the host goes offline unless another session took over.
    public func sessionEnded(host: String, reason: String, at now: Date) {
        guard registry.session(for: host) == nil else { return }
        set(host, .offline, reason: reason, at: now)
    }

    /// Re-evaluates every live session against the clock (one lock for all of them: a hub
    /// with 10,000 sessions sweeps every second).
    public func sweep(now: Date) {
        let sessions = registry.all
        let changes = tracker.withLock { tracker in
            sessions.compactMap { session -> (host: String, status: HostStatus)? in
                let status = HostStatus.of(lastFrame: session.lastFrame, now: now, heartbeatInterval: heartbeatInterval)
                return tracker.update(session.host, to: status).changed ? (session.host, status) : nil
            }
        }
        for change in changes {
            let reason = change.status == .stale ? "no frame for \(Int(2 * heartbeatInterval)) s" : "session active"
            journal.record(.hostStatus(host: change.host, status: change.status, reason: reason, at: now))
        }
    }

    private func set(_ host: String, _ status: HostStatus, reason: String, at now: Date) {
        let changed = tracker.withLock { $0.update(host, to: status).changed }
        if changed {
            journal.record(.hostStatus(host: host, status: status, reason: reason, at: now))
        }
    }
}

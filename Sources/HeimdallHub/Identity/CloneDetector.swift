import Foundation

/// Decides when supersedes of one host look like two machines sharing one identity: the
/// same certificate's sessions replacing each other from different addresses, again and
/// again (an agent that merely reconnects comes back from the same address, or once).
/// A pure value, owned by ``CloneWatch``.
public struct CloneDetector: Sendable {
    /// One supersede: a session from `to` replaced one from `from`.
    struct Supersede: Sendable {
        var at: Date
        var from: String?
        var to: String?
    }

    /// What the detector concluded.
    public struct Suspicion: Sendable, Hashable {
        public var host: String
        public var serial: String
        /// The distinct addresses seen fighting over the identity.
        public var addresses: [String]
        public var supersedes: Int
    }

    /// How far back supersedes count.
    public var window: TimeInterval
    /// How many cross-address supersedes within the window raise a suspicion.
    public var threshold: Int
    private var history: [String: [Supersede]] = [:]

    public init(window: TimeInterval = 300, threshold: Int = 3) {
        self.window = window
        self.threshold = threshold
    }

    /// Records that a session of `host` (certificate `serial`) from `to` superseded one from
    /// `from`; returns a suspicion when the pattern is reached (then starts counting anew).
    public mutating func superseded(host: String, serial: String, from: String?, to: String?, at now: Date) -> Suspicion? {
        guard from != to else { return nil }
        var recent = (history[host] ?? []).filter { now.timeIntervalSince($0.at) <= window }
        recent.append(Supersede(at: now, from: from, to: to))
        guard recent.count >= threshold else {
            history[host] = recent
            return nil
        }
        history[host] = nil
        let addresses = Set(recent.flatMap { [$0.from, $0.to].compactMap { $0 } }).sorted()
        return Suspicion(host: host, serial: serial, addresses: addresses, supersedes: recent.count)
    }
}

import Foundation
import Logging
import Synchronization

/// The hub's shared ``CloneDetector``: sessions report supersedes from their event loops;
/// each suspicion is logged and journaled (it lands in `pki_audit` as `clone_suspected`).
/// Thread-safe.
public final class CloneWatch: Sendable {
    private let detector: Mutex<CloneDetector>
    private let journal: SessionJournal
    private let logger: Logger

    public init(detector: CloneDetector = CloneDetector(), journal: SessionJournal, logger: Logger) {
        self.detector = Mutex(detector)
        self.journal = journal
        self.logger = logger
    }

    /// A session of `host` from `to` superseded one from `from`.
    public func superseded(host: String, serial: String, from: String?, to: String?, at now: Date) {
        guard let suspicion = detector.withLock({ $0.superseded(host: host, serial: serial, from: from, to: to, at: now) }) else {
            return
        }
        logger.warning("possible cloned identity: one certificate used from several addresses", metadata: [
            "host": "\(host)", "serial": "\(serial)", "addresses": "\(suspicion.addresses)",
        ])
        journal.record(.cloneSuspected(suspicion, at: now))
    }
}

import Foundation
import HeimdallProtocol
import HeimdallStore

/// One event as auditors see it: the event plus who delivered it. A value: any thread.
public struct AuditEvent: Sendable, Hashable {
    /// The host that sent it.
    public var hostID: String
    /// The event (id, `occurred_at` = timestamp, category, ...).
    public var event: Event
    /// When the hub received it.
    public var receivedAt: Date
    /// Serial of the delivering certificate.
    public var certificateSerial: String
    /// SHA-256 fingerprint of that certificate.
    public var certificateFingerprint: String
    /// The session it arrived on.
    public var sessionID: UUID

    /// Creates a value. Any thread.
    public init(
        hostID: String, event: Event, receivedAt: Date, certificateSerial: String, certificateFingerprint: String,
        sessionID: UUID
    ) {
        self.hostID = hostID
        self.event = event
        self.receivedAt = receivedAt
        self.certificateSerial = certificateSerial
        self.certificateFingerprint = certificateFingerprint
        self.sessionID = sessionID
    }

    /// Copies a stored row.
    public init(_ stored: StoredEvent) {
        self.init(
            hostID: stored.hostID, event: stored.event, receivedAt: stored.receivedAt,
            certificateSerial: stored.certificateSerial, certificateFingerprint: stored.certificateFingerprint,
            sessionID: stored.sessionID
        )
    }
}

import Foundation
import HeimdallProtocol

/// One acknowledged unit of ingest: the content of one data frame, with who delivered it.
/// A value type: any thread may use it.
public struct IngestBatch: Sendable, Hashable {
    /// The host (its certificate's CN).
    public var hostID: String
    /// The session the frame arrived on.
    public var sessionID: UUID
    /// Serial of the certificate that delivered the frame (uppercase hex).
    public var certificateSerial: String
    /// SHA-256 fingerprint of that certificate (lowercase hex).
    public var certificateFingerprint: String
    /// When the hub received the frame.
    public var receivedAt: Date
    /// The frame's content.
    public var payload: IngestPayload

    /// Creates a batch; any thread may call it.
    public init(
        hostID: String, sessionID: UUID, certificateSerial: String, certificateFingerprint: String,
        receivedAt: Date, payload: IngestPayload
    ) {
        self.hostID = hostID
        self.sessionID = sessionID
        self.certificateSerial = certificateSerial
        self.certificateFingerprint = certificateFingerprint
        self.receivedAt = receivedAt
        self.payload = payload
    }
}

/// What a data frame carries.
public enum IngestPayload: Sendable, Hashable {
    /// Validated events (an `events` frame).
    case events([Event])
    /// A system-status snapshot (a `status` frame).
    case status(takenAt: Date, metrics: JSONValue)
}

/// What happened to one batch: rows stored now, and rows already stored before.
public struct BatchOutcome: Sendable, Hashable {
    /// Rows newly stored.
    public var stored: Int
    /// Rows that were already stored (same host and event id, or same host and snapshot time).
    public var duplicates: Int
    /// Nothing was stored because the delivering certificate is revoked.
    public var refused: Bool

    /// Creates an outcome; any thread may call it.
    public init(stored: Int = 0, duplicates: Int = 0, refused: Bool = false) {
        self.stored = stored
        self.duplicates = duplicates
        self.refused = refused
    }
}

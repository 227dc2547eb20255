import Foundation
import HeimdallProtocol

/// Who delivered ingest: the host, session and certificate of one session, shared by all
/// the batches it delivers (a reference, so copying a batch copies one pointer, not four
/// strings). Immutable: any thread may use it.
public final class IngestOrigin: Sendable, Hashable {
    /// The host (its certificate's CN).
    public let hostID: String
    /// The session the frames arrived on.
    public let sessionID: UUID
    /// Serial of the certificate that delivered the frames (uppercase hex).
    public let certificateSerial: String
    /// SHA-256 fingerprint of that certificate (lowercase hex).
    public let certificateFingerprint: String

    /// Creates an origin; any thread may call it.
    public init(hostID: String, sessionID: UUID, certificateSerial: String, certificateFingerprint: String) {
        self.hostID = hostID
        self.sessionID = sessionID
        self.certificateSerial = certificateSerial
        self.certificateFingerprint = certificateFingerprint
    }

    public static func == (lhs: IngestOrigin, rhs: IngestOrigin) -> Bool {
        lhs === rhs || (lhs.hostID == rhs.hostID && lhs.sessionID == rhs.sessionID
            && lhs.certificateSerial == rhs.certificateSerial && lhs.certificateFingerprint == rhs.certificateFingerprint)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(hostID)
        hasher.combine(sessionID)
        hasher.combine(certificateSerial)
        hasher.combine(certificateFingerprint)
    }
}

/// One acknowledged unit of ingest: the content of one data frame, with who delivered it.
/// A value type: any thread may use it.
public struct IngestBatch: Sendable, Hashable {
    /// Who delivered the frame.
    public var origin: IngestOrigin
    /// When the hub received the frame.
    public var receivedAt: Date
    /// The frame's content.
    public var payload: IngestPayload

    /// The host (its certificate's CN).
    public var hostID: String { origin.hostID }
    /// The session the frame arrived on.
    public var sessionID: UUID { origin.sessionID }
    /// Serial of the certificate that delivered the frame (uppercase hex).
    public var certificateSerial: String { origin.certificateSerial }
    /// SHA-256 fingerprint of that certificate (lowercase hex).
    public var certificateFingerprint: String { origin.certificateFingerprint }

    /// Creates a batch delivered by `origin`; any thread may call it.
    public init(origin: IngestOrigin, receivedAt: Date, payload: IngestPayload) {
        self.origin = origin
        self.receivedAt = receivedAt
        self.payload = payload
    }

    /// Creates a batch with an origin of its own; any thread may call it.
    public init(
        hostID: String, sessionID: UUID, certificateSerial: String, certificateFingerprint: String,
        receivedAt: Date, payload: IngestPayload
    ) {
        let origin = IngestOrigin(
            hostID: hostID, sessionID: sessionID, certificateSerial: certificateSerial, certificateFingerprint: certificateFingerprint
        )
        self.init(origin: origin, receivedAt: receivedAt, payload: payload)
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

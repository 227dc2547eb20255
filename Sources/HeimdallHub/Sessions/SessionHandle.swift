import Foundation
import HeimdallProtocol
import HeimdallStore
import Synchronization

/// What the rest of the hub may know and do about one live session, from any thread.
public final class SessionHandle: Sendable, Hashable {
    /// Who delivers the session's batches: host, session and certificate (made once,
    /// shared by all of them).
    public let ingestOrigin: IngestOrigin
    public let remoteAddress: String?
    private let lastFrameMilliseconds: Atomic<Int64>
    private let control: @Sendable (SessionCommand) -> Void

    /// - Parameter control: carries a command to the session; must hop to the session's
    ///   event loop itself.
    public init(
        sessionID: UUID, host: String, certificateSerial: String, certificateFingerprint: String,
        remoteAddress: String?, now: Date, control: @escaping @Sendable (SessionCommand) -> Void
    ) {
        self.remoteAddress = remoteAddress
        self.ingestOrigin = IngestOrigin(
            hostID: host, sessionID: sessionID, certificateSerial: certificateSerial, certificateFingerprint: certificateFingerprint
        )
        self.lastFrameMilliseconds = Atomic(Int64(now.timeIntervalSince1970 * 1000))
        self.control = control
    }

    public var sessionID: UUID { ingestOrigin.sessionID }
    /// The host name from the client certificate.
    public var host: String { ingestOrigin.hostID }
    public var certificateSerial: String { ingestOrigin.certificateSerial }
    public var certificateFingerprint: String { ingestOrigin.certificateFingerprint }

    /// When the session last received a frame.
    public var lastFrame: Date {
        Date(timeIntervalSince1970: Double(lastFrameMilliseconds.load(ordering: .relaxed)) / 1000)
    }

    /// Records a sign of life.
    public func touch(_ now: Date) {
        lastFrameMilliseconds.store(Int64(now.timeIntervalSince1970 * 1000), ordering: .relaxed)
    }

    /// Ends the session at once with `code` (e.g. `superseded`, `certificate_revoked`).
    public func terminate(_ code: ProtocolErrorCode, _ message: String) {
        control(.terminate(code, message))
    }

    /// Winds the session down for a hub shutdown: pending frames are acked first.
    public func shutDown() {
        control(.shutDown)
    }

    public static func == (lhs: SessionHandle, rhs: SessionHandle) -> Bool { lhs === rhs }
    public func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(self)) }
}

/// A command another part of the hub sends to a session.
public enum SessionCommand: Sendable, Hashable {
    case terminate(ProtocolErrorCode, String)
    case shutDown
}

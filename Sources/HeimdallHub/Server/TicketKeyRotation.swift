import Foundation
import HeimdallTLS
import Logging
import Synchronization

/// When session tickets are issued (`hub.session_ticket_lifetime`,
/// `hub.session_ticket_rotation`).
public struct SessionTicketSettings: Sendable, Hashable {
    /// How long a ticket resumes a session; nil turns resumption off (every handshake full).
    public var lifetime: Duration?
    /// How long one key encrypts new tickets before a new key takes over; the old key
    /// still decrypts for `lifetime` more.
    public var rotation: Duration

    /// Tickets valid 2 h, a new key every 12 h.
    public static let `default` = SessionTicketSettings(lifetime: .seconds(7_200), rotation: .seconds(43_200))

    /// Tickets valid `lifetime` (nil: no tickets), a new encrypting key every `rotation`.
    public init(lifetime: Duration?, rotation: Duration) {
        self.lifetime = lifetime
        self.rotation = rotation
    }
}

/// Loads the ticket keys at start (creating the first one), installs them in the session
/// listener's TLS context, and rotates them on schedule, saving each new set before it is
/// used. Thread-safe; blocking file I/O, so call it from a task, not an event loop.
final class TicketKeyRotation: Sendable {
    private let file: TicketKeyFile
    private let tls: TLSContext
    private let lifetime: TimeInterval
    private let rotation: TimeInterval
    private let logger: Logger
    private let current = Mutex<SessionTicketKeyring?>(nil)

    init(file: TicketKeyFile, tls: TLSContext, lifetime: Duration, rotation: Duration, logger: Logger) {
        self.file = file
        self.tls = tls
        self.lifetime = TimeInterval(lifetime.components.seconds)
        self.rotation = TimeInterval(rotation.components.seconds)
        self.logger = logger
    }

    /// Rotates if due (reading the file the first time), saves a changed set, installs it.
    /// A set that cannot be saved is still used (tickets then do not survive a restart).
    func refresh(now: Date = Date()) throws {
        let before = current.withLock { $0 } ?? file.load()
        guard let after = before.rotated(now: now, rotation: rotation, lifetime: lifetime) else {
            throw HubError(.configuration, "cannot generate a session ticket key")
        }
        if after != before {
            do {
                try file.save(after)
                logger.info("session ticket keys rotated", metadata: ["keys": "\(after.keys.count)", "file": "\(file.path)"])
            } catch {
                logger.warning("cannot save the session ticket keys; a restarted hub will not resume sessions", metadata: [
                    "file": "\(file.path)", "error": "\(error)",
                ])
            }
        }
        try tls.installTicketKeys(after)
        current.withLock { $0 = after }
    }

    /// Refreshes every minute until cancelled; a failure keeps the installed keys.
    func run() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: .seconds(60))
            do {
                try refresh()
            } catch {
                logger.warning("could not rotate session ticket keys", metadata: ["error": "\(error)"])
            }
        }
    }
}

extension TicketKeyRotation {
    /// The rotation for the session listener's context, with its keys installed; nil when
    /// tickets are off. Throws when `ca.pem` cannot be read or no key can be generated.
    static func start(configuration: HubConfiguration, tls: TLSContext, logger: Logger) throws -> TicketKeyRotation? {
        guard let lifetime = configuration.sessionTickets.lifetime else { return nil }
        let roots = configuration.serverTLS.trustRootsPath
        guard let data = FileManager.default.contents(atPath: roots) else {
            throw HubError(.configuration, "cannot read \(roots)")
        }
        let file = TicketKeyFile(
            path: configuration.pkiDirectory.appendingPathComponent("session-ticket-keys").path,
            trustRootsDigest: SHA256Digest.hex(data)
        )
        let rotation = TicketKeyRotation(file: file, tls: tls, lifetime: lifetime, rotation: configuration.sessionTickets.rotation, logger: logger)
        try rotation.refresh()
        return rotation
    }
}

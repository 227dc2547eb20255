import Foundation
import HeimdallProtocol
import HeimdallTLS
import NIOCore

/// Everything `heimdall-hub serve` can be told, with protocol.md's defaults.
public struct HubConfiguration: Sendable {
    /// Where agents open sessions (mutual TLS, ALPN `heimdall/1`).
    public var sessionAddress: ListenAddress = ListenAddress(host: "127.0.0.1", port: 7443)
    /// Where agents enroll with a one-time token (server-authenticated TLS, ALPN
    /// `heimdall-enroll/1`); nil disables enrollment.
    public var enrollmentAddress: ListenAddress? = ListenAddress(host: "127.0.0.1", port: 7444)
    /// The session address handed to enrolled agents (`hub.public_session_address`); nil
    /// means the session listener's own address.
    public var publicSessionAddress: String?
    /// Validity of certificates issued at enrollment, in days.
    public var enrollmentCertificateDays: Int = 90
    /// Failed enrollments allowed per source address inside `enrollmentFailureWindow`.
    public var enrollmentFailureLimit: Int = 5
    /// The rate limiter's window, in seconds.
    public var enrollmentFailureWindow: TimeInterval = 60
    /// End of the TLS handshake to the `enroll` frame.
    public var enrollmentDeadline: TimeAmount = .seconds(10)
    /// The PKI directory holding `ca.pem`, `hub.pem` and `hub.key`.
    public var pkiDirectory: URL
    /// TLS 1.3 unless TLS 1.2 is explicitly allowed.
    public var minimumTLSVersion: TLSVersion = .v1_3
    public var limits: SessionLimits = .default
    public var deadlines: SessionDeadlines = .default
    public var ingest = GroupCommitLimits(linger: .milliseconds(5))
    /// This hub's name in the `sessions` table (several hubs may share one database).
    public var hubID: String = ProcessInfo.processInfo.hostName
    /// How often host liveness is re-evaluated.
    public var livenessInterval: TimeAmount = .seconds(1)
    /// How often the revoked serials are reloaded from the database.
    public var revocationRefreshInterval: TimeAmount = .seconds(2)
    /// How often `<pki-dir>/crl.pem` is rewritten (also after every revocation).
    public var crlRefreshInterval: Duration = .seconds(3600)
    /// Lifetime of certificates signed for `renew` (agents renew after two thirds of it).
    public var hostCertificateDays = 90
    /// Event-loop threads (`hub.event_loops`; default: half the cores, at least one — the
    /// hub shares its box with PostgreSQL; on 2 cores one loop used less CPU and answered
    /// faster than two, docs/PERFORMANCE.md).
    public var eventLoopThreads: Int = max(1, System.coreCount / 2)
    /// Days of events and status snapshots to keep (`database.retention_days`); 0 keeps
    /// everything. See docs/DATABASE.md, "Partitions and retention".
    public var retentionDays = 0
    /// How often `events` partitions are made ahead and retention is applied (also at start).
    public var maintenanceInterval: Duration = .seconds(3600)
    /// Handshake and session caps of the session listener (by default
    /// ``AdmissionLimits/handshakesPerEventLoop`` handshakes per event loop).
    public var admission: AdmissionLimits
    /// TLS 1.3 session tickets of the session listener (keys in `<pki-dir>/session-ticket-keys`).
    public var sessionTickets: SessionTicketSettings = .default

    public init(pkiDirectory: URL) {
        self.pkiDirectory = pkiDirectory
        admission = .default(eventLoops: eventLoopThreads)
    }

    /// Refuses settings no session could work with (e.g. a window of 0).
    public func validate() throws(HubError) {
        func require(_ condition: Bool, _ message: String) throws(HubError) {
            if !condition { throw HubError(.configuration, message) }
        }
        try require(limits.heartbeatInterval >= 1, "heartbeat_interval must be at least 1 second")
        try require((1...256).contains(eventLoopThreads), "event_loops must be between 1 and 256")
        try require((2...(64 << 20)).contains(limits.maximumFrameLength), "max_frame must be between 2 bytes and 64 MiB")
        try require(limits.maximumBatchSize >= 1, "max_batch must be at least 1")
        try require(limits.window >= 1, "window must be at least 1")
        try require(deadlines.handshake > .zero && deadlines.hello > .zero, "handshake and hello timeouts must be positive")
        try require(ingest.writers >= 1, "ingest writers must be at least 1")
        try require(ingest.maximumTransactionWeight >= 1, "max_transaction_events must be at least 1")
        try require(ingest.linger >= .zero && ingest.linger <= .seconds(1), "linger_ms must be between 0 and 1000")
        try require(enrollmentCertificateDays >= 1, "the enrolled certificate lifetime must be at least 1 day")
        try require(enrollmentFailureLimit >= 1, "the enrollment failure limit must be at least 1")
        try require(ingest.lowWatermark < ingest.highWatermark, "low_watermark must be below high_watermark")
        try require(hostCertificateDays >= 1, "host certificate lifetime must be at least 1 day")
        try require(retentionDays >= 0, "retention_days must be 0 (keep everything) or a number of days")
        try require(admission.maximumHandshakes >= 1 && admission.maximumSessions >= 1, "max_handshakes and max_sessions must be at least 1")
        try require(sessionTickets.rotation >= .seconds(60), "session_ticket_rotation must be at least 60 seconds")
        try require(sessionTickets.lifetime.map { $0 >= .seconds(1) } ?? true, "session_ticket_lifetime must be at least 1 second")
    }

    var serverTLS: TLSServerConfiguration {
        TLSServerConfiguration(
            certificateChainPath: pkiDirectory.appendingPathComponent("hub.pem").path,
            privateKeyPath: pkiDirectory.appendingPathComponent("hub.key").path,
            trustRootsPath: pkiDirectory.appendingPathComponent("ca.pem").path,
            applicationProtocols: ["heimdall/1"], minimumVersion: minimumTLSVersion, requireClientCertificate: true,
            sessionTicketLifetime: sessionTickets.lifetime
        )
    }

    var enrollmentTLS: TLSServerConfiguration {
        var configuration = serverTLS
        configuration.applicationProtocols = [EnrollmentProtocol.alpn]
        configuration.requireClientCertificate = false
        configuration.sessionTicketLifetime = nil
        return configuration
    }

    /// The session address enrolled agents are told to use, given where the listener bound.
    func advertisedSessionAddress(bound: SocketAddress?) -> String {
        if let publicSessionAddress { return publicSessionAddress }
        let host = ["0.0.0.0", "::", ""].contains(sessionAddress.host) ? ProcessInfo.processInfo.hostName : sessionAddress.host
        return ListenAddress(host: host, port: bound?.port ?? sessionAddress.port).description
    }
}

/// A host and port to listen on (`ADDR:PORT`).
public struct ListenAddress: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `ADDR:PORT`, `[IPv6]:PORT`, or `:PORT` (loopback).
    public init?(parsing text: String) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65_535).contains(port) else {
            return nil
        }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        self.init(host: host.isEmpty ? "127.0.0.1" : host, port: port)
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

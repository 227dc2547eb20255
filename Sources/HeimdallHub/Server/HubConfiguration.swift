import Foundation
import HeimdallProtocol
import HeimdallTLS
import NIOCore

/// Everything `heimdall-hub serve` can be told, with protocol.md's defaults.
public struct HubConfiguration: Sendable {
    /// Where agents open sessions (mutual TLS, ALPN `heimdall/1`).
    public var sessionAddress: ListenAddress = ListenAddress(host: "127.0.0.1", port: 7443)
    /// The PKI directory holding `ca.pem`, `hub.pem` and `hub.key`.
    public var pkiDirectory: URL
    /// TLS 1.3 unless TLS 1.2 is explicitly allowed.
    public var minimumTLSVersion: TLSVersion = .v1_3
    public var limits: SessionLimits = .default
    public var deadlines: SessionDeadlines = .default
    public var ingest = GroupCommitLimits()
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
    /// Event-loop threads (default: one per core).
    public var eventLoopThreads: Int = System.coreCount

    public init(pkiDirectory: URL) {
        self.pkiDirectory = pkiDirectory
    }

    /// Refuses settings no session could work with (e.g. a window of 0).
    public func validate() throws(HubError) {
        func require(_ condition: Bool, _ message: String) throws(HubError) {
            if !condition { throw HubError(.configuration, message) }
        }
        try require(limits.heartbeatInterval >= 1, "heartbeat_interval must be at least 1 second")
        try require((2...(64 << 20)).contains(limits.maximumFrameLength), "max_frame must be between 2 bytes and 64 MiB")
        try require(limits.maximumBatchSize >= 1, "max_batch must be at least 1")
        try require(limits.window >= 1, "window must be at least 1")
        try require(deadlines.handshake > .zero && deadlines.hello > .zero, "handshake and hello timeouts must be positive")
        try require(ingest.writers >= 1, "ingest writers must be at least 1")
        try require(ingest.maximumTransactionWeight >= 1, "max_transaction_events must be at least 1")
        try require(ingest.lowWatermark < ingest.highWatermark, "low_watermark must be below high_watermark")
        try require(hostCertificateDays >= 1, "host certificate lifetime must be at least 1 day")
    }

    var serverTLS: TLSServerConfiguration {
        TLSServerConfiguration(
            certificateChainPath: pkiDirectory.appendingPathComponent("hub.pem").path,
            privateKeyPath: pkiDirectory.appendingPathComponent("hub.key").path,
            trustRootsPath: pkiDirectory.appendingPathComponent("ca.pem").path,
            applicationProtocols: ["heimdall/1"], minimumVersion: minimumTLSVersion, requireClientCertificate: true
        )
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

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
    /// Event-loop threads (default: one per core).
    public var eventLoopThreads: Int = System.coreCount

    public init(pkiDirectory: URL) {
        self.pkiDirectory = pkiDirectory
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

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HeimdallProtocol
import HeimdallSystem
import HeimdallTLS
import Logging
import NIOCore
import NIOPosix

/// What a successful enrollment stored.
public struct AgentEnrollment: Sendable, Hashable {
    /// The host name the certificate was issued to.
    public var host: String
    /// The session address stored in `<state-dir>/hub`.
    public var hub: String
    /// The new certificate's serial and not-after.
    public var serial: String
    public var notAfter: Date
    /// The files written.
    public var keyPath: String
    public var certificatePath: String
    public var caPath: String
    public var hubPath: String
}

/// `heimdall-agent enroll`: generates the host key locally, sends a CSR with the one-time
/// token to the enrollment listener named in the token — verifying the hub against the CA
/// whose SHA-256 fingerprint the token carries — and stores `host.key` (0600), `host.pem`,
/// `ca.pem` and `hub` in the state directory. The private key never leaves the host.
/// Call from a task (blocking file writes happen at the end).
public enum Enroller {
    /// Enrolls with `tokenText`; throws ``AgentEnrollmentError`` (or `ProtocolError`
    /// `invalid_token` for a malformed token) and writes nothing on failure.
    public static func enroll(
        token tokenText: String, stateDirectory: String, timeout: Duration = .seconds(15), logger: Logger
    ) async throws -> AgentEnrollment {
        let token = try EnrollmentToken.decode(tokenText)
        guard let endpoint = token.endpoint else { throw ProtocolError(.invalidToken, "the token has no usable address") }
        let request = try CertificateRequest.generate(commonName: token.host)
        let tls = try TLSContext.client(TLSClientConfiguration(
            trustRoots: .pinnedCertificateAuthority(fingerprintSHA256: token.caFingerprint), serverName: endpoint.host,
            applicationProtocols: [EnrollmentProtocol.alpn]
        ))
        logger.info("enrolling", metadata: ["hub": "\(token.address)", "host": "\(token.host)"])
        let reply = try await exchange(
            EnrollRequest(token: token.encoded, csr: request.requestPEM), host: endpoint.host, port: endpoint.port, tls: tls,
            timeout: timeout, logger: logger
        )
        let enrolled: Enrolled
        switch reply {
        case .enrolled(let value): enrolled = value
        case .error(let report): throw AgentEnrollmentError(report.code.rawValue, report.message)
        }
        let certificate = try validate(enrolled, token: token)
        return try store(enrolled, certificate: certificate, keyPEM: request.privateKeyPEM, in: stateDirectory)
    }

    private static func validate(_ enrolled: Enrolled, token: EnrollmentToken) throws -> PeerCertificate {
        guard let certificate = try? PeerCertificate(pem: enrolled.certificate), let ca = try? PeerCertificate(pem: enrolled.ca) else {
            throw AgentEnrollmentError(AgentEnrollmentError.invalidReply, "the hub sent an unreadable certificate")
        }
        guard ca.fingerprintSHA256.lowercased().filter({ $0 != ":" }) == token.caFingerprint else {
            throw AgentEnrollmentError(AgentEnrollmentError.invalidReply, "the hub sent a CA other than the one the token pins")
        }
        guard certificate.commonName?.lowercased() == token.host.lowercased(), enrolled.host.lowercased() == token.host.lowercased() else {
            throw AgentEnrollmentError(AgentEnrollmentError.invalidReply, "the certificate is not for \(token.host)")
        }
        guard EnrollmentToken(address: enrolled.hub, caFingerprint: "", host: "", id: "", secret: []).endpoint != nil else {
            throw AgentEnrollmentError(AgentEnrollmentError.invalidReply, "the hub sent an invalid session address \(enrolled.hub)")
        }
        return certificate
    }

    private static func store(_ enrolled: Enrolled, certificate: PeerCertificate, keyPEM: String, in directory: String) throws -> AgentEnrollment {
        let result = AgentEnrollment(
            host: enrolled.host, hub: enrolled.hub, serial: certificate.serialNumber, notAfter: certificate.notAfter,
            keyPath: directory + "/host.key", certificatePath: directory + "/host.pem", caPath: directory + "/ca.pem",
            hubPath: directory + "/hub"
        )
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            try AtomicFile.write(Array(keyPEM.utf8), to: result.keyPath, mode: 0o600)
            try AtomicFile.write(Array(enrolled.certificate.utf8), to: result.certificatePath, mode: 0o644)
            try AtomicFile.write(Array(enrolled.ca.utf8), to: result.caPath, mode: 0o644)
            try AtomicFile.write(Array((enrolled.hub + "\n").utf8), to: result.hubPath, mode: 0o644)
        } catch {
            throw AgentEnrollmentError(AgentEnrollmentError.io, "cannot write the state directory \(directory): \(error)")
        }
        return result
    }

    private static func exchange(
        _ request: EnrollRequest, host: String, port: Int, tls: TLSContext, timeout: Duration, logger: Logger
    ) async throws -> EnrollmentReply {
        let channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>
        let handshake: EventLoopFuture<Void>
        do {
            (channel, handshake) = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(.seconds(10))
                .connect(host: host, port: port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let outcome = channel.eventLoop.makePromise(of: Void.self)
                        try channel.pipeline.syncOperations.addHandlers([
                            TLSHandler(context: tls, logger: logger),
                            HandshakeWatcher(outcome: outcome),
                            ByteToMessageHandler(FrameDecoder(maximumFrameLength: EnrollmentProtocol.maximumFrameLength)),
                        ])
                        return (try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel), outcome.futureResult)
                    }
                }
        } catch {
            throw AgentEnrollmentError(AgentEnrollmentError.connection, "cannot connect to \(host):\(port): \(error)")
        }
        do {
            try await handshake.get()
        } catch {
            try? await channel.channel.close()
            throw AgentEnrollmentError(
                AgentEnrollmentError.untrustedHub,
                "TLS with \(host):\(port) failed; the hub's chain must end at the CA pinned by the token (\(error))"
            )
        }
        do {
            return try await withThrowingTaskGroup(of: EnrollmentReply.self) { tasks in
                tasks.addTask {
                    try await channel.executeThenClose { inbound, outbound in
                        try await outbound.write(MessageCoding.frame(request.jsonValue, allocator: channel.channel.allocator))
                        var frames = inbound.makeAsyncIterator()
                        guard let payload = try await frames.next() else {
                            throw AgentEnrollmentError(AgentEnrollmentError.connection, "the hub closed the connection without answering")
                        }
                        return try EnrollmentReply.decode(payload)
                    }
                }
                tasks.addTask {
                    try await Task.sleep(for: timeout)
                    throw AgentEnrollmentError(AgentEnrollmentError.connection, "no answer from \(host):\(port) within \(timeout)")
                }
                defer { tasks.cancelAll() }
                guard let reply = try await tasks.next() else {
                    throw AgentEnrollmentError(AgentEnrollmentError.connection, "no answer")
                }
                return reply
            }
        } catch let error as AgentEnrollmentError {
            try? await channel.channel.close()
            throw error
        } catch let error as ProtocolError {
            throw AgentEnrollmentError(AgentEnrollmentError.invalidReply, "\(error)")
        } catch {
            throw AgentEnrollmentError(AgentEnrollmentError.connection, "\(error)")
        }
    }
}

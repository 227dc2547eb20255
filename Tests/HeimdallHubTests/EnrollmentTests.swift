import Foundation
import HeimdallAgent
import HeimdallHub
import HeimdallPKI
import HeimdallProtocol
import HeimdallStore
import HeimdallTLS
import HeimdallTestSupport
import Logging
import Testing

/// Token enrollment over real TLS against a real hub and PostgreSQL.
@Suite(.serialized) struct EnrollmentTests {
    private func token(_ harness: HubHarness, host: String = "web-02") async throws -> CreatedToken {
        let inventory = CertificateInventory(database: harness.database, pkiDirectory: harness.pki.caDirectory, actor: "tester")
        return try await inventory.createToken(host: host, lifetime: 3600, enrollAddress: "127.0.0.1:\(harness.enrollPort)")
    }

    private func withHarness(
        _ name: String, adjust: (inout HubConfiguration) -> Void = { _ in }, _ body: (HubHarness) async throws -> Void
    ) async throws {
        let harness = try await HubHarness(name: name, adjust: adjust)
        do {
            try await body(harness)
        } catch {
            await harness.stop()
            throw error
        }
        await harness.stop()
    }

    private var fingerprint: (HubHarness) -> String { { $0.pki.authority.certificate.fingerprintSHA256 } }

    private func send(_ harness: HubHarness, token: String, name: String) async throws -> EnrollmentReply? {
        let csr = try CertificateRequest.generate(commonName: name).requestPEM
        return try await EnrollmentClient.send(
            EnrollmentClient.enrollFrame(token: token, csr: csr), port: harness.enrollPort, fingerprint: fingerprint(harness)
        )
    }

    private func code(_ reply: EnrollmentReply?) -> ProtocolErrorCode? {
        if case .error(let report)? = reply { return report.code }
        return nil
    }

    @Test func agentEnrollsThenOpensASession() async throws {
        try await withHarness("enroll_agent") { harness in
            let created = try await token(harness)
            let state = harness.pki.root + "/agent-state"
            let result = try await Enroller.enroll(token: created.text, stateDirectory: state, logger: Logger(label: "test"))
            #expect(result.host == "web-02")
            #expect(result.hub == "127.0.0.1:\(harness.port)")
            var info = stat()
            #expect(stat(state + "/host.key", &info) == 0 && info.st_mode & 0o777 == 0o600)
            #expect(try String(contentsOfFile: state + "/hub", encoding: .utf8) == "127.0.0.1:\(harness.port)\n")
            #expect(try String(contentsOfFile: state + "/ca.pem", encoding: .utf8) == harness.pki.authority.certificatePEM)
            let rows = try await harness.query("SELECT status FROM certificates WHERE host_id = 'web-02'")
            #expect(rows.count == 1)

            // Token reuse.
            #expect(code(try await send(harness, token: created.text, name: "web-02")) == .tokenUsed)

            // The enrolled certificate opens a session.
            let connection = try await TestAgentConnection.connect(
                port: harness.port, certificatePath: state + "/host.pem", keyPath: state + "/host.key", caPath: state + "/ca.pem"
            )
            try await connection.send(#"{"type":"hello","protocol":1,"agent":{"version":"test"}}"#)
            guard case .welcome(let welcome)? = try await connection.receive() else {
                Issue.record("no welcome for the enrolled certificate")
                return
            }
            #expect(welcome.host == "web-02")
            await connection.close()
            let audit = try await harness.query("SELECT action, outcome FROM pki_audit ORDER BY id")
            #expect(try audit.map { "\(try $0.require("action", as: String.self))/\(try $0.require("outcome", as: String.self))" }
                == ["enroll/success", "enrollment/success", "enrollment/failure"])
        }
    }

    @Test func refusalsOnTheWire() async throws {
        try await withHarness("enroll_refusals", adjust: { $0.enrollmentFailureLimit = 100 }) { harness in
            let created = try await token(harness)
            #expect(code(try await send(harness, token: created.text, name: "db-01")) == .nameMismatch)
            #expect(code(try await EnrollmentClient.send(
                EnrollmentClient.enrollFrame(token: created.text, csr: "-----BEGIN CERTIFICATE REQUEST-----\ngarbage\n"),
                port: harness.enrollPort, fingerprint: fingerprint(harness)
            )) == .csrInvalid)
            #expect(code(try await send(harness, token: "hdm1.forged", name: "web-02")) == .invalidToken)
            #expect(code(try await EnrollmentClient.send(
                #"{"type":"hello","protocol":1}"#, port: harness.enrollPort, fingerprint: fingerprint(harness)
            )) == .protocolViolation)

            let expired = try await token(harness, host: "web-03")
            _ = try await harness.query("UPDATE enrollment_tokens SET expires_at = now() - interval '1 second' WHERE id = $1 RETURNING id", [.string(expired.id)])
            #expect(code(try await send(harness, token: expired.text, name: "web-03")) == .tokenExpired)

            // None of that used the first token.
            guard case .enrolled(let enrolled)? = try await send(harness, token: created.text, name: "web-02") else {
                Issue.record("valid enrollment refused")
                return
            }
            #expect(enrolled.host == "web-02")
        }
    }

    @Test func weakKeysAreRefusedAndRequestedExtensionsIgnored() async throws {
        try await withHarness("enroll_csr_checks") { harness in
            let created = try await token(harness)
            let directory = harness.pki.root + "/csr"
            for key in [["-newkey", "rsa:2048"], ["-newkey", "rsa:3072"], ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:secp224r1"]] {
                let csr = try OpenSSLRequests.make(commonName: "web-02", key: key, in: directory)
                #expect(code(try await EnrollmentClient.send(
                    EnrollmentClient.enrollFrame(token: created.text, csr: csr), port: harness.enrollPort, fingerprint: fingerprint(harness)
                )) == .csrInvalid, "\(key)")
            }
            let greedy = try OpenSSLRequests.make(
                commonName: "web-02", key: ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-384"],
                extra: ["-addext", "basicConstraints=critical,CA:TRUE", "-addext", "extendedKeyUsage=serverAuth",
                        "-addext", "subjectAltName=DNS:bank.example.com"],
                in: directory
            )
            guard case .enrolled(let enrolled)? = try await EnrollmentClient.send(
                EnrollmentClient.enrollFrame(token: created.text, csr: greedy), port: harness.enrollPort, fingerprint: fingerprint(harness)
            ) else {
                Issue.record("a P-384 request was refused")
                return
            }
            let certificate = try PeerCertificate(pem: enrolled.certificate)
            #expect(certificate.dnsNames == ["web-02"] && certificate.hasClientAuthUsage)
            #expect(!enrolled.certificate.isEmpty)
            let text = try OpenSSLRequests.describe(certificate: enrolled.certificate, in: directory)
            #expect(text.contains("CA:FALSE") && !text.contains("bank.example.com") && !text.contains("Server Authentication"))
        }
    }

    @Test func wrongPinRefusesTheHub() async throws {
        try await withHarness("enroll_pin") { harness in
            var token = try EnrollmentToken.decode(try await token(harness).text)
            token.caFingerprint = try CertificateAuthority.create().certificate.fingerprintSHA256.lowercased()
            do {
                _ = try await Enroller.enroll(token: token.encoded, stateDirectory: harness.pki.root + "/pin", logger: Logger(label: "test"))
                Issue.record("enrolled with a hub that does not match the pin")
            } catch let error as AgentEnrollmentError {
                #expect(error.code == AgentEnrollmentError.untrustedHub)
            }
            #expect(!FileManager.default.fileExists(atPath: harness.pki.root + "/pin/host.key"))
            #expect(try await harness.count("SELECT count(*) FROM enrollment_tokens WHERE used_at IS NULL") == 1)
        }
    }

    @Test func failuresAreRateLimitedPerAddress() async throws {
        try await withHarness("enroll_rate", adjust: { $0.enrollmentFailureLimit = 3 }) { harness in
            let created = try await token(harness)
            for _ in 0..<3 {
                #expect(code(try await send(harness, token: "hdm1.nope", name: "web-02")) == .invalidToken)
            }
            #expect(code(try await send(harness, token: created.text, name: "web-02")) == .rateLimited)
            #expect(try await harness.count("SELECT count(*) FROM enrollment_tokens WHERE used_at IS NULL") == 1)
        }
    }

    @Test func enrollFrameOnTheSessionPortIsRefused() async throws {
        try await withHarness("enroll_session_port") { harness in
            let created = try await token(harness)
            // Without a client certificate the handshake itself fails.
            let anonymous = try? await TestAgentConnection.connect(port: harness.port, bundle: nil, caPath: harness.pki.caPath)
            if let anonymous {
                try await anonymous.send(EnrollmentClient.enrollFrame(token: created.text, csr: "x"))
                let frames = try await anonymous.receiveUntilClosed()
                #expect(frames.isEmpty)
            }
            // A client that has a certificate and sends enroll gets a clear fatal error.
            let (session, _) = try await harness.welcomed(as: "web-01")
            try await session.send(EnrollmentClient.enrollFrame(token: created.text, csr: "x"))
            let reply = try await session.receiveUntilClosed()
            guard case .error(let report)? = reply.last else {
                Issue.record("no error for enroll on the session port: \(reply)")
                return
            }
            #expect(report.code == .protocolViolation && report.message.contains("enrollment listener"))
            // The enrollment ALPN is not spoken on the session port.
            await #expect(throws: (any Error).self) {
                _ = try await EnrollmentClient.send(
                    EnrollmentClient.enrollFrame(token: created.text, csr: "x"), port: harness.port, fingerprint: fingerprint(harness)
                )
            }
            #expect(try await harness.count("SELECT count(*) FROM enrollment_tokens WHERE used_at IS NULL") == 1)
        }
    }

    @Test func enrollmentCanBeDisabled() async throws {
        try await withHarness("enroll_disabled", adjust: { $0.enrollmentAddress = nil }) { harness in
            #expect(harness.hub.enrollmentAddress == nil)
        }
    }
}

import Dispatch
import Foundation
import HeimdallTestSupport
import HeimdallTLS
import NIOPosix
import Synchronization
import Testing

/// An independent client: `openssl s_client` against our server.
@Suite(.serialized, .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl")))
final class OpenSSLClientTests {
    let pki: TestPKI
    let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)

    init() throws {
        pki = try TestPKI()
    }

    deinit {
        pki.remove()
        try? group.syncShutdownGracefully()
    }

    /// Runs `openssl s_client` (bounded by timeout(1)): sends "ping" and keeps stdin open
    /// until the output shows one of `markers` (or 8 s pass), then closes stdin.
    func sClient(port: Int, _ extra: [String], until markers: [String]) async throws -> (status: Int32, output: String) {
        let arguments = ["10", "openssl", "s_client", "-connect", "127.0.0.1:\(port)", "-alpn", "heimdall/1",
                         "-CAfile", pki.caPath, "-verify_return_error"] + extra
        return try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                do {
                    let collected = Mutex(Data())
                    let process = Process()
                    process.executableURL = URL(fileURLWithPath: "/usr/bin/timeout")
                    process.arguments = arguments
                    let input = Pipe()
                    let output = Pipe()
                    process.standardInput = input
                    process.standardOutput = output
                    process.standardError = output
                    output.fileHandleForReading.readabilityHandler = { handle in
                        let chunk = handle.availableData
                        collected.withLock { $0.append(chunk) }
                    }
                    try process.run()
                    input.fileHandleForWriting.write(Data("ping\n".utf8))
                    for _ in 0 ..< 160 {
                        let text = collected.withLock { String(decoding: $0, as: UTF8.self) }
                        if markers.contains(where: text.contains) { break }
                        Thread.sleep(forTimeInterval: 0.05)
                    }
                    try? input.fileHandleForWriting.close()
                    process.waitUntilExit()
                    output.fileHandleForReading.readabilityHandler = nil
                    let rest = output.fileHandleForReading.readDataToEndOfFile()
                    let text = collected.withLock { String(decoding: $0 + rest, as: UTF8.self) }
                    continuation.resume(returning: (process.terminationStatus, text))
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
    }

    func startServer() async throws -> EchoServer {
        let context = try TLSContext.server(TLSServerConfiguration(
            certificateChainPath: pki.hubCertificatePath, privateKeyPath: pki.hubKeyPath,
            trustRootsPath: pki.caPath, applicationProtocols: ["heimdall/1"]
        ))
        return try await EchoServer.start(group: group, context: context)
    }

    @Test func sClientWithCertificateCompletes() async throws {
        let bundle = try pki.hostBundle("sclient-01")
        let server = try await startServer()
        let result = try await sClient(
            port: server.port, ["-cert", bundle.certificatePath, "-cert_chain", pki.intermediatePath, "-key", bundle.keyPath],
            until: ["ping"]
        )
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("ALPN protocol: heimdall/1"))
        #expect(result.output.contains("Verify return code: 0 (ok)"))
        #expect(result.output.contains("ping"))
        let outcome = try await serverOutcome(server)
        #expect(outcome.handshake?.peerCertificate?.commonName == "sclient-01")
        await server.stop()
    }

    @Test func sClientWithoutCertificateFails() async throws {
        let server = try await startServer()
        let result = try await sClient(port: server.port, [], until: ["alert"])
        #expect(result.status != 0, "\(result.output)")
        #expect(result.output.contains("certificate required"))
        let outcome = try await serverOutcome(server)
        #expect(outcome.error?.code == .certificateRequired)
        await server.stop()
    }

    @Test func sessionsAreNeverResumed() async throws {
        let bundle = try pki.hostBundle("sclient-02")
        let server = try await startServer()
        let session = pki.root + "/session.pem"
        // s_client sends only the first certificate of -cert; -cert_chain adds the intermediate.
        let identity = ["-cert", bundle.certificatePath, "-cert_chain", pki.intermediatePath, "-key", bundle.keyPath]
        let first = try await sClient(port: server.port, identity + ["-sess_out", session], until: ["ping"])
        #expect(first.status == 0, "\(first.output)")
        // No ticket was issued, so s_client has no resumable session to save.
        #expect(!FileManager.default.fileExists(atPath: session))
        if FileManager.default.fileExists(atPath: session) {
            let second = try await sClient(port: server.port, identity + ["-sess_in", session], until: ["ping"])
            #expect(!second.output.contains("Reused"), "\(second.output)")
        }
        await server.stop()
    }
}

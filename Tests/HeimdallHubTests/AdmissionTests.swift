import Foundation
import HeimdallHub
import HeimdallProtocol
import HeimdallTestSupport
import NIOCore
import NIOPosix
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The session listener's admission control with small caps, over real TLS on 127.0.0.1.
@Suite(.serialized) struct AdmissionTests {
    /// A TCP connection that never sends a ClientHello: it holds a handshake slot.
    func silentConnection(port: Int) async throws -> any Channel {
        try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton).connect(host: "127.0.0.1", port: port).get()
    }

    @Test func theHandshakeCapDefaultsToEightPerEventLoop() {
        let configuration = HubConfiguration(pkiDirectory: URL(fileURLWithPath: "/nonexistent"))
        #expect(configuration.admission.maximumHandshakes == 8 * configuration.eventLoopThreads)
        #expect(AdmissionLimits.default(eventLoops: 4) == AdmissionLimits(maximumHandshakes: 32, maximumSessions: 20_000))
    }

    @Test func connectionsBeyondTheHandshakeCapWaitUntilASlotFrees() async throws {
        let harness = try await HubHarness(name: "admission_handshakes") {
            $0.admission.maximumHandshakes = 2
            $0.deadlines = SessionDeadlines(handshake: .seconds(20), hello: .seconds(5))
        }
        let silent = [try await silentConnection(port: harness.port), try await silentConnection(port: harness.port)]
        try await Task.sleep(for: .milliseconds(300))  // both accepted: the cap is reached

        let waiting = try await ProbeAgent.connect(port: harness.port, bundle: try harness.pki.hostBundle("web-01"), caPath: harness.pki.caPath)
        #expect(try await waiting.handshake(within: .milliseconds(800)) == nil, "not accepted while two handshakes are in progress")
        try await silent[0].close()
        #expect(try await waiting.handshake(within: .seconds(5)) != nil, "accepted once a slot freed")
        #expect(try await waiting.welcomed())

        let next = try await ProbeAgent.connect(port: harness.port, bundle: try harness.pki.hostBundle("web-02"), caPath: harness.pki.caPath)
        #expect(try await next.welcomed(), "a completed handshake gives its slot back")
        await waiting.close()
        await next.close()
        try await silent[1].close()
        await harness.stop()
    }

    @Test func aConnectionOverTheSessionCapIsToldRateLimitedAndClosed() async throws {
        let harness = try await HubHarness(name: "admission_sessions") { $0.admission.maximumSessions = 2 }
        let connect = { (host: String) in
            try await ProbeAgent.connect(port: harness.port, bundle: try harness.pki.hostBundle(host), caPath: harness.pki.caPath)
        }
        let first = try await connect("web-01")
        let second = try await connect("web-02")
        #expect(try await first.welcomed())
        #expect(try await second.welcomed())

        let third = try await connect("web-03")
        let refused = try #require(try await third.closed())
        #expect(refused.handshake != nil, "the handshake completes, then the hub says why")
        #expect(refused.fatalCode == .rateLimited)
        #expect(!refused.welcomed)

        await first.close()
        #expect(try await harness.eventually {
            let again = try await connect("web-03")
            defer { Task { await again.close() } }
            return try await again.welcomed()
        }, "room again once a session closed")
        await second.close()
        await harness.stop()
    }

    /// EMFILE on accept: the listener backs off (NIO's AcceptBackoffHandler) instead of
    /// failing, and accepts the waiting connection once descriptors are available again. The
    /// waiting connection is held back by the handshake cap until the limit is lowered.
    @Test func acceptingSurvivesRunningOutOfDescriptors() async throws {
        let harness = try await HubHarness(name: "admission_emfile") {
            $0.admission.maximumHandshakes = 1
            $0.deadlines = SessionDeadlines(handshake: .seconds(20), hello: .seconds(5))
        }
        let silent = try await silentConnection(port: harness.port)
        try await Task.sleep(for: .milliseconds(300))
        let probe = try await ProbeAgent.connect(port: harness.port, bundle: try harness.pki.hostBundle("web-01"), caPath: harness.pki.caPath)
        var original = rlimit()
        #expect(getrlimit(Int32(RLIMIT_NOFILE.rawValue), &original) == 0)
        var exhausted = original
        exhausted.rlim_cur = 3  // only stdin, stdout and stderr: every new descriptor fails with EMFILE
        #expect(setrlimit(Int32(RLIMIT_NOFILE.rawValue), &exhausted) == 0)
        try? await silent.close()  // frees the handshake slot: the hub tries to accept the probe
        try await Task.sleep(for: .milliseconds(400))
        #expect(setrlimit(Int32(RLIMIT_NOFILE.rawValue), &original) == 0)
        #expect(try await probe.welcomed(within: .seconds(8)), "accepted after the backoff")
        await probe.close()
        await harness.stop()
    }
}

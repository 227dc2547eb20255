import Foundation
import HeimdallProtocol
import HeimdallStore
import HeimdallTLS
import HeimdallTestSupport
import Logging
import NIOCore
import NIOEmbedded
import Synchronization
import Testing
@testable import HeimdallHub

/// Counts the `read()` calls that get past the session handler (its read gate).
final class ReadCounter: ChannelOutboundHandler, Sendable {
    typealias OutboundIn = ByteBuffer
    let reads = Atomic(0)
    func read(context: ChannelHandlerContext) {
        reads.add(1, ordering: .relaxed)
        context.read()
    }
}

/// A database writer the test releases by hand.
final class GatedWriter: Sendable {
    private let released = Mutex<[CheckedContinuation<Void, Never>]>([])
    private let open = Atomic(false)

    func write(_ batches: [IngestBatch]) async -> [BatchOutcome] {
        if !open.load(ordering: .relaxed) {
            await withCheckedContinuation { continuation in released.withLock { $0.append(continuation) } }
        }
        return batches.map { batch in
            if case .events(let events) = batch.payload { return BatchOutcome(stored: events.count, duplicates: 0) }
            return BatchOutcome(stored: 1, duplicates: 0)
        }
    }

    func release() {
        open.store(true, ordering: .relaxed)
        released.withLock { waiting in
            waiting.forEach { $0.resume() }
            waiting.removeAll()
        }
    }
}

@Suite(.serialized) struct HubSessionHandlerTests {
    func services(writer: GatedWriter, ingest: GroupCommitLimits = GroupCommitLimits(writers: 1), heartbeat: Int = 30) -> SessionServices {
        let logger = Logger(label: "test")
        let registry = SessionRegistry()
        let journal = SessionJournal(limits: GroupCommitLimits(writers: 1), logger: logger) { entries in entries.map { _ in () } }
        let pipeline = HubIngestPipeline(limits: ingest, logger: logger) { await writer.write($0) }
        Task { await pipeline.run() }
        Task { await journal.run() }
        return SessionServices(
            registry: registry, revocations: RevocationList(), pipeline: pipeline, journal: journal,
            liveness: LivenessMonitor(registry: registry, journal: journal, heartbeatInterval: 30),
            clones: CloneWatch(journal: journal, logger: logger), connections: ConnectionTracker(),
            hubID: "test", limits: SessionLimits(heartbeatInterval: heartbeat, maximumFrameLength: 65_536, maximumBatchSize: 10, window: 2),
            deadlines: SessionDeadlines(handshake: .seconds(30), hello: .seconds(30)), logger: logger
        )
    }

    func frame(_ json: String) -> ByteBuffer { ByteBuffer(string: json) }

    func nextMessage(_ channel: NIOAsyncTestingChannel) async throws -> HubMessage {
        var buffer = try await channel.waitForOutboundWrite(as: ByteBuffer.self)
        guard let payload = try FrameDecoder.nextFrame(from: &buffer, maximumFrameLength: 1 << 20) else {
            throw HarnessError("incomplete frame")
        }
        return try HubMessage.decode(payload)
    }

    @Test func theReadGateClosesOnAFullWindowAndReopensOnAcks() async throws {
        let pki = try TestPKI()
        defer { pki.remove() }
        let writer = GatedWriter()
        let counter = ReadCounter()
        let channel = NIOAsyncTestingChannel()
        let services = services(writer: writer)
        try await channel.eventLoop.submit {
            try channel.pipeline.syncOperations.addHandlers([counter, HubSessionHandler(services: services)])
        }.get()
        try await channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 9))
        let certificate = try pki.hostBundle("web-01").issued.certificate
        channel.pipeline.fireUserInboundEventTriggered(TLSHandshakeCompleted(peerCertificate: certificate, alpn: "heimdall/1", protocolVersion: "TLSv1.3"))

        try await channel.writeInbound(frame(#"{"type":"hello","protocol":1}"#))
        guard case .welcome(let welcome) = try await nextMessage(channel) else { throw HarnessError("no welcome") }
        #expect(welcome.host == "web-01")

        let before = counter.reads.load(ordering: .relaxed)
        try await channel.eventLoop.submit { channel.read() }.get()
        #expect(counter.reads.load(ordering: .relaxed) == before + 1)

        for seq in 1...2 {
            try await channel.writeInbound(frame(TestEvents.frame(seq: seq, count: 3, prefix: "c\(seq)")))
        }
        try await channel.eventLoop.submit { channel.read() }.get()
        #expect(counter.reads.load(ordering: .relaxed) == before + 1, "the window is full: no read may pass")

        writer.release()
        #expect(try await nextMessage(channel) == .ack(Ack(sequenceNumber: 1, stored: 3, duplicates: 0)))
        #expect(try await nextMessage(channel) == .ack(Ack(sequenceNumber: 2, stored: 3, duplicates: 0)))
        #expect(counter.reads.load(ordering: .relaxed) == before + 2, "the held read is released once acks free the window")
        _ = try? await channel.finish()
    }

    /// A session on `services` after its TLS handshake, with the read counter in front.
    func session(_ host: String, services: SessionServices, pki: TestPKI) async throws -> (NIOAsyncTestingChannel, ReadCounter) {
        let counter = ReadCounter()
        let channel = NIOAsyncTestingChannel()
        try await channel.eventLoop.submit {
            try channel.pipeline.syncOperations.addHandlers([counter, HubSessionHandler(services: services)])
        }.get()
        try await channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 9))
        let certificate = try pki.hostBundle(host).issued.certificate
        channel.pipeline.fireUserInboundEventTriggered(TLSHandshakeCompleted(peerCertificate: certificate, alpn: "heimdall/1", protocolVersion: "TLSv1.3"))
        return (channel, counter)
    }

    @Test func aNewSessionIsReadAndWelcomedWhileThePipelinePushesBack() async throws {
        let pki = try TestPKI()
        defer { pki.remove() }
        let writer = GatedWriter()
        let services = services(writer: writer, ingest: GroupCommitLimits(highWatermark: 2, lowWatermark: 1, writers: 1))
        let (busy, _) = try await session("web-01", services: services, pki: pki)
        try await busy.writeInbound(frame(#"{"type":"hello","protocol":1}"#))
        _ = try await nextMessage(busy)
        for seq in 1...2 {  // the first is in the (stalled) writer, the second stays queued
            try await busy.writeInbound(frame(TestEvents.frame(seq: seq, count: 3, prefix: "b\(seq)")))
        }
        while services.pipeline.hasCapacity { try await Task.sleep(for: .milliseconds(5)) }

        let (newcomer, counter) = try await session("web-02", services: services, pki: pki)
        try await newcomer.eventLoop.submit { newcomer.read() }.get()
        #expect(counter.reads.load(ordering: .relaxed) == 1, "a session waiting for hello is read despite the backpressure")
        try await newcomer.writeInbound(frame(#"{"type":"hello","protocol":1}"#))
        guard case .welcome(let welcome) = try await nextMessage(newcomer) else { throw HarnessError("no welcome") }
        #expect(welcome.host == "web-02")
        try await newcomer.eventLoop.submit { newcomer.read() }.get()
        #expect(counter.reads.load(ordering: .relaxed) == 1, "once welcomed it waits for capacity like every session")

        writer.release()
        _ = try? await busy.finish()
        _ = try? await newcomer.finish()
    }

    @Test func aSessionTheHubDoesNotReadIsNotClosedAsIdle() async throws {
        let pki = try TestPKI()
        defer { pki.remove() }
        let writer = GatedWriter()
        let services = services(writer: writer, heartbeat: 1)  // idle after 3 s of silence
        let (channel, _) = try await session("web-03", services: services, pki: pki)
        try await channel.writeInbound(frame(#"{"type":"hello","protocol":1}"#))
        _ = try await nextMessage(channel)
        for seq in 1...2 {  // a full window the stalled database does not acknowledge
            try await channel.writeInbound(frame(TestEvents.frame(seq: seq, count: 1, prefix: "c\(seq)")))
        }
        try await channel.eventLoop.submit { channel.read() }.get()  // withheld: the window is full
        try await Task.sleep(for: .seconds(4))
        #expect(channel.isActive, "silent only because the hub stopped reading")
        writer.release()
        let message = try await nextMessage(channel)
        #expect(message == .ack(Ack(sequenceNumber: 1, stored: 1, duplicates: 0)), "\(message)")
        _ = try? await channel.finish()
    }
}

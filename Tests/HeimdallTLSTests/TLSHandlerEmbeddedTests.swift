import HeimdallTestSupport
import HeimdallTLS
import NIOCore
import NIOEmbedded
import Testing

/// Collects user events and errors behind a TLSHandler on an EmbeddedChannel.
final class EventRecorder: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    var handshakes: [TLSHandshakeCompleted] = []
    var errors: [TLSError] = []

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? TLSHandshakeCompleted {
            handshakes.append(event)
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        context.fireChannelRead(data)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let error = error as? TLSError {
            errors.append(error)
        }
    }
}

@available(*, unavailable)
extension EventRecorder: Sendable {}

/// Writes "second" as soon as the handshake completes.
final class WriteOnHandshake: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is TLSHandshakeCompleted {
            context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: "second")), promise: nil)
        }
        context.fireUserInboundEventTriggered(event)
    }
}

@available(*, unavailable)
extension WriteOnHandshake: Sendable {}

/// The handler driven byte by byte: two EmbeddedChannels with bytes shuttled between them.
@Suite struct TLSHandlerEmbeddedTests {
    struct Pair {
        let client: EmbeddedChannel
        let server: EmbeddedChannel
        let clientEvents: EventRecorder
        let serverEvents: EventRecorder
    }

    func makePair(_ pki: TestPKI, connect: Bool = true) throws -> Pair {
        let bundle = try pki.hostBundle("embedded-01")
        let serverContext = try TLSContext.server(TLSServerConfiguration(
            certificateChainPath: pki.hubCertificatePath, privateKeyPath: pki.hubKeyPath,
            trustRootsPath: pki.caPath, applicationProtocols: ["heimdall/1"]
        ))
        let clientContext = try TLSContext.client(TLSClientConfiguration(
            certificateChainPath: bundle.certificatePath, privateKeyPath: bundle.keyPath,
            trustRootsPath: pki.caPath, serverName: "localhost", applicationProtocols: ["heimdall/1"]
        ))
        let pair = Pair(
            client: EmbeddedChannel(), server: EmbeddedChannel(),
            clientEvents: EventRecorder(), serverEvents: EventRecorder()
        )
        try pair.client.pipeline.syncOperations.addHandlers(TLSHandler(context: clientContext), pair.clientEvents)
        try pair.server.pipeline.syncOperations.addHandlers(TLSHandler(context: serverContext), pair.serverEvents)
        let address = try SocketAddress(ipAddress: "127.0.0.1", port: 7443)
        try pair.server.connect(to: address).wait()
        if connect {
            try pair.client.connect(to: address).wait()
        }
        return pair
    }

    /// Moves bytes both ways until neither side has anything left to send.
    func shuttle(_ pair: Pair) throws {
        var moved = true
        while moved {
            moved = false
            while let bytes = try pair.client.readOutbound(as: ByteBuffer.self) {
                if pair.server.isActive { try pair.server.writeInbound(bytes) }
                moved = true
            }
            while let bytes = try pair.server.readOutbound(as: ByteBuffer.self) {
                if pair.client.isActive { try pair.client.writeInbound(bytes) }
                moved = true
            }
        }
    }

    @Test func handshakeCompletesAndDataFlows() throws {
        let pki = try TestPKI()
        defer { pki.remove() }
        let pair = try makePair(pki)
        try shuttle(pair)
        #expect(pair.clientEvents.handshakes.count == 1)
        #expect(pair.serverEvents.handshakes.first?.peerCertificate?.commonName == "embedded-01")
        #expect(pair.serverEvents.handshakes.first?.alpn == "heimdall/1")
        try pair.client.writeAndFlush(ByteBuffer(string: "hello")).wait()
        try shuttle(pair)
        #expect(try pair.server.readInbound(as: ByteBuffer.self) == ByteBuffer(string: "hello"))
    }

    @Test func writesBeforeTheHandshakeAreBuffered() throws {
        let pki = try TestPKI()
        defer { pki.remove() }
        let pair = try makePair(pki, connect: false)
        let written = pair.client.writeAndFlush(ByteBuffer(string: "early"))
        #expect(try pair.client.readOutbound(as: ByteBuffer.self) == nil)
        try pair.client.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 7443)).wait()
        try shuttle(pair)
        try written.wait()
        #expect(try pair.server.readInbound(as: ByteBuffer.self) == ByteBuffer(string: "early"))
    }

    @Test func closeSendsCloseNotify() throws {
        let pki = try TestPKI()
        defer { pki.remove() }
        let pair = try makePair(pki)
        try shuttle(pair)
        pair.client.close(promise: nil)
        try shuttle(pair)
        #expect(!pair.server.isActive)
        #expect(pair.serverEvents.errors.isEmpty)
        #expect(pair.clientEvents.errors.isEmpty)
    }

    @Test func garbageFailsTheHandshakeWithAnAlert() throws {
        let pki = try TestPKI()
        defer { pki.remove() }
        let pair = try makePair(pki, connect: false)
        // A handshake record holding a ClientHello of length zero: decode_error.
        try pair.server.writeInbound(ByteBuffer(bytes: [0x16, 0x03, 0x01, 0x00, 0x04, 0x01, 0x00, 0x00, 0x00]))
        #expect(pair.serverEvents.errors.first?.code == .handshakeFailed)
        #expect(pair.serverEvents.errors.first?.openSSLReasons.isEmpty == false)
        let alert = try pair.server.readOutbound(as: ByteBuffer.self)
        #expect(alert?.getInteger(at: alert?.readerIndex ?? 0, as: UInt8.self) == 21)  // TLS alert record
        #expect(!pair.server.isActive)
    }

    @Test func handshakeTimesOut() throws {
        let pki = try TestPKI()
        defer { pki.remove() }
        let context = try TLSContext.server(TLSServerConfiguration(
            certificateChainPath: pki.hubCertificatePath, privateKeyPath: pki.hubKeyPath, trustRootsPath: pki.caPath
        ))
        let events = EventRecorder()
        let server = EmbeddedChannel()
        try server.pipeline.syncOperations.addHandlers(TLSHandler(context: context, handshakeTimeout: .milliseconds(100)), events)
        try server.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 7443)).wait()
        server.embeddedEventLoop.advanceTime(by: .milliseconds(50))
        #expect(server.isActive)
        server.embeddedEventLoop.advanceTime(by: .milliseconds(100))
        #expect(events.errors.map(\.code) == [.handshakeTimeout])
        #expect(!server.isActive)
    }

    @Test func bufferedWritesGoBeforeWritesMadeOnTheEvent() throws {
        let pki = try TestPKI()
        defer { pki.remove() }
        let pair = try makePair(pki, connect: false)
        try pair.client.pipeline.syncOperations.addHandler(WriteOnHandshake())
        pair.client.writeAndFlush(ByteBuffer(string: "first"), promise: nil)
        try pair.client.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 7443)).wait()
        try shuttle(pair)
        var received = ""
        while let buffer = try pair.server.readInbound(as: ByteBuffer.self) {
            received += String(buffer: buffer)
        }
        #expect(received == "firstsecond")
    }
}

import HeimdallTestSupport
import HeimdallTLS
import NIOCore
import NIOPosix
import Testing

/// Server side: after the handshake, writes `size` bytes and closes at once.
final class SendAndCloseHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let size: Int

    init(size: Int) {
        self.size = size
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard event is TLSHandshakeCompleted else { return }
        let payload = ByteBuffer(repeating: UInt8(ascii: "x"), count: size)
        context.writeAndFlush(wrapOutboundOut(payload), promise: nil)
        context.close(promise: nil)
    }
}

@available(*, unavailable)
extension SendAndCloseHandler: Sendable {}

@Suite(.serialized)
final class CloseTests {
    let pki: TestPKI
    let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)

    init() throws {
        pki = try TestPKI()
    }

    deinit {
        pki.remove()
        try? group.syncShutdownGracefully()
    }

    @Test func dataWrittenBeforeCloseArrives() async throws {
        let size = 4 * 1024 * 1024
        let serverContext = try TLSContext.server(TLSServerConfiguration(
            certificateChainPath: pki.hubCertificatePath, privateKeyPath: pki.hubKeyPath, trustRootsPath: pki.caPath
        ))
        let server = try await ServerBootstrap(group: group)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(TLSHandler(context: serverContext))
                    try channel.pipeline.syncOperations.addHandler(SendAndCloseHandler(size: size))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let bundle = try pki.hostBundle("close-01")
        let clientContext = try TLSContext.client(TLSClientConfiguration(
            certificateChainPath: bundle.certificatePath, privateKeyPath: bundle.keyPath,
            trustRootsPath: bundle.caPath, serverName: "localhost"
        ))
        let client = try await TestClient.connect(
            group: group, port: server.localAddress?.port ?? 0, context: clientContext, expected: size
        )
        let received = try await client.reply.get()
        #expect(try received.get().utf8.count == size)
        try await client.channel.closeFuture.get()
        try await server.close()
    }
}

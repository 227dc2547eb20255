import HeimdallProtocol
import HeimdallTLS
import NIOCore
import NIOPosix

/// Binds the agent-session listener: TLS, then frames, then the session handler.
enum SessionListener {
    static func bind(_ address: ListenAddress, tls: TLSContext, services: SessionServices, group: any EventLoopGroup) async throws -> any Channel {
        try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 1024)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandlers([
                        TLSHandler(context: tls, handshakeTimeout: services.deadlines.handshake, logger: services.logger),
                        ByteToMessageHandler(FrameDecoder(maximumFrameLength: services.limits.maximumFrameLength)),
                        HubSessionHandler(services: services),
                    ])
                }
            }
            .bind(host: address.host, port: address.port)
            .get()
    }
}

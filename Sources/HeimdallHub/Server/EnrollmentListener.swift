import HeimdallProtocol
import HeimdallTLS
import NIOCore
import NIOPosix

/// Binds the enrollment listener: server-authenticated TLS (ALPN `heimdall-enroll/1`), then
/// frames, then the enrollment handler.
enum EnrollmentListener {
    static func bind(
        _ address: ListenAddress, tls: TLSContext, services: EnrollmentServices, handshakeTimeout: TimeAmount,
        group: any EventLoopGroup
    ) async throws -> any Channel {
        try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandlers([
                        TLSHandler(context: tls, handshakeTimeout: handshakeTimeout, logger: services.logger),
                        ByteToMessageHandler(FrameDecoder(maximumFrameLength: EnrollmentProtocol.maximumFrameLength)),
                        EnrollmentHandler(services: services),
                    ])
                }
            }
            .bind(host: address.host, port: address.port)
            .get()
    }
}

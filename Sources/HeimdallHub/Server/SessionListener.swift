import HeimdallProtocol
import HeimdallTLS
import NIOCore
import NIOPosix

/// Binds the agent-session listener: TLS, then frames, then the session handler. Accepting
/// backs off on EMFILE/ENFILE (`AcceptBackoffHandler`) and pauses while `admission` is at
/// its handshake cap; a connection over the session cap gets `error rate_limited` instead
/// of a session.
enum SessionListener {
    static func bind(
        _ address: ListenAddress, tls: TLSContext, services: SessionServices, admission: AdmissionControl, group: any EventLoopGroup
    ) async throws -> any Channel {
        try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 4096)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            // One accept per read, so the handshake cap is checked before every accept.
            .serverChannelOption(.maxMessagesPerRead, value: 1)
            .serverChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandlers([
                        AcceptBackoffHandler(), HandshakeAdmissionHandler(admission: admission),
                    ])
                }
            }
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let tlsHandler = TLSHandler(context: tls, handshakeTimeout: services.deadlines.handshake, logger: services.logger)
                    let slot = HandshakeSlotHandler(admission: admission)
                    guard admission.admitSession() else {
                        let refusal = SessionCapRefusalHandler(limit: admission.limits.maximumSessions, logger: services.logger)
                        try channel.pipeline.syncOperations.addHandlers([tlsHandler, slot, refusal])
                        return
                    }
                    channel.closeFuture.whenComplete { _ in admission.sessionEnded() }
                    try channel.pipeline.syncOperations.addHandlers([
                        tlsHandler, slot,
                        ByteToMessageHandler(FrameDecoder(maximumFrameLength: services.limits.maximumFrameLength)),
                        HubSessionHandler(services: services),
                    ])
                }
            }
            .bind(host: address.host, port: address.port)
            .get()
    }
}

import HeimdallProtocol
import HeimdallTLS
import Logging
import NIOCore

/// After the TLS handler of an admitted connection: ends its handshake's slot in
/// ``AdmissionControl`` once the handshake completed (closing ends it too), then leaves
/// the pipeline, so the session's frames do not pass through it. Event loop only.
final class HandshakeSlotHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let admission: AdmissionControl

    init(admission: AdmissionControl) {
        self.admission = admission
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard event is TLSHandshakeCompleted else {
            context.fireUserInboundEventTriggered(event)
            return
        }
        admission.handshakeEnded(context.channel)
        context.fireUserInboundEventTriggered(event)
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }
}

/// Stands in for the session handler on a connection over `hub.max_sessions`: once the
/// handshake completed it sends `error rate_limited` (fatal) and closes (close_notify).
/// Event loop only.
final class SessionCapRefusalHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let limit: Int
    private let logger: Logger

    init(limit: Int, logger: Logger) {
        self.limit = limit
        self.logger = logger
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard event is TLSHandshakeCompleted else {
            context.fireUserInboundEventTriggered(event)
            return
        }
        logger.debug("session cap reached; refusing a connection", metadata: ["max_sessions": "\(limit)"])
        let report = ErrorReport(code: .rateLimited, message: "the hub is at its session limit (\(limit)); retry later", fatal: true)
        let frame = MessageCoding.frame(HubMessage.error(report).jsonValue, allocator: context.channel.allocator)
        let written = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(wrapOutboundOut(frame), promise: written)
        written.futureResult.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {}
}

@available(*, unavailable)
extension HandshakeSlotHandler: Sendable {}

@available(*, unavailable)
extension SessionCapRefusalHandler: Sendable {}

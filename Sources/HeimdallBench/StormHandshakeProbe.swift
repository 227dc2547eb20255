import HeimdallTLS
import NIOCore

/// Right after a storm client's TLS handler: completes `resumed` with whether the handshake
/// resumed a saved session (false when the connection ends first). Passes everything on.
/// Event loop only.
final class StormHandshakeProbe: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let resumed: EventLoopPromise<Bool>

    init(resumed: EventLoopPromise<Bool>) {
        self.resumed = resumed
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let completed = event as? TLSHandshakeCompleted {
            resumed.succeed(completed.resumed)
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        resumed.succeed(false)
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        resumed.succeed(false)
    }
}

@available(*, unavailable)
extension StormHandshakeProbe: Sendable {}

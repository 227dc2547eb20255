import HeimdallTLS
import NIOCore

/// Completes `outcome` when the TLS handshake succeeds, fails it with the first error (or
/// the connection closing) before that, so the enrollment client can tell "the hub is not
/// the one the token pins" from later failures. Lives on its channel's event loop.
final class HandshakeWatcher: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    let outcome: EventLoopPromise<Void>
    private var done = false

    init(outcome: EventLoopPromise<Void>) {
        self.outcome = outcome
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is TLSHandshakeCompleted { finish(nil) }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        finish(error)
        context.fireErrorCaught(error)
    }

    func channelInactive(context: ChannelHandlerContext) {
        finish(AgentEnrollmentError(AgentEnrollmentError.untrustedHub, "the connection closed during the TLS handshake"))
        context.fireChannelInactive()
    }

    /// A connection that failed before it was ever active (refused, timed out) never fires
    /// `channelInactive`; the outcome still has to be settled.
    func handlerRemoved(context: ChannelHandlerContext) {
        finish(AgentEnrollmentError(AgentEnrollmentError.connection, "the connection closed before the TLS handshake"))
    }

    private func finish(_ error: (any Error)?) {
        guard !done else { return }
        done = true
        if let error { outcome.fail(error) } else { outcome.succeed() }
    }
}

@available(*, unavailable)
extension HandshakeWatcher: Sendable {}

import NIOCore

/// On the session listener's server channel: counts each accepted connection as a
/// handshake in progress and holds the listener's reads (so no more `accept`s happen, and
/// connections wait in the backlog) while ``AdmissionControl`` is at its handshake cap.
/// Server channel's event loop only.
final class HandshakeAdmissionHandler: ChannelDuplexHandler {
    typealias InboundIn = any Channel
    typealias InboundOut = any Channel
    typealias OutboundIn = NIOAny

    private let admission: AdmissionControl
    private var readPending = false

    init(admission: AdmissionControl) {
        self.admission = admission
    }

    func handlerAdded(context: ChannelHandlerContext) {
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        admission.onCapacity {
            loopBound.eventLoop.execute {
                let (handler, context) = loopBound.value
                handler.resume(context: context)
            }
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let child = unwrapInboundIn(data)
        let admission = self.admission
        admission.handshakeStarted(child)
        child.closeFuture.whenComplete { _ in admission.handshakeEnded(child) }
        context.fireChannelRead(data)
    }

    func read(context: ChannelHandlerContext) {
        if admission.mayAccept() {
            context.read()
        } else {
            readPending = true
        }
    }

    private func resume(context: ChannelHandlerContext) {
        guard readPending else { return }
        readPending = false
        read(context: context)
    }
}

@available(*, unavailable)
extension HandshakeAdmissionHandler: Sendable {}

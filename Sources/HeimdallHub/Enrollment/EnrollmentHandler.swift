import Foundation
import HeimdallPKI
import HeimdallProtocol
import HeimdallTLS
import Logging
import NIOCore

/// Runs one enrollment connection after the TLS handler and the frame decoder: decodes
/// frames, calls ``EnrollmentStateMachine`` and performs its actions. The check runs in a
/// task (database work on the pool) and comes back to the event loop. Failed attempts are
/// counted per source address by the shared ``EnrollmentRateLimiter`` and logged. Lives on
/// its channel's event loop.
final class EnrollmentHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let services: EnrollmentServices
    private var logger: Logger
    private var machine = EnrollmentStateMachine()
    private var deadline: Scheduled<Void>?
    private var handshakeDone = false
    private var peer: String?

    init(services: EnrollmentServices) {
        self.services = services
        self.logger = services.logger
    }

    func channelActive(context: ChannelHandlerContext) {
        peer = context.channel.remoteAddress?.ipAddress
        if let peer { logger[metadataKey: "peer"] = "\(peer)" }
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        deadline?.cancel()
        machine.closed()
        context.fireChannelInactive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is TLSHandshakeCompleted {
            handshakeDone = true
            deadline = context.eventLoop.assumeIsolated().scheduleTask(in: services.deadline) { [weak self] in
                guard let self else { return }
                self.perform(self.machine.deadlinePassed(), context: context)
            }
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard handshakeDone else { return }
        let payload = unwrapInboundIn(data)
        let decoded = Result { () throws(ProtocolError) -> EnrollRequest in try EnrollRequest.decode(payload) }
        perform(machine.received(decoded), context: context)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let protocolError = error as? ProtocolError, handshakeDone {
            perform(machine.decodingFailed(protocolError), context: context)
            return
        }
        logger.info("enrollment connection error", metadata: ["error": "\(error)"])
        context.close(promise: nil)
    }

    private func perform(_ action: EnrollmentStateMachine.Action, context: ChannelHandlerContext) {
        switch action {
        case .none:
            break
        case .check(let request):
            deadline?.cancel()
            check(request, context: context)
        case .sendAndClose(let reply):
            if case .error(let report) = reply {
                if let peer, report.code != .rateLimited { services.limiter.recordFailure(peer) }
                logger.warning("enrollment refused", metadata: ["code": "\(report.code.rawValue)", "message": "\(report.message)"])
            }
            let flushed = context.eventLoop.makePromise(of: Void.self)
            context.writeAndFlush(wrapOutboundOut(MessageCoding.frame(reply.jsonValue, allocator: context.channel.allocator)), promise: flushed)
            flushed.futureResult.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
        case .close:
            context.close(promise: nil)
        }
    }

    private func check(_ request: EnrollRequest, context: ChannelHandlerContext) {
        if let peer, services.limiter.isBlocked(peer) {
            perform(machine.checked(.failure(ProtocolError(.rateLimited, "too many failed enrollment attempts; try again later"))), context: context)
            return
        }
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        let (service, peer, logger) = (services.service, self.peer, self.logger)
        Task {
            let result = await service.enroll(request, from: peer)
            if case .success(let enrolled) = result {
                logger.info("host enrolled", metadata: ["host": "\(enrolled.host)"])
            }
            loopBound.eventLoop.execute {
                let (handler, context) = loopBound.value
                handler.perform(handler.machine.checked(result), context: context)
            }
        }
    }
}

@available(*, unavailable)
extension EnrollmentHandler: Sendable {}

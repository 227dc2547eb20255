import Foundation
import HeimdallProtocol
import NIOCore

/// Writing frames, closing, the read gate, and the idle deadline.
extension HubSessionHandler {
    func send(_ messages: [HubMessage], context: ChannelHandlerContext) {
        guard !messages.isEmpty, !closing else { return }
        for message in messages {
            context.write(wrapOutboundOut(message.frame(allocator: context.channel.allocator)), promise: nil)
        }
        context.flush()
    }

    func sendAndClose(_ messages: [HubMessage], context: ChannelHandlerContext) {
        guard !closing else { return }
        if case .error(let report)? = messages.last {
            endReason = report.code.rawValue
            logger.info("closing session", metadata: ["code": "\(report.code.rawValue)", "message": "\(report.message)"])
        } else {
            endReason = "bye"
        }
        closing = true
        guard let last = messages.last else {
            context.close(promise: nil)
            return
        }
        for message in messages.dropLast() {
            context.write(wrapOutboundOut(message.frame(allocator: context.channel.allocator)), promise: nil)
        }
        let flushed = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(wrapOutboundOut(last.frame(allocator: context.channel.allocator)), promise: flushed)
        flushed.futureResult.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
    }

    func resumeReadingWhenPossible(context: ChannelHandlerContext) {
        guard readPending, machine?.wantsRead == true else { return }
        if machine?.awaitsHello == true || services.pipeline.hasCapacity {
            readPending = false
            context.read()
        } else if !waitingForCapacity {
            waitingForCapacity = true
            let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            services.pipeline.whenCapacity {
                loopBound.eventLoop.execute {
                    let (handler, context) = loopBound.value
                    handler.waitingForCapacity = false
                    handler.resumeReadingWhenPossible(context: context)
                }
            }
        }
    }

    func scheduleIdleDeadline(after delay: TimeAmount, context: ChannelHandlerContext) {
        idleDeadline = context.eventLoop.assumeIsolated().scheduleTask(in: delay) {
            guard let handle = self.handle else { return }
            let limit = TimeInterval(3 * self.services.limits.heartbeatInterval)
            let silence = self.services.now().timeIntervalSince(handle.lastFrame)
            // A session whose reads the hub withholds (full window, or the pipeline pushing
            // back) is silent because of the hub, not the agent: it is not closed for that.
            if silence >= limit && !self.readPending {
                self.perform(self.machine?.idleDeadlinePassed() ?? .none, context: context)
            } else {
                self.scheduleIdleDeadline(after: .milliseconds(Int64(max(limit - silence, limit / 3) * 1000) + 1), context: context)
            }
        }
    }
}

import Foundation
import HeimdallProtocol
import HeimdallStore
import HeimdallTLS
import Logging
import NIOCore

/// Runs one agent session on its channel, after the TLS handler and the frame decoder.
///
/// It decodes each frame, calls exactly one method of ``HubSessionStateMachine`` and
/// performs the returned action in ``perform(_:context:)``. It also owns the session's
/// deadlines after the TLS handshake (hello, idle; the handshake deadline is the TLS
/// handler's) and its read gate: it stops reading while the agent's window is full or the
/// ingest pipeline is over its watermark, so a hub that cannot keep up pushes back through
/// TCP instead of buffering or dropping. Lives on its channel's event loop.
final class HubSessionHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let services: SessionServices
    private var logger: Logger
    private var machine: HubSessionStateMachine?
    private var handle: SessionHandle?
    private var connectionKey: UUID?
    private var helloDeadline: Scheduled<Void>?
    private var idleDeadline: Scheduled<Void>?
    private var readPending = false
    private var waitingForCapacity = false
    private var closing = false
    private var endReason = "connection closed"
    private var framesReceived = 0

    init(services: SessionServices) {
        self.services = services
        self.logger = services.logger
    }

    // MARK: Channel events

    func channelActive(context: ChannelHandlerContext) {
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        connectionKey = services.connections.add { command in
            loopBound.eventLoop.execute { loopBound.value.0.handle(command, context: loopBound.value.1) }
        }
        if let remote = context.channel.remoteAddress { logger[metadataKey: "peer"] = "\(remote)" }
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        machine?.closed()
        [helloDeadline, idleDeadline].forEach { $0?.cancel() }
        if let connectionKey { services.connections.remove(connectionKey) }
        if let handle {
            let now = services.now()
            services.registry.unregister(handle)
            services.journal.record(.sessionEnded(
                sessionID: handle.sessionID, host: handle.host, reason: endReason, frames: framesReceived, at: now
            ))
            services.liveness.sessionEnded(host: handle.host, reason: endReason, at: now)
            logger.info("session ended", metadata: ["reason": "\(endReason)"])
        }
        context.fireChannelInactive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let completed = event as? TLSHandshakeCompleted {
            handshakeCompleted(completed, context: context)
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard machine != nil else { return }
        let payload = unwrapInboundIn(data)
        let now = services.now()
        framesReceived += 1
        handle?.touch(now)
        let action: HubSessionStateMachine.Action
        do {
            let message = try AgentMessage.decode(payload)
            action = machine?.received(message, now: now) ?? .none
        } catch {
            action = machine?.decodingFailed(error) ?? .none
        }
        perform(action, context: context)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let protocolError = error as? ProtocolError, machine != nil {
            logger.info("malformed frame", metadata: ["error": "\(protocolError)"])
            perform(machine?.decodingFailed(protocolError) ?? .none, context: context)
            return
        }
        logger.info("connection error", metadata: ["error": "\(error)"])
        endReason = "\(error)"
        context.close(promise: nil)
    }

    func read(context: ChannelHandlerContext) {
        guard let machine else {
            context.read()  // the TLS handshake needs to read
            return
        }
        if machine.wantsRead && services.pipeline.hasCapacity {
            context.read()
        } else {
            readPending = true
            resumeReadingWhenPossible(context: context)
        }
    }

    // MARK: Session steps

    private func handshakeCompleted(_ completed: TLSHandshakeCompleted, context: ChannelHandlerContext) {
        guard let certificate = completed.peerCertificate, let host = certificate.commonName?.lowercased(),
              certificate.dnsNames.contains(where: { $0.lowercased() == host })
        else {
            logger.warning("client certificate has no common name equal to a DNS name; closing")
            endReason = "certificate without host identity"
            context.close(promise: nil)
            return
        }
        logger[metadataKey: "host"] = "\(host)"
        logger[metadataKey: "serial"] = "\(certificate.serialNumber)"
        machine = HubSessionStateMachine(host: host, sessionID: UUID().uuidString.lowercased(), limits: services.limits)
        helloDeadline = context.eventLoop.assumeIsolated().scheduleTask(in: services.deadlines.hello) { [weak self] in
            guard let self else { return }
            self.perform(self.machine?.helloDeadlinePassed() ?? .none, context: context)
        }
        peerCertificate = certificate
    }

    private var peerCertificate: PeerCertificate?

    private func handle(_ command: SessionCommand, context: ChannelHandlerContext) {
        switch command {
        case .terminate(let code, let message):
            if machine == nil {
                endReason = code.rawValue
                context.close(promise: nil)
            } else {
                perform(machine?.terminate(code, message) ?? .none, context: context)
            }
        case .shutDown:
            if machine == nil {
                endReason = ProtocolErrorCode.shuttingDown.rawValue
                context.close(promise: nil)
            } else {
                perform(machine?.shutdown() ?? .none, context: context)
            }
        }
    }

    private func perform(_ action: HubSessionStateMachine.Action, context: ChannelHandlerContext) {
        switch action {
        case .none:
            break
        case .welcome(let welcome, let hello):
            welcomed(welcome, hello: hello, context: context)
        case .submit(let frame):
            submit(frame, context: context)
        case .pong(let pong, let heartbeat):
            if let handle {
                services.journal.record(.heartbeat(host: handle.host, at: services.now(), spool: heartbeat.spool))
            }
            send([.pong(pong)], context: context)
        case .renew(let request):
            renew(request, context: context)
        case .sendAcks(let acks):
            send(acks.map(HubMessage.ack), context: context)
            resumeReadingWhenPossible(context: context)
        case .sendError(let report):
            send([.error(report)], context: context)
        case .sendAndClose(let messages):
            sendAndClose(messages, context: context)
        }
    }

    private func welcomed(_ welcome: Welcome, hello: Hello, context: ChannelHandlerContext) {
        helloDeadline?.cancel()
        guard let certificate = peerCertificate, let sessionID = UUID(uuidString: welcome.sessionID) else { return }
        guard !services.revocations.contains(certificate.serialNumber) else {
            perform(machine?.terminate(.certificateRevoked, "certificate \(certificate.serialNumber) is revoked") ?? .none, context: context)
            return
        }
        let now = services.now()
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        let handle = SessionHandle(
            sessionID: sessionID, host: welcome.host, certificateSerial: certificate.serialNumber,
            certificateFingerprint: certificate.fingerprintSHA256, remoteAddress: context.channel.remoteAddress?.ipAddress,
            now: now
        ) { command in
            loopBound.eventLoop.execute { loopBound.value.0.handle(command, context: loopBound.value.1) }
        }
        self.handle = handle
        logger[metadataKey: "session"] = "\(welcome.sessionID)"
        if let previous = services.registry.register(handle) {
            previous.terminate(.superseded, "a newer session of \(welcome.host) took over")
            services.clones.superseded(
                host: welcome.host, serial: certificate.serialNumber, from: previous.remoteAddress, to: handle.remoteAddress, at: now
            )
        }
        services.journal.record(.sessionStarted(SessionStart(
            sessionID: sessionID, host: welcome.host, certificateSerial: certificate.serialNumber,
            certificateFingerprint: certificate.fingerprintSHA256, remoteAddress: handle.remoteAddress,
            hubID: services.hubID, protocolVersion: welcome.protocolVersion, agent: hello.agent, at: now
        )))
        services.liveness.sessionStarted(host: welcome.host, at: now)
        logger.info("session started", metadata: ["agent": "\(hello.agent.version ?? "?")"])
        send([.welcome(welcome)], context: context)
        scheduleIdleDeadline(after: .seconds(Int64(3 * services.limits.heartbeatInterval)), context: context)
    }

    private func submit(_ frame: HubSessionStateMachine.DataFrame, context: ChannelHandlerContext) {
        guard let handle else { return }
        guard !services.revocations.contains(handle.certificateSerial) else {
            perform(machine?.terminate(.certificateRevoked, "certificate \(handle.certificateSerial) is revoked") ?? .none, context: context)
            return
        }
        let sequenceNumber = frame.sequenceNumber
        let payload: IngestPayload
        let weight: Int
        switch frame {
        case .events(let batch):
            payload = .events(batch.events)
            weight = batch.events.count
        case .status(let report):
            guard let takenAt = report.takenAt else {
                perform(machine?.committed(sequenceNumber, stored: 0, duplicates: 0) ?? .none, context: context)
                return
            }
            payload = .status(takenAt: takenAt, metrics: report.metrics)
            weight = 1
        }
        let batch = IngestBatch(
            hostID: handle.host, sessionID: handle.sessionID, certificateSerial: handle.certificateSerial,
            certificateFingerprint: handle.certificateFingerprint, receivedAt: services.now(), payload: payload
        )
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        services.pipeline.submit(batch, weight: weight) { result in
            loopBound.eventLoop.execute {
                let (handler, context) = loopBound.value
                handler.completed(sequenceNumber, result: result, context: context)
            }
        }
    }

    private func renew(_ request: RenewalRequest, context: ChannelHandlerContext) {
        guard let handle, let renewer = services.renewer else {
            machine?.renewalFinished()
            send([.error(ErrorReport(code: .internal, message: "certificate renewal is not available on this hub", fatal: false))], context: context)
            return
        }
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        Task {
            let result = await renewer.renew(request, host: handle.host, serial: handle.certificateSerial)
            loopBound.eventLoop.execute {
                let (handler, context) = loopBound.value
                handler.machine?.renewalFinished()
                switch result {
                case .success(let renewal):
                    handler.send([.renewed(renewal)], context: context)
                case .failure(let error):
                    handler.send([.error(ErrorReport(code: error.code, message: error.message, fatal: false))], context: context)
                }
            }
        }
    }

    private func completed(_ sequenceNumber: UInt64, result: Result<BatchOutcome, any Error>, context: ChannelHandlerContext) {
        switch result {
        case .success(let outcome) where outcome.refused:
            let serial = handle?.certificateSerial ?? "?"
            perform(machine?.terminate(.certificateRevoked, "certificate \(serial) is revoked; frame \(sequenceNumber) was not stored") ?? .none, context: context)
        case .success(let outcome):
            perform(machine?.committed(sequenceNumber, stored: outcome.stored, duplicates: outcome.duplicates) ?? .none, context: context)
        case .failure(let error):
            logger.error("could not store a frame", metadata: ["seq": "\(sequenceNumber)", "error": "\(error)"])
            perform(machine?.writeFailed(sequenceNumber) ?? .none, context: context)
        }
    }

    // MARK: I/O helpers

    private func send(_ messages: [HubMessage], context: ChannelHandlerContext) {
        guard !messages.isEmpty, !closing else { return }
        for message in messages {
            context.write(wrapOutboundOut(MessageCoding.frame(message.jsonValue, allocator: context.channel.allocator)), promise: nil)
        }
        context.flush()
    }

    private func sendAndClose(_ messages: [HubMessage], context: ChannelHandlerContext) {
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
            context.write(wrapOutboundOut(MessageCoding.frame(message.jsonValue, allocator: context.channel.allocator)), promise: nil)
        }
        let flushed = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(wrapOutboundOut(MessageCoding.frame(last.jsonValue, allocator: context.channel.allocator)), promise: flushed)
        flushed.futureResult.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
    }

    private func resumeReadingWhenPossible(context: ChannelHandlerContext) {
        guard readPending, let machine, machine.wantsRead else { return }
        if services.pipeline.hasCapacity {
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

    private func scheduleIdleDeadline(after delay: TimeAmount, context: ChannelHandlerContext) {
        idleDeadline = context.eventLoop.assumeIsolated().scheduleTask(in: delay) { [weak self] in
            guard let self, let handle = self.handle else { return }
            let limit = TimeInterval(3 * self.services.limits.heartbeatInterval)
            let silence = self.services.now().timeIntervalSince(handle.lastFrame)
            if silence >= limit {
                self.perform(self.machine?.idleDeadlinePassed() ?? .none, context: context)
            } else {
                self.scheduleIdleDeadline(after: .milliseconds(Int64((limit - silence) * 1000) + 1), context: context)
            }
        }
    }
}

@available(*, unavailable)
extension HubSessionHandler: Sendable {}

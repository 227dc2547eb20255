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

    let services: SessionServices
    var logger: Logger
    var machine: HubSessionStateMachine?
    var handle: SessionHandle?
    var connectionKey: UUID?
    var helloDeadline: Scheduled<Void>?
    var idleDeadline: Scheduled<Void>?
    var readPending = false
    var waitingForCapacity = false
    /// Inside ``submit(_:context:)``: a completion arriving now must not re-enter the handler.
    var submitting = false
    var closing = false
    var endReason = "connection closed"
    var framesReceived = 0

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
        // (The machine is read in place: binding it would copy it, retaining all it holds.)
        guard machine != nil else {
            context.read()  // the TLS handshake needs to read
            return
        }
        if machine?.awaitsHello == true || (machine?.wantsRead == true && services.pipeline.hasCapacity) {
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
        // Deadlines hold the handler strongly (a weak reference would give it a side table and
        // slow every retain); `channelInactive` cancels them, which ends the cycle.
        helloDeadline = context.eventLoop.assumeIsolated().scheduleTask(in: services.deadlines.hello) {
            self.perform(self.machine?.helloDeadlinePassed() ?? .none, context: context)
        }
        peerCertificate = certificate
    }

    var peerCertificate: PeerCertificate?

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

    func perform(_ action: HubSessionStateMachine.Action, context: ChannelHandlerContext) {
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

}

@available(*, unavailable)
extension HubSessionHandler: Sendable {}

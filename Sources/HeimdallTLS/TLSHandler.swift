import Logging
import NIOCore

/// TLS over one channel, as server or client (the role comes from the ``TLSContext``).
///
/// Inbound it turns TLS records into plaintext `ByteBuffer`s; outbound it encrypts
/// `ByteBuffer`s. Application writes made before the handshake completes are buffered.
/// On success it fires ``TLSHandshakeCompleted``; on failure it fires a ``TLSError``
/// through `fireErrorCaught` and closes the channel. Event loop only.
public final class TLSHandler: ChannelDuplexHandler, RemovableChannelHandler {
    /// TLS records from the network.
    public typealias InboundIn = ByteBuffer
    /// Decrypted application bytes.
    public typealias InboundOut = ByteBuffer
    /// Application bytes to encrypt.
    public typealias OutboundIn = ByteBuffer
    /// TLS records for the network.
    public typealias OutboundOut = ByteBuffer

    private enum State {
        case idle, handshaking, active, closing, closed
    }

    private let tlsContext: TLSContext
    private let resumption: TLSResumption?
    private let logger: Logger
    private var state = State.idle
    private var connection: TLSConnection?
    private var pendingWrites = PendingWrites()
    private let handshakeTimeout: TimeAmount?
    private let closeNotifyTimeout: TimeAmount
    private var handshakeTimer: Scheduled<Void>?

    /// A handler for one connection made from `context`. When the handshake has not
    /// finished `handshakeTimeout` after it started (nil: no deadline), the handler fails
    /// with `.handshakeTimeout` and closes. On close, writes already made and our
    /// close_notify are written first; the channel closes at the latest
    /// `closeNotifyTimeout` later. A client with `resumption` offers the session saved there
    /// and saves the server's tickets; a resumption the server refused or declined forgets the saved
    /// session. Create it on any thread; use it on the channel's event loop.
    public init(
        context: TLSContext,
        handshakeTimeout: TimeAmount? = .seconds(10),
        closeNotifyTimeout: TimeAmount = .seconds(3),
        resumption: TLSResumption? = nil,
        logger: Logger = Logger(label: "heimdall.tls")
    ) {
        self.tlsContext = context
        self.resumption = resumption
        self.handshakeTimeout = handshakeTimeout
        self.closeNotifyTimeout = closeNotifyTimeout
        self.logger = logger
    }

    /// Starts the handshake when added to an already active channel.
    public func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive {
            startHandshake(context: context)
        }
    }

    /// Frees the `SSL*` and fails writes still waiting for the handshake.
    public func handlerRemoved(context: ChannelHandlerContext) {
        state = .closed
        cancelHandshakeTimer()
        pendingWrites.failAll(ChannelError.ioOnClosedChannel)
        connection = nil
    }

    /// Starts the handshake, then passes the event on.
    public func channelActive(context: ChannelHandlerContext) {
        startHandshake(context: context)
        context.fireChannelActive()
    }

    /// Reports a connection lost mid-handshake or without close_notify, then passes on.
    public func channelInactive(context: ChannelHandlerContext) {
        let previous = state
        state = .closed
        cancelHandshakeTimer()
        pendingWrites.failAll(ChannelError.ioOnClosedChannel)
        switch previous {
        case .handshaking:
            context.fireErrorCaught(TLSError(code: .unexpectedEOF, message: "the connection closed during the TLS handshake"))
        case .active:
            context.fireErrorCaught(TLSError(code: .unexpectedEOF, message: "the connection closed without close_notify"))
        case .idle, .closing, .closed:
            break
        }
        context.fireChannelInactive()
    }

    /// Feeds network bytes to OpenSSL and forwards the plaintext they carry.
    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let bytes = unwrapInboundIn(data)
        guard let connection else { return }
        switch state {
        case .idle:
            connection.feed(bytes)
        case .handshaking:
            connection.feed(bytes)
            runHandshake(context: context)
        case .active, .closing:
            connection.feed(bytes)
            readPlaintext(context: context)
        case .closed:
            break
        }
    }

    /// Encrypts `data`, or buffers it until the handshake completes.
    public func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let buffer = unwrapOutboundIn(data)
        switch state {
        case .idle, .handshaking:
            pendingWrites.append(buffer, promise: promise)
        case .active:
            encrypt(context: context, buffer: buffer, promise: promise)
        case .closing, .closed:
            promise?.fail(ChannelError.ioOnClosedChannel)
        }
    }

    /// Flushes encrypted bytes, or remembers the flush until the handshake completes.
    public func flush(context: ChannelHandlerContext) {
        switch state {
        case .idle, .handshaking:
            pendingWrites.flushRequested = true
        case .active, .closing:
            context.flush()
        case .closed:
            break
        }
    }

    /// Sends close_notify (when the session is up), then closes the channel.
    public func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        guard mode == .all else {
            context.close(mode: mode, promise: promise)
            return
        }
        switch state {
        case .active:
            state = .closing
            connection?.shutdown()
            closeAfterPendingWrites(context: context, promise: promise)
        case .idle, .handshaking:
            state = .closed
            cancelHandshakeTimer()
            pendingWrites.failAll(ChannelError.ioOnClosedChannel)
            context.close(promise: promise)
        case .closing, .closed:
            context.close(promise: promise)
        }
    }

    // MARK: - Steps

    private func startHandshake(context: ChannelHandlerContext) {
        guard state == .idle else { return }
        if connection == nil {
            connection = TLSConnection(context: tlsContext, resumption: resumption)
        }
        guard connection != nil else {
            fail(context: context, error: OpenSSLErrorStack.configurationError("cannot create an SSL connection"))
            return
        }
        state = .handshaking
        if let handshakeTimeout {
            handshakeTimer = context.eventLoop.assumeIsolated().scheduleTask(in: handshakeTimeout) {
                self.handshakeTimedOut(context: context)
            }
        }
        runHandshake(context: context)
    }

    private func handshakeTimedOut(context: ChannelHandlerContext) {
        guard state == .handshaking else { return }
        fail(context: context, error: TLSError(code: .handshakeTimeout, message: "the TLS handshake did not finish in time"))
    }

    private func cancelHandshakeTimer() {
        handshakeTimer?.cancel()
        handshakeTimer = nil
    }

    private func runHandshake(context: ChannelHandlerContext) {
        guard let connection else { return }
        let step = connection.handshake()
        sendOutput(context: context)
        switch step {
        case .complete:
            completeHandshake(context: context, connection: connection)
        case .wantRead, .wantWrite:
            break
        case .closedByPeer:
            fail(context: context, error: TLSError(code: .unexpectedEOF, message: "the peer closed during the TLS handshake"))
        case .failed(let error):
            fail(context: context, error: error)
        }
    }

    private func completeHandshake(context: ChannelHandlerContext, connection: TLSConnection) {
        if let refusal = connection.refusal(revocations: tlsContext.revocationList) {
            fail(context: context, error: refusal)
            return
        }
        state = .active
        cancelHandshakeTimer()
        let summary = connection.handshakeSummary()
        if connection.offeredSession && !summary.resumed, let resumption {
            resumption.cache.remove(resumption.key)
        }
        logger.debug("TLS handshake completed", metadata: [
            "tls.version": "\(summary.protocolVersion)",
            "tls.alpn": "\(summary.alpn ?? "-")",
            "tls.peer": "\(summary.peerCertificate?.commonName ?? "-")",
            "tls.resumed": "\(summary.resumed)",
        ])
        // Writes made before the handshake go out before anything written in reaction
        // to the event below.
        let (writes, flushRequested) = pendingWrites.takeAll()
        for (buffer, promise) in writes {
            if state == .active {
                encrypt(context: context, buffer: buffer, promise: promise)
            } else {
                promise?.fail(ChannelError.ioOnClosedChannel)
            }
        }
        if flushRequested {
            context.flush()
        }
        guard state == .active else { return }
        context.fireUserInboundEventTriggered(summary)
        readPlaintext(context: context)
    }

    private func readPlaintext(context: ChannelHandlerContext) {
        while state == .active || state == .closing, let connection {
            let (buffer, step) = connection.read(allocator: context.channel.allocator)
            if let buffer {
                context.fireChannelRead(wrapInboundOut(buffer))
                continue
            }
            sendOutput(context: context)
            switch step {
            case .complete, .wantRead, .wantWrite:
                return
            case .closedByPeer:
                peerClosed(context: context)
                return
            case .failed(let error):
                fail(context: context, error: error)
                return
            }
        }
    }

    private func peerClosed(context: ChannelHandlerContext) {
        if state == .active {
            state = .closing
            connection?.shutdown()
            closeAfterPendingWrites(context: context, promise: nil)
        } else {
            context.close(promise: nil)
        }
    }

    /// Sends our close_notify and closes once it (and every write before it) is written,
    /// or after `closeNotifyTimeout` when the peer does not read.
    private func closeAfterPendingWrites(context: ChannelHandlerContext, promise: EventLoopPromise<Void>?) {
        guard let output = connection?.drainOutput(allocator: context.channel.allocator) else {
            context.close(promise: promise)
            return
        }
        let written = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(wrapOutboundOut(output), promise: written)
        let loop = context.eventLoop.assumeIsolated()
        let timer = loop.scheduleTask(in: closeNotifyTimeout) {
            context.close(promise: nil)
        }
        written.futureResult.assumeIsolated().whenComplete { _ in
            timer.cancel()
            if context.channel.isActive {
                context.close(promise: promise)
            } else {
                promise?.succeed(())
            }
        }
    }

    private func encrypt(context: ChannelHandlerContext, buffer: ByteBuffer, promise: EventLoopPromise<Void>?) {
        guard buffer.readableBytes > 0, let connection else {
            context.write(wrapOutboundOut(buffer), promise: promise)
            return
        }
        switch connection.write(buffer) {
        case .complete, .wantRead, .wantWrite:
            if let output = connection.drainOutput(allocator: context.channel.allocator) {
                context.write(wrapOutboundOut(output), promise: promise)
            } else {
                promise?.succeed(())
            }
        case .closedByPeer:
            promise?.fail(ChannelError.ioOnClosedChannel)
        case .failed(let error):
            promise?.fail(error)
            fail(context: context, error: error)
        }
    }

    /// Drains OpenSSL's outgoing BIO to the network and flushes. Runs after every step,
    /// so handshake flights and alerts reach the peer even when the step failed.
    private func sendOutput(context: ChannelHandlerContext) {
        guard let connection, let output = connection.drainOutput(allocator: context.channel.allocator) else { return }
        context.writeAndFlush(wrapOutboundOut(output), promise: nil)
    }

    private func fail(context: ChannelHandlerContext, error: TLSError) {
        guard state != .closed else { return }
        if state == .handshaking {
            forgetOfferedSession(after: error)
        }
        state = .closed
        cancelHandshakeTimer()
        sendOutput(context: context)
        pendingWrites.failAll(error)
        logger.debug("TLS failed", metadata: ["tls.error": "\(error)"])
        context.fireErrorCaught(error)
        context.close(promise: nil)
    }
}

extension TLSHandler {
    /// A handshake that offered a saved session failed: the session is forgotten when the
    /// server refused something (an alert, a verification failure), not when only the
    /// connection failed (deadline, connection closed), so a client that waited too long in
    /// a busy server's backlog still resumes on its next attempt.
    private func forgetOfferedSession(after error: TLSError) {
        guard connection?.offeredSession == true, let resumption,
              error.code != .handshakeTimeout, error.code != .unexpectedEOF
        else { return }
        resumption.cache.remove(resumption.key)
    }
}

@available(*, unavailable)
extension TLSHandler: Sendable {}

/// Writes waiting for the handshake, with their promises, in order.
private struct PendingWrites {
    private var writes: [(ByteBuffer, EventLoopPromise<Void>?)] = []
    var flushRequested = false

    mutating func append(_ buffer: ByteBuffer, promise: EventLoopPromise<Void>?) {
        writes.append((buffer, promise))
    }

    mutating func takeAll() -> ([(ByteBuffer, EventLoopPromise<Void>?)], Bool) {
        defer {
            writes = []
            flushRequested = false
        }
        return (writes, flushRequested)
    }

    mutating func failAll(_ error: any Error) {
        let (writes, _) = takeAll()
        for (_, promise) in writes {
            promise?.fail(error)
        }
    }
}

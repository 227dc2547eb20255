import HeimdallProtocol
import HeimdallTLS
import HeimdallTestSupport
import NIOCore
import NIOPosix

/// What one probe connection saw, from connect to close.
struct ProbeOutcome: Sendable {
    var handshake: TLSHandshakeCompleted?
    var messages: [HubMessage] = []
    var error: TLSError?

    var welcomed: Bool {
        messages.contains { if case .welcome = $0 { true } else { false } }
    }

    var fatalCode: ProtocolErrorCode? {
        guard case .error(let report)? = messages.last, report.fatal == true else { return nil }
        return report.code
    }
}

/// A session client for admission and resumption tests: real TLS (offering a saved session
/// when given a ``TLSResumption``), `hello` once the handshake completed, then it records
/// frames until the hub closes. Event loop only.
final class ProbeHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private var outcome = ProbeOutcome()
    private let handshake: EventLoopPromise<TLSHandshakeCompleted?>
    private let welcome: EventLoopPromise<Bool>
    private let done: EventLoopPromise<ProbeOutcome>

    init(handshake: EventLoopPromise<TLSHandshakeCompleted?>, welcome: EventLoopPromise<Bool>, done: EventLoopPromise<ProbeOutcome>) {
        self.handshake = handshake
        self.welcome = welcome
        self.done = done
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard let completed = event as? TLSHandshakeCompleted else { return }
        outcome.handshake = completed
        handshake.succeed(completed)
        var buffer = context.channel.allocator.buffer(capacity: 64)
        FrameEncoder.write(payload: Array(#"{"type":"hello","protocol":1}"#.utf8), into: &buffer)
        context.writeAndFlush(wrapOutboundOut(buffer), promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard let message = try? HubMessage.decode(unwrapInboundIn(data)) else { return }
        outcome.messages.append(message)
        if case .welcome = message { welcome.succeed(true) }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if outcome.error == nil, let error = error as? TLSError { outcome.error = error }
    }

    func channelInactive(context: ChannelHandlerContext) {
        handshake.succeed(nil)
        welcome.succeed(false)
        done.succeed(outcome)
    }
}

@available(*, unavailable)
extension ProbeHandler: Sendable {}

/// A connected probe: its channel, its handshake, and its whole outcome once closed.
struct ProbeAgent {
    let channel: any Channel
    let handshake: EventLoopFuture<TLSHandshakeCompleted?>
    let welcome: EventLoopFuture<Bool>
    let outcome: EventLoopFuture<ProbeOutcome>

    static func connect(port: Int, bundle: TestPKI.Bundle, caPath: String, resumption: TLSResumption? = nil) async throws -> ProbeAgent {
        let tls = try TLSContext.client(TLSClientConfiguration(
            certificateChainPath: bundle.certificatePath, privateKeyPath: bundle.keyPath, trustRootsPath: caPath,
            serverName: "localhost", applicationProtocols: ["heimdall/1"]
        ))
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let handshake = loop.makePromise(of: TLSHandshakeCompleted?.self)
        let welcome = loop.makePromise(of: Bool.self)
        let done = loop.makePromise(of: ProbeOutcome.self)
        let channel = try await ClientBootstrap(group: loop)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandlers([
                        TLSHandler(context: tls, resumption: resumption),
                        ByteToMessageHandler(FrameDecoder(maximumFrameLength: 1 << 20)),
                        ProbeHandler(handshake: handshake, welcome: welcome, done: done),
                    ])
                }
            }
            .connect(host: "127.0.0.1", port: port).get()
        return ProbeAgent(channel: channel, handshake: handshake.futureResult, welcome: welcome.futureResult, outcome: done.futureResult)
    }

    /// Waits at most `timeout` for the handshake; nil when it did not complete in time.
    func handshake(within timeout: Duration) async throws -> TLSHandshakeCompleted? {
        try await bounded(timeout, handshake) ?? nil
    }

    /// Whether `welcome` arrived within `timeout` (false when the hub closed first).
    func welcomed(within timeout: Duration = .seconds(5)) async throws -> Bool {
        try await bounded(timeout, welcome) ?? false
    }

    /// The outcome once the hub closed the connection (at most `timeout`).
    func closed(within timeout: Duration = .seconds(5)) async throws -> ProbeOutcome? {
        try await bounded(timeout, outcome)
    }

    func close() async {
        try? await channel.close()
    }
}

/// The value of `future`, or nil when it takes longer than `timeout` (the future itself
/// cannot be cancelled, so the timeout races it on its event loop).
func bounded<T: Sendable>(_ timeout: Duration, _ future: EventLoopFuture<T>) async throws -> T? {
    let promise = future.eventLoop.makePromise(of: T?.self)
    future.whenComplete { promise.completeWith($0.map { Optional($0) }) }
    let timer = future.eventLoop.scheduleTask(in: .milliseconds(Int64(timeout / .milliseconds(1)))) { promise.succeed(nil) }
    defer { timer.cancel() }
    return try await promise.futureResult.get()
}

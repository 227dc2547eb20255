import HeimdallTLS
import NIOCore
import NIOPosix
import Synchronization

/// What one side saw of a connection.
enum Outcome: Sendable {
    case handshake(TLSHandshakeCompleted)
    case failed(TLSError)

    var error: TLSError? {
        if case .failed(let error) = self { return error }
        return nil
    }

    var handshake: TLSHandshakeCompleted? {
        if case .handshake(let event) = self { return event }
        return nil
    }
}

/// Server side: records the first outcome, then echoes every plaintext buffer back.
final class EchoHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let outcome: EventLoopPromise<Outcome>

    init(outcome: EventLoopPromise<Outcome>) {
        self.outcome = outcome
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? TLSHandshakeCompleted {
            outcome.succeed(.handshake(event))
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        context.writeAndFlush(data, promise: nil)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let error = error as? TLSError {
            outcome.succeed(.failed(error))
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        outcome.succeed(.failed(TLSError(code: .unexpectedEOF, message: "closed")))
    }
}

@available(*, unavailable)
extension EchoHandler: Sendable {}

/// Client side: reports the handshake and the first echoed bytes, or the error.
final class ClientRecorder: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private let handshake: EventLoopPromise<Outcome>
    private let reply: EventLoopPromise<Result<String, TLSError>>
    private let expected: Int
    private var received = ""

    init(handshake: EventLoopPromise<Outcome>, reply: EventLoopPromise<Result<String, TLSError>>, expected: Int) {
        self.handshake = handshake
        self.reply = reply
        self.expected = expected
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? TLSHandshakeCompleted {
            handshake.succeed(.handshake(event))
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        received += String(buffer: unwrapInboundIn(data))
        if received.utf8.count >= expected {
            reply.succeed(.success(received))
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        let tlsError = (error as? TLSError) ?? TLSError(code: .io, message: "\(error)")
        handshake.succeed(.failed(tlsError))
        reply.succeed(.failure(tlsError))
    }

    func channelInactive(context: ChannelHandlerContext) {
        let eof = TLSError(code: .unexpectedEOF, message: "closed")
        handshake.succeed(.failed(eof))
        reply.succeed(.failure(eof))
    }
}

@available(*, unavailable)
extension ClientRecorder: Sendable {}

/// A TLS echo server on 127.0.0.1 with an ephemeral port.
struct EchoServer {
    let channel: any Channel
    let firstOutcome: EventLoopFuture<Outcome>
    var port: Int { channel.localAddress?.port ?? 0 }

    static func start(group: any EventLoopGroup, context: TLSContext) async throws -> EchoServer {
        let outcome = group.next().makePromise(of: Outcome.self)
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(TLSHandler(context: context))
                    try channel.pipeline.syncOperations.addHandler(EchoHandler(outcome: outcome))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return EchoServer(channel: channel, firstOutcome: outcome.futureResult)
    }

    func stop() async {
        try? await channel.close()
    }
}

/// What a client saw: its handshake outcome and the echo (or the error instead).
struct ClientResult {
    let handshake: Outcome
    let reply: Result<String, TLSError>

    var error: TLSError? {
        if case .failure(let error) = reply { return error }
        return nil
    }
}

/// A connected test client: its channel and what it will report (bounded to 10 s).
struct TestClient {
    let channel: any Channel
    let handshake: EventLoopFuture<Outcome>
    let reply: EventLoopFuture<Result<String, TLSError>>

    /// Connects to 127.0.0.1:`port`; `reply` completes once `expected` bytes arrived.
    static func connect(
        group: any EventLoopGroup, port: Int, context: TLSContext, expected: Int, resumption: TLSResumption? = nil
    ) async throws -> TestClient {
        let loop = group.next()
        let handshake = loop.makePromise(of: Outcome.self)
        let reply = loop.makePromise(of: Result<String, TLSError>.self)
        let channel = try await ClientBootstrap(group: loop)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(TLSHandler(context: context, resumption: resumption))
                    try channel.pipeline.syncOperations.addHandler(
                        ClientRecorder(handshake: handshake, reply: reply, expected: expected)
                    )
                }
            }
            .connect(host: "127.0.0.1", port: port).get()
        let timer = loop.scheduleTask(in: .seconds(10)) {
            let timeout = TLSError(code: .io, message: "test timeout")
            handshake.succeed(.failed(timeout))
            reply.succeed(.failure(timeout))
        }
        reply.futureResult.whenComplete { _ in timer.cancel() }
        return TestClient(channel: channel, handshake: handshake.futureResult, reply: reply.futureResult)
    }
}

/// Connects, waits for the handshake, writes `message` and waits for its echo. In TLS 1.3
/// a refused client certificate only shows on this first read. With `abrupt`, the client's
/// TLS state is dropped without close_notify (as when the server is killed) before closing.
func exchange(
    group: any EventLoopGroup, port: Int, context: TLSContext, message: String = "ping", resumption: TLSResumption? = nil,
    abrupt: Bool = false
) async throws -> ClientResult {
    let client = try await TestClient.connect(
        group: group, port: port, context: context, expected: message.utf8.count, resumption: resumption
    )
    let handshakeOutcome = try await client.handshake.get()
    if handshakeOutcome.handshake != nil {
        try? await client.channel.writeAndFlush(ByteBuffer(string: message))
    }
    let answer = try await client.reply.get()
    if abrupt {
        let channel = client.channel
        try? await channel.eventLoop.submit {
            let tls = try channel.pipeline.syncOperations.handler(type: TLSHandler.self)
            channel.pipeline.syncOperations.removeHandler(tls, promise: nil)
        }.get()
    }
    try? await client.channel.close()
    return ClientResult(handshake: handshakeOutcome, reply: answer)
}

/// A bounded wait: the first outcome of `server`, or a timeout error after 10 s.
func serverOutcome(_ server: EchoServer) async throws -> Outcome {
    let promise = server.firstOutcome.eventLoop.makePromise(of: Outcome.self)
    server.firstOutcome.cascade(to: promise)
    let timer = promise.futureResult.eventLoop.scheduleTask(in: .seconds(10)) {
        promise.succeed(.failed(TLSError(code: .io, message: "test timeout")))
    }
    defer { timer.cancel() }
    return try await promise.futureResult.get()
}

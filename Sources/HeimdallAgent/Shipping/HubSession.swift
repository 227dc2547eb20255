#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HeimdallProtocol
import HeimdallTLS
import Logging
import NIOCore
import NIOPosix

/// Where an agent reaches its hub.
public struct HubEndpoint: Sendable, Hashable {
    public var host: String
    public var port: Int
    /// The name the hub's certificate must carry.
    public var serverName: String

    public init(host: String, port: Int, serverName: String) {
        self.host = host
        self.port = port
        self.serverName = serverName
    }
}

/// One session with the hub: connect, `hello`, then ship frames and heartbeats while reading
/// acks, until the connection ends or the task is cancelled.
enum HubSession {
    /// Timing of a session.
    struct Timing: Sendable {
        var connectTimeout: TimeAmount = .seconds(10)
        /// How often the writer looks for new events when nothing woke it.
        var pollInterval: Duration = .milliseconds(200)
    }

    /// Runs one session; returns normally on cancellation, throws why it ended otherwise.
    /// `welcomed` is called once the hub accepted the session.
    static func run<Source: EventSource>(
        endpoint: HubEndpoint, identity: AgentIdentity, shipper: Shipper<Source>, hello: Hello, timing: Timing,
        group: any EventLoopGroup, logger: Logger, welcomed: @escaping @Sendable () -> Void
    ) async throws {
        let tls = try identity.tlsContext(serverName: endpoint.serverName)
        let resumption = TLSResumption(cache: identity.tlsSessions, key: "\(endpoint.host):\(endpoint.port)")
        let channel = try await ClientBootstrap(group: group)
            .connectTimeout(timing.connectTimeout)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .connect(host: endpoint.host, port: endpoint.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandlers([
                        TLSHandler(context: tls, resumption: resumption, logger: logger),
                        ByteToMessageHandler(FrameDecoder(maximumFrameLength: 16 * 1_048_576)),
                    ])
                    return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        do {
            try await exchange(over: channel, identity: identity, shipper: shipper, hello: hello, timing: timing, logger: logger, welcomed: welcomed)
        } catch {
            await shipper.sessionEnded()
            throw error
        }
        await shipper.sessionEnded()
    }

    private static func exchange<Source: EventSource>(
        over channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>, identity: AgentIdentity, shipper: Shipper<Source>, hello: Hello, timing: Timing,
        logger: Logger, welcomed: @escaping @Sendable () -> Void
    ) async throws {
        try await channel.executeThenClose { inbound, outbound in
            let allocator = channel.channel.allocator
            try await outbound.write(MessageCoding.frame(AgentMessage.hello(hello).jsonValue, allocator: allocator))
            let (wakeups, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask {
                    try await read(inbound, identity: identity, shipper: shipper, wake: wake, logger: logger, welcomed: welcomed)
                }
                tasks.addTask {
                    try await write(outbound, identity: identity, shipper: shipper, wakeups: wakeups, allocator: allocator)
                }
                tasks.addTask {
                    while !Task.isCancelled {
                        try await Task.sleep(for: timing.pollInterval)
                        wake.yield()
                    }
                }
                defer { tasks.cancelAll() }
                try await tasks.next()
            }
        }
    }

    private static func read<Source: EventSource>(
        _ inbound: NIOAsyncChannelInboundStream<ByteBuffer>, identity: AgentIdentity, shipper: Shipper<Source>,
        wake: AsyncStream<Void>.Continuation, logger: Logger, welcomed: @Sendable () -> Void
    ) async throws {
        for try await payload in inbound {
            let decoded = Result { () throws(ProtocolError) -> HubMessage in try HubMessage.decode(payload) }
            let message: HubMessage
            switch decoded {
            case .success(let value):
                message = value
            case .failure(let error) where error.code == .unknownType:
                logger.debug("ignoring an unknown frame", metadata: ["error": "\(error)"])
                continue
            case .failure(let error):
                throw AgentSessionError(.invalidFrame, "\(error)")
            }
            switch message {
            case .welcome(let welcome):
                await identity.sessionStarted()
                await shipper.sessionStarted(welcome)
                logger.info("session started", metadata: ["session": "\(welcome.sessionID)", "host": "\(welcome.host)"])
                welcomed()
            case .ack(let ack):
                try await shipper.acknowledged(ack)
            case .pong:
                break
            case .renewed(let renewal):
                await identity.renewed(renewal)
            case .error(let report):
                logger.warning("hub reported an error", metadata: ["code": "\(report.code.rawValue)", "message": "\(report.message)"])
                if report.fatal { throw AgentSessionError(.hubError, "\(report.code.rawValue): \(report.message)") }
                await identity.renewalRefused(report)
            }
            wake.yield()
        }
        throw AgentSessionError(.connectionClosed, "the hub closed the connection")
    }

    /// Parks the writer while the reader waits for the hub to close after `bye`.
    private static func waitForever() async throws {
        while true { try await Task.sleep(for: .seconds(3600)) }
    }

    private static func write<Source: EventSource>(
        _ outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>, identity: AgentIdentity, shipper: Shipper<Source>,
        wakeups: AsyncStream<Void>, allocator: ByteBufferAllocator
    ) async throws {
        // The first heartbeat goes out right after `welcome`, so the hub learns the agent's
        // delivery health at once; then one per `heartbeat_interval`.
        var lastHeartbeat: ContinuousClock.Instant?
        for await _ in wakeups {
            guard let welcome = await shipper.welcome else { continue }
            if await shipper.isLeaving {
                try await outbound.write(MessageCoding.frame(AgentMessage.bye.jsonValue, allocator: allocator))
                return try await waitForever()
            }
            for message in await shipper.framesToSend(now: Date()) {
                try await outbound.write(MessageCoding.frame(message.jsonValue, allocator: allocator))
            }
            if let renew = await identity.renewalRequest(now: Date()) {
                try await outbound.write(MessageCoding.frame(renew.jsonValue, allocator: allocator))
            }
            if lastHeartbeat.map({ ContinuousClock.now - $0 >= .seconds(welcome.heartbeatInterval) }) ?? true {
                lastHeartbeat = .now
                try await outbound.write(MessageCoding.frame(await shipper.heartbeat(now: Date()).jsonValue, allocator: allocator))
            }
        }
    }
}

import HeimdallProtocol
import HeimdallTLS
import Histogram
import NIOCore

/// What one load session saw.
public struct SessionTally: Sendable {
    public var framesAcked = 0
    public var stored = 0
    public var duplicates = 0
    public var rejected = 0
    /// Ack latency (send of a frame to its ack), microseconds.
    public var latency = Histogram<UInt64>(highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: .three)
    /// The same for frames sent once every session of the run was welcomed.
    public var steadyLatency = Histogram<UInt64>(highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: .three)
    public var errors: [String] = []
    public var welcomed = false

    public init() {}

    /// Adds `other`'s counts to these.
    public mutating func merge(_ other: SessionTally) {
        framesAcked += other.framesAcked
        stored += other.stored
        duplicates += other.duplicates
        rejected += other.rejected
        latency.add(other.latency)
        steadyLatency.add(other.steadyLatency)
        errors += other.errors
        welcomed = welcomed && other.welcomed
    }
}

/// Drives one agent session for a load run: `hello`, then `events` frames as fast as the
/// window allows (or at a fixed rate) until the deadline, then `bye`. Lives on its
/// channel's event loop; reports its tally when the connection closes.
final class LoadSessionHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let session: Int
    private let factory: EventFactory
    private let batchSize: Int
    private let interval: TimeAmount?
    /// Idle mode: send only heartbeats, one per `interval`.
    private let heartbeatOnly: Bool
    private let deadline: NIODeadline
    private let done: EventLoopPromise<SessionTally>
    /// Completed at `welcome` (storm mode waits on it).
    private let welcomed: EventLoopPromise<Void>?
    private let progress: LoadProgress?
    private var tally = SessionTally()
    private var window = 1
    private var maxBatch = 1
    private var nextSequence: UInt64 = 1
    private var nextEvent: UInt64 = 0
    private var sentAt: [UInt64: NIODeadline] = [:]
    private var ticker: Scheduled<Void>?
    private var saidBye = false

    init(
        session: Int, factory: EventFactory, batchSize: Int, interval: TimeAmount?, heartbeatOnly: Bool, deadline: NIODeadline,
        done: EventLoopPromise<SessionTally>, welcomed: EventLoopPromise<Void>? = nil, progress: LoadProgress? = nil
    ) {
        self.welcomed = welcomed
        self.progress = progress
        self.heartbeatOnly = heartbeatOnly
        self.session = session
        self.factory = factory
        self.batchSize = batchSize
        self.interval = interval
        self.deadline = deadline
        self.done = done
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is TLSHandshakeCompleted {
            write(#"{"type":"hello","protocol":1,"agent":{"version":"bench"}}"#, context: context)
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard let message = try? HubMessage.decode(unwrapInboundIn(data)) else { return }
        switch message {
        case .welcome(let welcome):
            tally.welcomed = true
            welcomed?.succeed()
            progress?.sessionWelcomed()
            window = max(1, welcome.window)
            maxBatch = max(1, min(batchSize, welcome.maximumBatchSize))
            if let interval {
                tick(every: interval, context: context)
            } else {
                sendIfPossible(context: context, limit: .max)
            }
        case .ack(let ack):
            if let sent = sentAt.removeValue(forKey: ack.sequenceNumber) {
                let microseconds = UInt64(max(0, (NIODeadline.now() - sent).nanoseconds / 1000))
                _ = tally.latency.record(microseconds)
                if progress?.isSteady(sent) == true { _ = tally.steadyLatency.record(microseconds) }
                progress?.ackReceived(sentAt: sent)
            }
            tally.framesAcked += 1
            tally.stored += ack.stored
            tally.duplicates += ack.duplicates
            tally.rejected += ack.rejected.count
            if interval == nil { sendIfPossible(context: context, limit: .max) }
            finishIfDone(context: context)
        case .error(let report):
            tally.errors.append("\(report.code.rawValue): \(report.message)")
        case .pong, .renewed:
            break
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        ticker?.cancel()
        welcomed?.fail(ChannelError.inputClosed)
        done.succeed(tally)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        tally.errors.append("\(error)")
        context.close(promise: nil)
    }

    /// Rate mode: one frame now (if the window allows), then again after `interval`; idle
    /// mode: one heartbeat instead.
    private func tick(every interval: TimeAmount, context: ChannelHandlerContext) {
        if heartbeatOnly {
            if NIODeadline.now() < deadline {
                write(#"{"type":"heartbeat","ts":"2026-11-20T10:15:30Z","spool":{"pending_events":0,"oldest_pending":null,"dropped_total":0}}"#, context: context)
            }
            finishIfDone(context: context)
        } else {
            sendIfPossible(context: context, limit: 1)
        }
        guard !saidBye else { return }
        ticker = context.eventLoop.assumeIsolated().scheduleTask(in: interval) { [weak self] in
            self?.tick(every: interval, context: context)
        }
    }

    private func sendIfPossible(context: ChannelHandlerContext, limit: Int) {
        var sent = 0
        while sent < limit, sentAt.count < window, NIODeadline.now() < deadline {
            let payload = factory.framePayload(session: session, sequenceNumber: nextSequence, first: nextEvent, count: maxBatch)
            var buffer = context.channel.allocator.buffer(capacity: payload.count + 4)
            FrameEncoder.write(payload: payload, into: &buffer)
            sentAt[nextSequence] = .now()
            nextSequence += 1
            nextEvent += UInt64(maxBatch)
            context.write(wrapOutboundOut(buffer), promise: nil)
            sent += 1
        }
        if sent > 0 { context.flush() }
        finishIfDone(context: context)
    }

    private func finishIfDone(context: ChannelHandlerContext) {
        guard !saidBye, NIODeadline.now() >= deadline, sentAt.isEmpty else { return }
        saidBye = true
        ticker?.cancel()
        write(#"{"type":"bye"}"#, context: context)
    }

    private func write(_ json: String, context: ChannelHandlerContext) {
        var buffer = context.channel.allocator.buffer(capacity: json.utf8.count + 4)
        FrameEncoder.write(payload: Array(json.utf8), into: &buffer)
        context.writeAndFlush(wrapOutboundOut(buffer), promise: nil)
    }
}

@available(*, unavailable)
extension LoadSessionHandler: Sendable {}

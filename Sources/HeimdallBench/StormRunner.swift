import Foundation
import HeimdallProtocol
import HeimdallSystem
import HeimdallTLS
import Logging
import NIOCore
import NIOPosix
import Synchronization

/// `heimdall-bench storm`: N connected agents, the hub killed (SIGKILL) and restarted; how
/// long until every session is welcomed again. The sessions reconnect like real agents,
/// with jittered exponential backoff (0.5 s doubling to 30 s, half to all of the ceiling),
/// and like real agents keep their last TLS session to offer it on reconnect.
public enum StormRunner {
    /// What to run.
    public struct Plan: Sendable {
        public var hubPort = 7443
        public var sessions = 100
        /// The command line that starts the hub (it must listen on `hubPort`).
        public var hubCommand: [String] = []
        public var hubLog = "/dev/null"
        /// How long to wait for every session to come back.
        public var timeout: Duration = .seconds(120)

        public init() {}
    }

    /// What happened.
    public struct Result: Sendable {
        public var sessions: Int
        public var connectedBefore: Int
        /// Seconds from the restart's spawn until the last session was welcomed again.
        public var secondsToAllBack: Double?
        public var backAfterTimeout: Int
        /// How many sessions resumed their TLS session on the first reconnect after the restart.
        public var resumedCount: Int
        /// Whether every session's first reconnect after the restart resumed.
        public var resumed: Bool { resumedCount == sessions }
    }

    /// Starts the hub, connects the sessions, kills and restarts the hub, and measures.
    public static func run(_ plan: Plan, pkiDirectory: String, run: String, logger: Logger) async throws -> Result {
        let factory = EventFactory(run: run)
        let contexts = try LoadRunner.issueIdentities(count: plan.sessions, factory: factory, pkiDirectory: pkiDirectory, serverName: "127.0.0.1")
        var hub = try startHub(plan)
        defer { hub.signal(SIGTERM); _ = hub.wait() }
        try await waitForPort(plan.hubPort, timeout: .seconds(30))
        let board = WelcomeBoard(sessions: plan.sessions)
        let clients = Task {
            await withTaskGroup(of: Void.self) { tasks in
                for (index, tls) in contexts.enumerated() {
                    tasks.addTask { await reconnecting(index: index, tls: tls, port: plan.hubPort, factory: factory, board: board) }
                }
            }
        }
        defer { clients.cancel() }
        let connected = await board.waitForAll(generation: 0, timeout: .seconds(60))
        logger.notice("sessions connected; killing the hub", metadata: ["connected": "\(connected)"])
        hub.signal(SIGKILL)
        _ = hub.wait()
        let restartedAt = ContinuousClock.now
        hub = try startHub(plan)
        let back = await board.waitForAll(generation: 1, timeout: plan.timeout)
        let elapsed = back == plan.sessions ? BaselineRunner.seconds(ContinuousClock.now - restartedAt) : nil
        return Result(
            sessions: plan.sessions, connectedBefore: connected, secondsToAllBack: elapsed, backAfterTimeout: back,
            resumedCount: board.resumedAtReconnect
        )
    }

    private static func startHub(_ plan: Plan) throws -> ChildProcess {
        guard let command = plan.hubCommand.first else { throw BenchError("storm needs the hub's command line") }
        return try ChildProcess.spawn(command, Array(plan.hubCommand.dropFirst()), output: .file(plan.hubLog))
    }

    private static func waitForPort(_ port: Int, timeout: Duration) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let channel = try? await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton).connect(host: "127.0.0.1", port: port).get() {
                try? await channel.close()
                return
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw BenchError("the hub did not listen on 127.0.0.1:\(port) within \(timeout)")
    }

    /// One agent: connect, hello, wait for the connection to drop, back off, again.
    private static func reconnecting(index: Int, tls: TLSContext, port: Int, factory: EventFactory, board: WelcomeBoard) async {
        let resumption = TLSResumption(cache: TLSSessionCache(), key: "127.0.0.1:\(port)")
        var ceiling = 0.5
        while !Task.isCancelled {
            do {
                let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton).connect(host: "127.0.0.1", port: port).get()
                let done = channel.eventLoop.makePromise(of: SessionTally.self)
                let welcomed = channel.eventLoop.makePromise(of: Void.self)
                let resumed = channel.eventLoop.makePromise(of: Bool.self)
                try await channel.eventLoop.submit {
                    try channel.pipeline.syncOperations.addHandlers([
                        TLSHandler(context: tls, resumption: resumption),
                        StormHandshakeProbe(resumed: resumed),
                        ByteToMessageHandler(FrameDecoder(maximumFrameLength: 1 << 20)),
                        LoadSessionHandler(
                            session: index, factory: factory, batchSize: 1, interval: .seconds(20), heartbeatOnly: true,
                            deadline: .distantFuture, done: done, welcomed: welcomed
                        ),
                    ])
                }.get()
                if (try? await welcomed.futureResult.get()) != nil {
                    board.welcomed(index, resumed: (try? await resumed.futureResult.get()) ?? false)
                    ceiling = 0.5
                }
                _ = try? await done.futureResult.get()
            } catch {
                // Refused while the hub is down: back off below.
            }
            try? await Task.sleep(for: .milliseconds(Int64(Double.random(in: ceiling / 2...ceiling) * 1000)))
            ceiling = min(30, ceiling * 2)
        }
    }
}

/// Counts welcomes per session; generation n is reached when every session was welcomed
/// n + 1 times. Also counts the sessions whose second welcome (the first reconnect after
/// the restart) came over a resumed TLS session. Thread-safe.
final class WelcomeBoard: Sendable {
    private let counts: Mutex<[Int]>
    private let resumed = Mutex(0)

    init(sessions: Int) { counts = Mutex(Array(repeating: 0, count: sessions)) }

    func welcomed(_ index: Int, resumed wasResumed: Bool) {
        let count = counts.withLock { counts in
            counts[index] += 1
            return counts[index]
        }
        if count == 2 && wasResumed { resumed.withLock { $0 += 1 } }
    }

    /// Sessions whose first reconnect after the restart resumed.
    var resumedAtReconnect: Int { resumed.withLock { $0 } }

    /// Waits until every session has more than `generation` welcomes; returns how many do.
    func waitForAll(generation: Int, timeout: Duration) async -> Int {
        let deadline = ContinuousClock.now + timeout
        while true {
            let done = counts.withLock { $0.filter { $0 > generation }.count }
            if done == counts.withLock({ $0.count }) || ContinuousClock.now >= deadline { return done }
            try? await Task.sleep(for: .milliseconds(50))
        }
    }
}

/// A bench failure, as one sentence.
public struct BenchError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

import Foundation
import HeimdallPKI
import HeimdallProtocol
import HeimdallStore
import HeimdallTLS
import Histogram
import Logging
import NIOCore
import NIOPosix

/// `heimdall-bench load`: N concurrent agent sessions, each with its own certificate.
public enum LoadRunner {
    /// What to run.
    public struct Plan: Sendable {
        public var hubHost = "127.0.0.1"
        public var hubPort = 7443
        public var sessions = 100
        public var batchSize = 500
        public var duration: Duration = .seconds(10)
        /// Frames per second per session; `nil`: as fast as the window allows.
        public var framesPerSecond: Double?
        /// Idle mode: no events, one heartbeat per this interval.
        public var heartbeatOnly: Duration?
        /// Connections opened at once while ramping up.
        public var connectConcurrency = 64
        /// Lock `events` for a while during the run (needs the database).
        public var databasePause: DatabasePause?
        /// Rows of the same-run baseline written before the sessions start (needs the
        /// database); 0 skips it.
        public var baselineRows = 0

        public init() {}
    }

    /// What happened.
    public struct Result: Sendable {
        public var tally: SessionTally
        public var seconds: Double
        public var sessionsWelcomed: Int
        public var hubCPUPercent: Double?
        public var hubPeakRSS: UInt64?
        /// The hub's RSS before the sessions connected.
        public var hubRSSBefore: UInt64?
        /// Hub CPU from the moment every session was welcomed until the sending stopped.
        public var hubSteadyCPUPercent: Double?
        /// The system (kernel) part of ``hubSteadyCPUPercent``.
        public var hubSteadySystemCPUPercent: Double?
        /// Length of that steady window.
        public var steadySeconds: Double?
        /// What the database pause showed, when one was asked for.
        public var pause: DatabasePause.Report?
        /// The same-run baseline: PostgreSQL alone on the same rows, just before the sessions.
        public var baseline: BaselineRunner.Result?
        /// Rows in `events` for this run's hosts, when a database was given.
        public var storedInDatabase: Int?

        public var eventsPerSecond: Double { Double(tally.stored + tally.duplicates) / max(seconds, 0.001) }
    }

    /// Issues the certificates, runs the sessions, and measures.
    public static func run(
        _ plan: Plan, pkiDirectory: String, run: String, database: Database?, hubPID: Int32?, logger: Logger
    ) async throws -> Result {
        var baseline: BaselineRunner.Result?
        if plan.baselineRows > 0, let database {
            baseline = try await BaselineRunner.run(database: database, rows: plan.baselineRows, batchSize: plan.batchSize, run: run)
            logger.notice("baseline measured", metadata: ["rows": "\(plan.baselineRows)"])
        }
        let factory = EventFactory(run: run)
        let contexts = try issueIdentities(count: plan.sessions, factory: factory, pkiDirectory: pkiDirectory, serverName: plan.hubHost)
        logger.notice("certificates issued", metadata: ["sessions": "\(plan.sessions)"])
        let group = MultiThreadedEventLoopGroup.singleton
        let before = hubPID.flatMap(ProcessSample.read(pid:))
        let clock = ContinuousClock()
        let start = clock.now
        let deadline = NIODeadline.now() + .nanoseconds(Int64(BaselineRunner.seconds(plan.duration) * 1e9))
        let interval = plan.heartbeatOnly.map { TimeAmount.nanoseconds(Int64(BaselineRunner.seconds($0) * 1e9)) }
            ?? plan.framesPerSecond.map { TimeAmount.nanoseconds(Int64(1e9 / $0)) }
        // At most `connectConcurrency` sessions are being opened at once (TCP, TLS, hello);
        // each task returns once its session was welcomed or failed, and the sessions then
        // run side by side. (Counting only the TCP connect let thousands of handshakes
        // queue at a busy hub until the clients' handshake deadline passed.)
        let progress = LoadProgress()
        let pause = Task { () -> DatabasePause.Report? in
            guard let databasePause = plan.databasePause, let database else { return nil }
            return try await databasePause.run(database: database, progress: progress, hubPID: hubPID)
        }
        var running: [EventLoopFuture<SessionTally>] = []
        try await withThrowingTaskGroup(of: EventLoopFuture<SessionTally>.self) { tasks in
            for (index, tls) in contexts.enumerated() {
                if index >= plan.connectConcurrency, let connected = try await tasks.next() {
                    running.append(connected)
                }
                tasks.addTask {
                    try await session(
                        index: index, tls: tls, plan: plan, factory: factory, interval: interval, deadline: deadline, group: group,
                        progress: progress
                    )
                }
            }
            for try await connected in tasks { running.append(connected) }
        }
        let steady = await measureSteadyState(sessions: plan.sessions, progress: progress, until: deadline, hubPID: hubPID)
        var tally = SessionTally()
        tally.welcomed = true
        var welcomed = 0
        for session in running {
            let finished = try await session.get()
            if finished.welcomed { welcomed += 1 }
            tally.merge(finished)
        }
        let seconds = BaselineRunner.seconds(clock.now - start)
        let after = hubPID.flatMap(ProcessSample.read(pid:))
        let pauseReport = try await pause.value
        var stored: Int?
        if let database {
            stored = try await database.withConnection { connection in
                try connection.query("SELECT count(*) AS count FROM events WHERE host_id LIKE $1", [.string("bench-\(run)-%")]).first?.int("count")
            }
        }
        return Result(
            tally: tally, seconds: seconds, sessionsWelcomed: welcomed,
            hubCPUPercent: before.flatMap { start in after.map { ProcessSample.cpuPercent(from: start, to: $0) } },
            hubPeakRSS: after?.peakResidentBytes, hubRSSBefore: before?.residentBytes,
            hubSteadyCPUPercent: steady?.cpuPercent, hubSteadySystemCPUPercent: steady?.systemCPUPercent, steadySeconds: steady?.seconds, pause: pauseReport, baseline: baseline, storedInDatabase: stored
        )
    }

    /// Waits until every session is welcomed, then samples the hub's CPU (all of it and its
    /// system part) from then until `deadline`; nil when the steady window would be shorter
    /// than a second.
    private static func measureSteadyState(
        sessions: Int, progress: LoadProgress, until deadline: NIODeadline, hubPID: Int32?
    ) async -> (cpuPercent: Double?, systemCPUPercent: Double?, seconds: Double)? {
        while progress.welcomed < sessions, NIODeadline.now() < deadline - .seconds(1) {
            try? await Task.sleep(for: .milliseconds(50))
        }
        let begin = NIODeadline.now()
        guard progress.welcomed == sessions, deadline - begin >= .seconds(1) else { return nil }
        progress.steadyStateBegins(at: begin)
        let first = hubPID.flatMap(ProcessSample.read(pid:))
        try? await Task.sleep(for: .nanoseconds((deadline - NIODeadline.now()).nanoseconds))
        let last = hubPID.flatMap(ProcessSample.read(pid:))
        let seconds = Double((NIODeadline.now() - begin).nanoseconds) / 1e9
        guard let first, let last else { return (nil, nil, seconds) }
        return (ProcessSample.cpuPercent(from: first, to: last), ProcessSample.systemCPUPercent(from: first, to: last), seconds)
    }

    private static func session(
        index: Int, tls: TLSContext, plan: Plan, factory: EventFactory, interval: TimeAmount?, deadline: NIODeadline,
        group: any EventLoopGroup, progress: LoadProgress
    ) async throws -> EventLoopFuture<SessionTally> {
        let channel = try await ClientBootstrap(group: group)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .connect(host: plan.hubHost, port: plan.hubPort).get()
        let done = channel.eventLoop.makePromise(of: SessionTally.self)
        let welcomed = channel.eventLoop.makePromise(of: Void.self)
        try await channel.eventLoop.submit {
            try channel.pipeline.syncOperations.addHandlers([
                TLSHandler(context: tls),
                ByteToMessageHandler(FrameDecoder(maximumFrameLength: 1 << 20)),
                LoadSessionHandler(
                    session: index, factory: factory, batchSize: plan.batchSize, interval: interval, heartbeatOnly: plan.heartbeatOnly != nil,
                    deadline: deadline, done: done, welcomed: welcomed, progress: progress
                ),
            ])
        }.get()
        try? await welcomed.futureResult.get()
        return done.futureResult
    }

    /// One certificate per session, signed by the CA in `pkiDirectory`, written to a
    /// temporary directory (the TLS layer loads files).
    static func issueIdentities(count: Int, factory: EventFactory, pkiDirectory: String, serverName: String) throws -> [TLSContext] {
        let authority = try CertificateAuthority.load(directory: pkiDirectory)
        let directory = NSTemporaryDirectory() + "heimdall-bench-\(factory.run)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        return try (0..<count).map { index in
            let issued = try authority.issueHostCertificate(host: factory.host(index), days: 2)
            let bundle = directory + "/\(index)"
            try authority.writeBundle(issued, to: bundle)
            return try TLSContext.client(TLSClientConfiguration(
                certificateChainPath: bundle + "/host.pem", privateKeyPath: bundle + "/host.key", trustRootsPath: bundle + "/ca.pem",
                serverName: serverName, applicationProtocols: ["heimdall/1"]
            ))
        }
    }
}

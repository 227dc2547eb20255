import Foundation
import HeimdallPKI
import HeimdallProtocol
import HeimdallStore
import HeimdallTLS
import Logging
import NIOCore
import NIOPosix

/// A running hub: the session listener, the ingest pipeline, the session journal, liveness
/// and revocation. Start it with ``start(configuration:database:logger:)``; stop it with
/// ``shutdown()``. Thread-safe.
public final class Hub: Sendable {
    /// The address the session listener is bound to (useful with port 0).
    public let sessionAddress: SocketAddress
    /// The address the enrollment listener is bound to; nil when enrollment is disabled.
    public let enrollmentAddress: SocketAddress?
    private let enrollmentChannel: (any Channel)?
    private let group: MultiThreadedEventLoopGroup
    private let serverChannel: any Channel
    private let services: SessionServices
    private let revocation: RevocationWatcher
    /// Runs the ingest pipeline and the session journal until they are finished and drained.
    private let writers: Task<Void, Never>
    /// Liveness, revocation, CRL and storage-maintenance loops; cancelled at shutdown.
    private let loops: Task<Void, Never>
    private let logger: Logger

    private init(
        sessionAddress: SocketAddress, enrollmentChannel: (any Channel)?, group: MultiThreadedEventLoopGroup, serverChannel: any Channel,
        services: SessionServices, revocation: RevocationWatcher, writers: Task<Void, Never>, loops: Task<Void, Never>, logger: Logger
    ) {
        self.sessionAddress = sessionAddress
        self.enrollmentChannel = enrollmentChannel
        self.enrollmentAddress = enrollmentChannel?.localAddress
        self.group = group
        self.serverChannel = serverChannel
        self.services = services
        self.revocation = revocation
        self.writers = writers
        self.loops = loops
        self.logger = logger
    }

    /// Loads the TLS identity, recovers from an earlier crash, binds the session listener
    /// and starts the background work.
    public static func start(configuration: HubConfiguration, database: Database, logger: Logger) async throws -> Hub {
        try configuration.validate()
        let revocationList = RevocationList(try await database.withConnection { try CertificateRecords().revokedSerials(on: $0) })
        let tls = try TLSContext.server(configuration.serverTLS, revocationList: revocationList)
        let ticketKeys = try TicketKeyRotation.start(configuration: configuration, tls: tls, logger: logger)
        try await database.withConnection { connection in
            try connection.transaction { connection in
                try SessionRecords().endAllOpen(hubID: configuration.hubID, reason: "hub restarted", on: connection)
                try HostRecords().markOfflineWithoutOpenSession(reason: "hub restarted", on: connection)
            }
        }
        let authority = Self.signingAuthority(configuration: configuration, logger: logger)
        let registry = SessionRegistry()
        // The journal lingers: its entries (heartbeats above all: 333 a second from 10,000
        // agents) wait up to 100 ms to share a transaction instead of one each.
        let journalLimits = GroupCommitLimits(maximumTransactionWeight: 1_000, writers: 1, linger: .milliseconds(100))
        let journal = SessionJournal(limits: journalLimits, logger: logger) { entries in
            try await database.withConnection { try JournalWriter.apply(entries, on: $0) }
            return entries.map { _ in () }
        }
        let partitions = EventPartitions(logger: logger)
        let writer = EventWriter(partitions: partitions)
        let pipeline = HubIngestPipeline(limits: configuration.ingest, logger: logger) { batches in
            try await database.withConnection { try writer.write(batches, on: $0) }
        }
        let maintenance = StorageMaintenance(
            database: database, partitions: partitions, retentionDays: configuration.retentionDays, hubID: configuration.hubID, logger: logger
        )
        let services = SessionServices(
            registry: registry, revocations: revocationList, pipeline: pipeline, journal: journal,
            liveness: LivenessMonitor(registry: registry, journal: journal, heartbeatInterval: TimeInterval(configuration.limits.heartbeatInterval)),
            clones: CloneWatch(journal: journal, logger: logger), connections: ConnectionTracker(), hubID: configuration.hubID, limits: configuration.limits,
            deadlines: configuration.deadlines,
            renewer: authority.map { CertificateRenewer(authority: $0, database: database, days: configuration.hostCertificateDays, logger: logger) },
            logger: logger
        )
        // Subscribe to revocations before accepting anyone, then load the list once more:
        // a revocation is either in that list or notified, never missed in between.
        let listener = RevocationListener(url: database.configuration.url, logger: logger)
        do {
            try await listener.start()
        } catch {
            logger.warning("revocation notifications unavailable; relying on the periodic reload", metadata: ["error": "\(error)"])
        }
        revocationList.replaceAll(try await database.withConnection { try CertificateRecords().revokedSerials(on: $0) })
        let group = MultiThreadedEventLoopGroup(numberOfThreads: max(1, configuration.eventLoopThreads))
        let serverChannel: any Channel
        do {
            serverChannel = try await SessionListener.bind(
                configuration.sessionAddress, tls: tls, services: services, admission: AdmissionControl(limits: configuration.admission),
                group: group
            )
        } catch {
            try? await group.shutdownGracefully()
            await listener.shutdown()
            throw HubError(.bindFailed, "cannot listen on \(configuration.sessionAddress): \(error)")
        }
        let enrollmentChannel: (any Channel)?
        do {
            enrollmentChannel = try await bindEnrollment(
                configuration: configuration, authority: authority, database: database, sessionAddress: serverChannel.localAddress,
                group: group, logger: logger
            )
        } catch {
            try? await serverChannel.close()
            try? await group.shutdownGracefully()
            await listener.shutdown()
            throw error
        }
        let crl = authority.map { _ in CRLPublisher(database: database, pkiDirectory: configuration.pkiDirectory, logger: logger) }
        let revocation = RevocationWatcher(list: revocationList, registry: registry, database: database, logger: logger) {
            await crl?.publish()
        }
        // The writers are never cancelled: at shutdown they are finished and drain what is
        // queued. The periodic loops are cancelled.
        let writers = Task {
            async let ingest: Void = pipeline.run(on: Array(group.makeIterator()))
            async let sessions: Void = journal.run()
            _ = await (ingest, sessions)
        }
        let loops = Task {
            await withTaskGroup(of: Void.self) { tasks in
                tasks.addTask { await Self.sweepLiveness(services.liveness, every: configuration.livenessInterval) }
                tasks.addTask { await revocation.run(every: configuration.revocationRefreshInterval) }
                tasks.addTask { await revocation.listen(listener) }
                if let crl { tasks.addTask { await crl.run(every: configuration.crlRefreshInterval) } }
                tasks.addTask { await maintenance.run(every: configuration.maintenanceInterval) }
                if let ticketKeys { tasks.addTask { await ticketKeys.run() } }
            }
            await listener.shutdown()
        }
        guard let address = serverChannel.localAddress else {
            throw HubError(.bindFailed, "the session listener has no local address")
        }
        logger.info("hub listening", metadata: [
            "sessions": "\(address)", "enrollment": "\(enrollmentChannel?.localAddress.map { "\($0)" } ?? "off")",
            "hub_id": "\(configuration.hubID)",
        ])
        return Hub(
            sessionAddress: address, enrollmentChannel: enrollmentChannel, group: group, serverChannel: serverChannel, services: services,
            revocation: revocation, writers: writers, loops: loops, logger: logger
        )
    }

    /// Stops accepting, lets every session ack what it has and say `shutting_down`, writes
    /// what is queued, and stops. Waits at most `grace` for sessions to finish.
    public func shutdown(grace: Duration = .seconds(10)) async {
        logger.info("hub shutting down")
        try? await serverChannel.close()
        try? await enrollmentChannel?.close()
        services.connections.broadcast(.shutDown)
        if await !services.connections.waitUntilEmpty(timeout: grace) {
            logger.warning("sessions still open after the grace period; closing them")
            services.connections.broadcast(.terminate(.shuttingDown, "the hub is shutting down"))
            _ = await services.connections.waitUntilEmpty(timeout: .seconds(2))
        }
        loops.cancel()
        await loops.value
        services.pipeline.finish()
        services.journal.finish()
        await writers.value
        try? await group.shutdownGracefully()
        logger.info("hub stopped")
    }

    /// The issuing intermediate, when its key is readable here (the root key never needs to
    /// be): it signs enrollments, renewals and the published CRL; without it they are off.
    private static func signingAuthority(configuration: HubConfiguration, logger: Logger) -> CertificateAuthority? {
        do {
            return try CertificateAuthority.load(directory: configuration.pkiDirectory.path)
        } catch {
            logger.notice("certificate renewal and CRL publishing are off: the CA cannot be loaded", metadata: ["error": "\(error)"])
            return nil
        }
    }

    /// Binds the enrollment listener unless it is disabled. The hub signs with the
    /// intermediate in its PKI directory, so `intermediate.key` must be readable there.
    private static func bindEnrollment(
        configuration: HubConfiguration, authority: CertificateAuthority?, database: Database, sessionAddress: SocketAddress?,
        group: any EventLoopGroup, logger: Logger
    ) async throws -> (any Channel)? {
        guard let address = configuration.enrollmentAddress else { return nil }
        guard let authority else {
            throw HubError(.configuration, "enrollment needs the issuing intermediate (intermediate.key, intermediate.pem) in \(configuration.pkiDirectory.path); disable it with --enroll-listen off")
        }
        let tls = try TLSContext.server(configuration.enrollmentTLS)
        let services = EnrollmentServices(
            service: EnrollmentService(
                database: database, authority: authority,
                sessionAddress: configuration.advertisedSessionAddress(bound: sessionAddress),
                certificateDays: configuration.enrollmentCertificateDays
            ),
            limiter: EnrollmentRateLimiter(limit: configuration.enrollmentFailureLimit, window: configuration.enrollmentFailureWindow),
            deadline: configuration.enrollmentDeadline, logger: logger
        )
        do {
            return try await EnrollmentListener.bind(
                address, tls: tls, services: services, handshakeTimeout: configuration.deadlines.handshake, group: group
            )
        } catch {
            throw HubError(.bindFailed, "cannot listen for enrollment on \(address): \(error)")
        }
    }

    private static func sweepLiveness(_ liveness: LivenessMonitor, every interval: TimeAmount) async {
        while !Task.isCancelled {
            try? await Task.sleep(for: .nanoseconds(interval.nanoseconds))
            liveness.sweep(now: Date())
        }
    }
}

/// A failure of the hub as a whole (not of one session).
public struct HubError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Stable codes.
    public enum Code: String, Sendable, Hashable {
        case bindFailed = "bind_failed"
        case configuration
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}

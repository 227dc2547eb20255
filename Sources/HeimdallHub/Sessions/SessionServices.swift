import Foundation
import HeimdallProtocol
import HeimdallStore
import HeimdallTLS
import Logging
import NIOCore

/// The ingest pipeline of the hub: frames in, commit outcomes out.
public typealias HubIngestPipeline = GroupCommitQueue<IngestBatch, BatchOutcome>

/// Deadlines of a session (protocol.md), configurable so tests run them in milliseconds.
public struct SessionDeadlines: Sendable, Hashable {
    /// TCP accept to the end of the TLS handshake.
    public var handshake: TimeAmount
    /// End of the handshake to `hello`.
    public var hello: TimeAmount

    /// protocol.md's 10 s each.
    public static let `default` = SessionDeadlines(handshake: .seconds(10), hello: .seconds(10))

    public init(handshake: TimeAmount, hello: TimeAmount) {
        self.handshake = handshake
        self.hello = hello
    }
}

/// What every session handler shares: the registry, the pipeline, the journal and settings.
/// Immutable and thread-safe.
public struct SessionServices: Sendable {
    public var registry: SessionRegistry
    /// Serials refused at hello and for every data frame (the TLS layer refuses them at the
    /// handshake; this closes the gap for connections made before a revocation).
    public var revocations: RevocationList
    public var pipeline: HubIngestPipeline
    public var journal: SessionJournal
    public var liveness: LivenessMonitor
    public var clones: CloneWatch
    /// Signs `renew` requests; `nil` when this hub has no intermediate key (renewal then refused).
    public var renewer: CertificateRenewer?
    public var connections: ConnectionTracker
    public var hubID: String
    public var limits: SessionLimits
    public var deadlines: SessionDeadlines
    public var logger: Logger
    public var now: @Sendable () -> Date

    public init(
        registry: SessionRegistry, revocations: RevocationList, pipeline: HubIngestPipeline, journal: SessionJournal, liveness: LivenessMonitor, clones: CloneWatch, connections: ConnectionTracker,
        hubID: String, limits: SessionLimits,
        deadlines: SessionDeadlines, renewer: CertificateRenewer? = nil, logger: Logger,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.renewer = renewer
        self.registry = registry
        self.revocations = revocations
        self.pipeline = pipeline
        self.journal = journal
        self.liveness = liveness
        self.clones = clones
        self.connections = connections
        self.hubID = hubID
        self.limits = limits
        self.deadlines = deadlines
        self.logger = logger
        self.now = now
    }
}

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HeimdallProtocol
import HeimdallTLS
import Logging
import NIOPosix
import Synchronization

/// The agent: follows its files into its spool, samples the system status every
/// ``AgentConfiguration/statusInterval``, and keeps one session with the hub, reconnecting
/// with jittered exponential backoff. ``run()`` until ``leave()`` or cancellation.
/// Thread-safe.
public final class Agent: Sendable {
    /// The agent's version, sent in `hello`.
    public static let version = "0.1.0"

    private let configuration: AgentConfiguration
    private let endpoint: HubEndpoint
    private let identity: AgentIdentity
    private let shipper: Shipper<AgentEventSource>
    private let logger: Logger

    /// Loads the TLS identity and the checkpoint, and recovers the spool. Throws for what
    /// retrying cannot fix (unreadable certificate or key, a state or spool directory that
    /// cannot be created).
    public init(configuration: AgentConfiguration, logger: Logger) throws {
        let endpoint = HubEndpoint(
            host: configuration.hubHost, port: configuration.hubPort, serverName: configuration.hubServerName ?? configuration.hubHost
        )
        let identity = try AgentIdentity(
            certificatePath: configuration.certificatePath, privateKeyPath: configuration.privateKeyPath, caPath: configuration.caPath,
            logger: logger
        )
        _ = try identity.tlsContext(serverName: endpoint.serverName)  // fail now, not on every reconnect
        try FileManager.default.createDirectory(atPath: configuration.stateDirectory, withIntermediateDirectories: true)
        let source = try AgentEventSource.agentSources(configuration: configuration, logger: logger)
        let spool = try Spool(directory: configuration.stateDirectory + "/spool", maximumBytes: configuration.spoolSize, logger: logger)
        self.configuration = configuration
        self.endpoint = endpoint
        self.identity = identity
        self.shipper = Shipper(source: source, spool: spool, limits: Shipper<AgentEventSource>.Limits(batchSize: configuration.batchSize), logger: logger)
        self.logger = logger
    }

    /// Runs sessions until the agent leaves or the task is cancelled.
    public func run() async {
        let status = configuration.statusInterval.flatMap { $0 > .zero ? $0 : nil }.map { interval in
            Task<Void, Never> { [shipper, logger] in
                await StatusReporter.run(interval: interval, shipper: shipper, collector: SystemStatusCollector(), logger: logger)
            }
        }
        // Files are read into the spool whether or not the hub is reachable, so a long
        // outage cannot make the agent miss lines of a file that rotates away.
        let collector = Task<Void, Never> { [shipper, configuration] in
            while !Task.isCancelled, await !shipper.isLeaving {
                await shipper.collect(now: Date())
                try? await Task.sleep(for: configuration.pollInterval)
            }
        }
        defer {
            status?.cancel()
            collector.cancel()
        }
        var backoff = configuration.backoff
        while !Task.isCancelled, await !shipper.isLeaving {
            let welcomed = WelcomeFlag()
            do {
                try await HubSession.run(
                    endpoint: endpoint, identity: identity, shipper: shipper, hello: Self.hello(),
                    timing: HubSession.Timing(pollInterval: configuration.pollInterval),
                    group: MultiThreadedEventLoopGroup.singleton, logger: logger, welcomed: { welcomed.set() }
                )
            } catch {
                if Task.isCancelled { break }
                if await shipper.isLeaving { break }
                logger.warning("session with the hub ended", metadata: ["error": "\(error)"])
            }
            if await shipper.isLeaving { break }
            if welcomed.isSet { backoff.reset() }
            let delay = backoff.nextDelay()
            logger.info("reconnecting", metadata: ["in": "\(delay)"])
            try? await Task.sleep(for: delay)
        }
    }

    /// Stops sending new frames and says `bye`: the hub acks what it has and closes, and
    /// ``run()`` returns. Frames not acked are sent again on the next start.
    public func leave() async {
        await shipper.leave()
    }

    static func hello() -> Hello {
        #if arch(x86_64)
        let arch = "x86_64"
        #elseif arch(arm64)
        let arch = "aarch64"
        #else
        let arch = "unknown"
        #endif
        #if os(Linux)
        let os = "linux"
        #elseif os(macOS)
        let os = "macos"
        #else
        let os = "unknown"
        #endif
        return Hello(protocolVersion: ProtocolVersion.current, agent: AgentInfo(
            version: version, os: os, arch: arch, hostname: ProcessInfo.processInfo.hostName
        ))
    }
}

/// Set once a session was welcomed (so the backoff starts over).
private final class WelcomeFlag: Sendable {
    private let value = Atomic(false)
    func set() { value.store(true, ordering: .relaxed) }
    var isSet: Bool { value.load(ordering: .relaxed) }
}

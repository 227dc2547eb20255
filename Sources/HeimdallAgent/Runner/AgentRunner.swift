import Foundation
import HeimdallProtocol
import HeimdallTLS
import Logging
import NIOPosix
import Synchronization

/// Runs the agent: follows its files and keeps one session with the hub, reconnecting with
/// jittered exponential backoff, until the calling task is cancelled.
public enum AgentRunner {
    /// The agent's version, sent in `hello`.
    public static let version = "0.1.0"

    /// Runs until cancelled. Throws only for what retrying cannot fix (unreadable
    /// certificate or key, a state directory that cannot be created).
    public static func run(_ configuration: AgentConfiguration, logger: Logger) async throws {
        let tls = try TLSContext.client(TLSClientConfiguration(
            certificateChainPath: configuration.certificatePath, privateKeyPath: configuration.privateKeyPath,
            trustRootsPath: configuration.caPath, serverName: configuration.hubServerName ?? configuration.hubHost,
            applicationProtocols: ["heimdall/1"]
        ))
        try FileManager.default.createDirectory(atPath: configuration.stateDirectory, withIntermediateDirectories: true)
        let source = TailingSource(paths: configuration.tailPaths, stateDirectory: configuration.stateDirectory, logger: logger)
        let shipper = Shipper(source: source, limits: Shipper<TailingSource>.Limits(batchSize: configuration.batchSize), logger: logger)
        let endpoint = HubEndpoint(host: configuration.hubHost, port: configuration.hubPort, tls: tls)
        let group = MultiThreadedEventLoopGroup.singleton
        var backoff = configuration.backoff
        while !Task.isCancelled {
            let welcomed = WelcomeFlag()
            do {
                try await HubSession.run(
                    endpoint: endpoint, shipper: shipper, hello: hello(), timing: HubSession.Timing(pollInterval: configuration.pollInterval),
                    group: group, logger: logger, welcomed: { welcomed.set() }
                )
            } catch {
                if Task.isCancelled { break }
                logger.warning("session with the hub ended", metadata: ["error": "\(error)"])
            }
            if welcomed.isSet { backoff.reset() }
            let delay = backoff.nextDelay()
            logger.info("reconnecting", metadata: ["in": "\(delay)"])
            try? await Task.sleep(for: delay)
        }
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

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Everything `heimdall-agent run` needs.
public struct AgentConfiguration: Sendable {
    /// The hub's session listener.
    public var hubHost: String
    public var hubPort: Int
    /// The name the hub's certificate must carry (default: `hubHost`).
    public var hubServerName: String?
    public var certificatePath: String
    public var privateKeyPath: String
    public var caPath: String
    /// Where checkpoints and the spool (`spool/`) live.
    public var stateDirectory: String
    /// Files to follow.
    public var tailPaths: [String]
    /// Events per frame (capped by the hub's `max_batch`).
    public var batchSize = 500
    /// Reconnect backoff bounds.
    public var backoff = Backoff()
    /// How often the files are checked for new lines.
    public var pollInterval: Duration = .milliseconds(200)
    /// How often a system-status snapshot is sent; `nil` sends none.
    public var statusInterval: Duration? = .seconds(60)
    /// The most bytes the on-disk spool may hold; beyond it the oldest records are dropped.
    public var spoolSize = Spool.defaultMaximumBytes
    /// Collect the systemd journal with `journalctl` beside the files; `nil` does not.
    public var journald: JournaldSource.Settings?
    /// Collect the macOS unified log with `log stream` / `log show`; `nil` does not. The
    /// `heimdall-agent run` default is on only on macOS.
    public var unifiedLog: UnifiedLogSource.Settings?
    /// Collect the Windows event log (Windows only: elsewhere the agent ignores it); `nil`
    /// does not. The `heimdall-agent run` default is on only on Windows.
    public var windowsEventLog: WindowsEventLogSource.Settings?

    public init(
        hubHost: String, hubPort: Int, certificatePath: String, privateKeyPath: String, caPath: String,
        stateDirectory: String, tailPaths: [String]
    ) {
        self.hubHost = hubHost
        self.hubPort = hubPort
        self.certificatePath = certificatePath
        self.privateKeyPath = privateKeyPath
        self.caPath = caPath
        self.stateDirectory = stateDirectory
        self.tailPaths = tailPaths
    }
}

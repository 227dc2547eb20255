/// A Windows event log channel the agent subscribes to, and the source its events get.
///
/// A plain value: any thread may use it.
public struct WindowsEventChannel: Sendable, Hashable {
    /// The channel path given to `EvtSubscribe` (`Security`, `Microsoft-Windows-.../Operational`).
    public var path: String
    /// The events' `source` (one of the Windows names of ``ParserCatalog``).
    public var source: String

    /// A channel read into events named `source`.
    public init(path: String, source: String) {
        self.path = path
        self.source = source
    }

    /// Security, System, Application and Remote Desktop's LocalSessionManager. The last
    /// one's events are named `windows.security`, as a `wevtutil` export of them tailed
    /// from a file would be (``ParserCatalog`` has no other name for them).
    public static let defaults = [
        WindowsEventChannel(path: "Security", source: "windows.security"),
        WindowsEventChannel(path: "System", source: "windows.system"),
        WindowsEventChannel(path: "Application", source: "windows.application"),
        WindowsEventChannel(path: "Microsoft-Windows-TerminalServices-LocalSessionManager/Operational", source: "windows.security"),
    ]
}

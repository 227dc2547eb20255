import Logging

#if os(Windows)
/// The platform's own log: the Windows event log on Windows.
public typealias PlatformLogSource = WindowsEventLogSource
#else
/// The platform's own log: the unified log (macOS; elsewhere only with a stand-in `log`).
public typealias PlatformLogSource = UnifiedLogSource
#endif

/// The agent's sources: the tailed files, plus journald when ``AgentConfiguration/journald``
/// is set, plus the platform's log (``PlatformLogSource``) when
/// ``AgentConfiguration/unifiedLog`` (or, on Windows, ``AgentConfiguration/windowsEventLog``) is set.
public typealias AgentEventSource = CompositeSource<CompositeSource<TailingSource, JournaldSource>, PlatformLogSource>

extension CompositeSource where First == CompositeSource<TailingSource, JournaldSource>, Second == PlatformLogSource {
    /// The sources `configuration` asks for.
    ///
    /// - Throws: ``SystemLogError`` when journald is configured but `journalctl` is missing,
    ///   ``SystemLogError`` when the platform's log is configured but cannot be read.
    public static func agentSources(configuration: AgentConfiguration, logger: Logger) throws -> AgentEventSource {
        let files = TailingSource(paths: configuration.tailPaths, stateDirectory: configuration.stateDirectory, logger: logger)
        let journal = try configuration.journald.map { settings throws(SystemLogError) in
            try JournaldSource(settings: settings, stateDirectory: configuration.stateDirectory, logger: logger)
        }
        let filesAndJournal = CompositeSource<TailingSource, JournaldSource>(first: files, second: journal)
        return AgentEventSource(first: filesAndJournal, second: try platformSource(configuration, logger: logger))
    }

    private static func platformSource(_ configuration: AgentConfiguration, logger: Logger) throws(SystemLogError) -> PlatformLogSource? {
        #if os(Windows)
        try configuration.windowsEventLog.map { settings throws(SystemLogError) in
            try WindowsEventLogSource(settings: settings, stateDirectory: configuration.stateDirectory, logger: logger)
        }
        #else
        try configuration.unifiedLog.map { settings throws(SystemLogError) in
            try UnifiedLogSource(settings: settings, stateDirectory: configuration.stateDirectory, logger: logger)
        }
        #endif
    }
}

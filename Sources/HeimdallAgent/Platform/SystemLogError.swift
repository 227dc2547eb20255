/// Why a system log reader (journald, the macOS unified log, the Windows event log) cannot
/// run, or could not save its progress.
public struct SystemLogError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Stable identifiers of what went wrong.
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        /// The code's stable name.
        public var rawValue: String
        /// Wraps a raw code name.
        public init(rawValue: String) { self.rawValue = rawValue }
        /// `journalctl` is not installed (or not in `PATH`): this host has no journald to read.
        public static let journalctlMissing = Code(rawValue: "journald_journalctl_missing")
        /// `journalctl` could not be started.
        public static let spawnFailed = Code(rawValue: "journald_spawn_failed")
        /// The journald cursor file could not be written.
        public static let cursorSaveFailed = Code(rawValue: "journald_cursor_save_failed")
        /// The `log` command (macOS) is not installed where it was looked for.
        public static let unifiedLogMissing = Code(rawValue: "unified_log_missing")
        /// wevtapi.dll or one of its functions could not be loaded (Windows).
        public static let eventLogUnavailable = Code(rawValue: "event_log_unavailable")
        /// A Windows event log call failed (the detail names the call and the error code).
        public static let eventLogCallFailed = Code(rawValue: "event_log_call_failed")
        /// The reader's progress file (position, bookmarks) could not be written.
        public static let progressSaveFailed = Code(rawValue: "system_log_progress_save_failed")
        /// The code's stable name.
        public var description: String { rawValue }
    }

    /// What went wrong.
    public var code: Code
    /// Details (the command, call or file, and the system's message).
    public var detail: String

    /// Builds an error value.
    public init(code: Code, detail: String) {
        self.code = code
        self.detail = detail
    }

    /// A one-line explanation.
    public var description: String { "\(code): \(detail)" }
}

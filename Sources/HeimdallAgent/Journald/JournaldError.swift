/// Why the journald collector cannot run, or could not save its cursor.
public struct JournaldError: Error, Sendable, Hashable, CustomStringConvertible {
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
        /// The cursor file could not be written.
        public static let cursorSaveFailed = Code(rawValue: "journald_cursor_save_failed")
        /// The code's stable name.
        public var description: String { rawValue }
    }

    /// What went wrong.
    public var code: Code
    /// Details (the command or file, and the system's message).
    public var detail: String

    /// Builds an error value.
    public init(code: Code, detail: String) {
        self.code = code
        self.detail = detail
    }

    /// A one-line explanation.
    public var description: String { "\(code): \(detail)" }
}

/// What the status snapshot needs from `/proc/[pid]/stat`. Pure value; any thread.
public struct ProcessStat: Sendable, Hashable {
    public var pid: Int
    /// The command name between the parentheses (at most 15 bytes; may hold spaces and
    /// parentheses itself, e.g. `tmux: server` or `(sd-pam)`).
    public var name: String
    /// The state letter (`R`, `S`, `D`, `Z`, ...).
    public var state: String
    /// User plus system CPU time, in clock ticks.
    public var cpuTicks: UInt64
    /// Clock ticks after boot at which the process started: with the pid, its identity.
    public var startTicks: UInt64
    /// Resident set size in pages.
    public var residentPages: UInt64
    public var threads: Int

    public init(pid: Int, name: String, state: String, cpuTicks: UInt64, startTicks: UInt64, residentPages: UInt64, threads: Int) {
        self.pid = pid
        self.name = name
        self.state = state
        self.cpuTicks = cpuTicks
        self.startTicks = startTicks
        self.residentPages = residentPages
        self.threads = threads
    }
}

/// What the status snapshot needs from `/proc/[pid]/status`. Pure value; any thread.
public struct ProcessStatus: Sendable, Hashable {
    public var name: String?
    /// The real user id.
    public var uid: Int?
    /// `VmRSS` in bytes; `nil` for kernel threads.
    public var residentBytes: UInt64?
}

extension KernelText {
    /// Parses `/proc/[pid]/stat`. The name is everything between the first `(` and the
    /// *last* `)`, since a name may itself hold `)` and spaces.
    public static func processStat(_ text: String) -> ProcessStat? {
        guard let open = text.firstIndex(of: "("), let close = text.lastIndex(of: ")"), open < close,
              let pid = Int(text[..<open].trimmingWhitespace()) else { return nil }
        let name = String(text[text.index(after: open)..<close])
        let rest = text[text.index(after: close)...].split(whereSeparator: \.isWhitespace)
        // rest[0] is field 3 (state); utime is field 14, stime 15, num_threads 20,
        // starttime 22, rss 24.
        guard rest.count >= 22, let utime = UInt64(rest[11]), let stime = UInt64(rest[12]),
              let threads = Int(rest[17]), let start = UInt64(rest[19]) else { return nil }
        // rss is signed in the kernel's format; clamp a nonsensical negative to 0.
        let rss = UInt64(rest[21]) ?? 0
        return ProcessStat(
            pid: pid, name: name, state: String(rest[0]), cpuTicks: utime &+ stime, startTicks: start, residentPages: rss, threads: threads
        )
    }

    /// Parses `/proc/[pid]/status` for `Name`, the real `Uid` and `VmRSS`.
    public static func processStatus(_ text: String) -> ProcessStatus {
        var status = ProcessStatus()
        for line in text.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = line[..<colon]
            let value = line[line.index(after: colon)...].trimmingWhitespace()
            switch key {
            case "Name":
                status.name = unescapeStatusName(value)
            case "Uid":
                status.uid = value.split(whereSeparator: \.isWhitespace).first.flatMap { Int($0) }
            case "VmRSS":
                let parts = value.split(separator: " ", omittingEmptySubsequences: true)
                if let first = parts.first, let kilobytes = UInt64(first) {
                    status.residentBytes = kilobytes.multipliedReportingOverflow(by: 1024).partialValue
                }
            default:
                continue
            }
        }
        return status
    }

    /// The kernel escapes `\n` and `\\` in the `Name` line of `status`.
    private static func unescapeStatusName(_ value: Substring) -> String {
        var result = ""
        var escaped = false
        for character in value {
            if escaped {
                switch character {
                case "n": result.append("\n")
                case "\\": result.append("\\")
                default: result.append("\\"); result.append(character)
                }
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else {
                result.append(character)
            }
        }
        if escaped { result.append("\\") }
        return result
    }
}

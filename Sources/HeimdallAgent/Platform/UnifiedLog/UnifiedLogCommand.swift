#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HeimdallProtocol

/// The `log` command lines the unified-log reader runs, and the positions it resumes from.
///
/// Pure values and functions: any thread may call them.
enum UnifiedLogCommand {
    /// The processes whose records are read: those ``MacUnifiedLogParser`` classifies
    /// (OpenSSH, sudo, su, loginwindow, the authorization daemons, the installers).
    static let defaultProcesses = [
        "sshd", "sshd-session", "sshd-auth", "sudo", "su", "loginwindow", "authd", "authorizationhost", "SecurityAgent",
        "installer", "Installer", "installd", "system_installd", "softwareupdated",
    ]

    /// `process IN {"sshd", "sudo", ...}` (names are quoted; a `"` or `\` in a name is escaped).
    static func predicate(processes: [String]) -> String {
        let quoted = processes.map { name in
            "\"" + name.replacing("\\", with: "\\\\").replacing("\"", with: "\\\"") + "\""
        }
        return "process IN {\(quoted.joined(separator: ", "))}"
    }

    /// `log stream --style ndjson --predicate P`: new records as they are written.
    static func stream(predicate: String) -> [String] {
        ["stream", "--style", "ndjson", "--predicate", predicate]
    }

    /// `log show --style ndjson --predicate P --start POSITION`: the stored records from
    /// `position` (a second, inclusive) to now.
    static func show(predicate: String, from position: String) -> [String] {
        ["show", "--style", "ndjson", "--predicate", predicate, "--start", position]
    }

    /// The position (`YYYY-MM-DD HH:MM:SS±hhmm`, the form `log show --start` takes) of a
    /// record's `timestamp` (`2026-11-20 10:15:02.123456+0100`): the fraction is dropped,
    /// so resuming repeats the rest of that second (the ids make the repeats duplicates).
    /// `nil` when `timestamp` is not in that form.
    static func position(ofTimestamp timestamp: String) -> String? {
        let characters = Array(timestamp)
        guard characters.count >= 19 else { return nil }
        let pattern = Array("0000-00-00 00:00:00")
        for (character, expected) in zip(characters, pattern) {
            if expected == "0" ? !character.isASCIIDigit : character != expected { return nil }
        }
        var rest = characters[19...]
        if rest.first == "." {
            rest = rest.dropFirst().drop(while: \.isASCIIDigit)
        }
        let zone = String(rest)
        guard zone == "Z" || Self.isOffset(zone) else { return nil }
        return String(characters[0..<19]) + zone
    }

    /// The position of `date` in `timeZone`, e.g. `2026-11-20 10:15:02+0100`.
    static func position(of date: Date, timeZone: any UTCOffsets = HostTimeZone.shared) -> String {
        let instant = Int(date.timeIntervalSince1970.rounded(.down))
        let offset = timeZone.offset(atInstant: instant)
        let local = instant + offset
        let seconds = ((local % 86_400) + 86_400) % 86_400
        let (year, month, day) = RFC3339.civilDate(daysSinceEpoch: (local - seconds) / 86_400)
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let sign = offset < 0 ? "-" : "+"
        let zone = sign + two(abs(offset) / 3600) + two(abs(offset) % 3600 / 60)
        return "\(year)-\(two(month))-\(two(day)) \(two(seconds / 3600)):\(two(seconds % 3600 / 60)):\(two(seconds % 60))" + zone
    }

    private static func isOffset(_ zone: String) -> Bool {
        let characters = Array(zone.replacing(":", with: ""))
        guard characters.count == 5, characters[0] == "+" || characters[0] == "-" else { return false }
        return characters.dropFirst().allSatisfy(\.isASCIIDigit)
    }
}

extension Character {
    /// `0` to `9`.
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}

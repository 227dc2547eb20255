#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

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

    /// The position of `date` in `timeZone`, e.g. `2026-11-20 10:15:02+0100`. Without ICU
    /// (FoundationEssentials on Linux) `TimeZone.current` is GMT: the position is then the
    /// same instant written in UTC, which `log show --start` reads just as well.
    static func position(of date: Date, timeZone: TimeZone = .current) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        let offsetMinutes = timeZone.secondsFromGMT(for: date) / 60
        func padded(_ value: Int?, _ width: Int) -> String {
            let text = String(value ?? 0)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return padded(parts.year, 4) + "-" + padded(parts.month, 2) + "-" + padded(parts.day, 2) + " "
            + padded(parts.hour, 2) + ":" + padded(parts.minute, 2) + ":" + padded(parts.second, 2)
            + (offsetMinutes < 0 ? "-" : "+") + padded(abs(offsetMinutes) / 60, 2) + padded(abs(offsetMinutes) % 60, 2)
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

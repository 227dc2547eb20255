#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HeimdallProtocol

/// dpkg.log and apt history.log lines. Pure: any thread may call it.
enum DebianPackageLines {
    /// `2026-11-20 10:15:02 install nginx:amd64 <none> 1.24.0-1` (and `upgrade`, `remove`,
    /// `purge`, `configure`, `trigproc`, `status STATE pkg ver`, `startup ...`, `conffile ...`).
    static func dpkg(_ text: Substring, timeZone: any UTCOffsets) -> ParsedLine? {
        guard text.count > 20, let date = Timestamps.numeric(text.prefix(19), timeZone: timeZone), text.dropFirst(19).first == " " else {
            return nil
        }
        let words = text.dropFirst(20).split(separator: " ")
        guard let verb = words.first else { return nil }
        let message = text.dropFirst(20)
        switch (verb, words.count) {
        case ("install", 4...), ("upgrade", 4...):
            return PackageEvent.line(date, message, action: String(verb), fields: PackageEvent.fields(package: words[1], version: words[3], previous: words[2]))
        case ("remove", 3...), ("purge", 3...), ("configure", 3...), ("trigproc", 3...):
            return PackageEvent.line(date, message, action: String(verb), fields: PackageEvent.fields(package: words[1], version: words[2]))
        case ("status", 4...):
            var fields = PackageEvent.fields(package: words[2], version: words[3])
            fields.put("state", words[1])
            return PackageEvent.line(date, message, action: "status", fields: fields)
        case ("startup", _), ("conffile", _):
            return PackageEvent.line(date, message, action: String(verb))
        default:
            return GenericLine.other(String(text), timestamp: date)
        }
    }

    /// `Start-Date: 2026-11-20  10:15:02`, `Commandline: ...`, `Requested-By: alice (1000)`,
    /// `Install: a:amd64 (1.0), b:amd64 (2.0, automatic)`, `Upgrade: a:amd64 (1.0, 1.1)`,
    /// `Remove:`, `Purge:`, `Downgrade:`, `Reinstall:`, `Error: ...`, `End-Date: ...`.
    static func aptHistory(_ text: Substring, timeZone: any UTCOffsets) -> ParsedLine? {
        guard let colon = text.utf8Range(of: ": ") else { return nil }
        let key = text[..<colon.lowerBound]
        let value = text[colon.upperBound...].trimmingCharacters(where: \.isWhitespace)[...]
        switch key {
        case "Start-Date", "End-Date":
            guard let date = Timestamps.numeric(value, timeZone: timeZone) else { return nil }
            return PackageEvent.line(date, text, action: key == "Start-Date" ? "transaction_start" : "transaction_end")
        case "Commandline":
            return PackageEvent.line(nil, text, action: "command", fields: ["command": .string(String(value))])
        case "Requested-By":
            var fields: [String: JSONValue] = [:]
            fields.put("user", value.prefix { $0 != " " })
            return PackageEvent.line(nil, text, action: "requested", fields: fields)
        case "Error":
            return PackageEvent.line(nil, text, action: "error", severity: .medium,
                                     fields: ["outcome": .string(Outcome.failure.rawValue), "reason": .string(String(value))])
        case "Install", "Upgrade", "Remove", "Purge", "Downgrade", "Reinstall":
            let packages = packageList(value)
            guard let first = packages.first else { return nil }
            var fields = first
            fields["packages"] = .array(packages.map { .object($0) })
            fields["count"] = .number(Double(packages.count))
            return PackageEvent.line(nil, text, action: key.lowercased(), fields: fields)
        default:
            return nil
        }
    }

    /// `a:amd64 (1.0), b:amd64 (1.0, 1.1), c:amd64 (2.0, automatic)`.
    private static func packageList(_ text: Substring) -> [[String: JSONValue]] {
        var result: [[String: JSONValue]] = []
        var rest = text
        while let open = rest.utf8Range(of: " ("), let close = rest[open.upperBound...].firstIndex(of: ")") {
            let name = rest[..<open.lowerBound].drop { $0 == " " || $0 == "," }
            let versions = rest[open.upperBound..<close].split(separator: ",").map { $0.drop { $0 == " " } }.filter { $0 != "automatic" }
            let fields = versions.count >= 2
                ? PackageEvent.fields(package: name, version: versions[1], previous: versions[0])
                : PackageEvent.fields(package: name, version: versions.first)
            result.append(fields)
            rest = rest[rest.index(after: close)...]
        }
        return result
    }
}

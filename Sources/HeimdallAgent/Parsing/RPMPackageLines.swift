#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HeimdallProtocol

/// yum.log (`Nov 20 10:15:02 Installed: 1:nginx-1.20.1-1.el7.x86_64`) and dnf.log /
/// dnf.rpm.log (`2026-11-20T10:15:02+0000 SUBDEBUG Installed: nginx-1:1.20.1-10.el9.x86_64`)
/// lines. Pure: any thread may call it.
enum RPMPackageLines {
    private static let actions: [Substring: String] = [
        "Installed": "install", "Install": "install", "Updated": "upgrade", "Upgrade": "upgrade", "Upgraded": "upgrade",
        "Erased": "remove", "Erase": "remove", "Removed": "remove", "Reinstall": "reinstall", "Reinstalled": "reinstall",
        "Downgrade": "downgrade", "Downgraded": "downgrade", "Obsoleted": "remove", "Dep-Installed": "install",
    ]

    private static let architectures: Set<Substring> = ["x86_64", "noarch", "i686", "i386", "aarch64", "ppc64le", "s390x", "armv7hl", "src"]

    static func parse(_ text: Substring, now: Date, timeZone: any UTCOffsets) -> ParsedLine? {
        var rest = text
        let date: Date
        if let classic = SyslogLine.classicTimestamp(&rest, now: now, timeZone: timeZone) {
            date = classic
        } else if let token = rest.split(separator: " ", maxSplits: 1).first, let parsed = Timestamps.numeric(token, timeZone: timeZone) {
            date = parsed
            rest = rest.dropFirst(token.count)
            // dnf writes a level after the time: DEBUG, DDEBUG, SUBDEBUG, INFO.
            let level = rest.drop { $0 == " " }.prefix { $0 != " " }
            if level.allSatisfy({ $0.isUppercase }), !level.hasSuffix(":") { rest = rest.drop { $0 == " " }.dropFirst(level.count) }
        } else {
            return nil
        }
        let message = rest.drop { $0 == " " }
        if let command = message.dropPrefix("Command: ") {
            return PackageEvent.line(date, message, action: "command", fields: ["command": .string(String(command))])
        }
        guard let colon = message.utf8Range(of: ": "), let action = actions[message[..<colon.lowerBound]] else {
            return GenericLine.other(String(text), timestamp: date)
        }
        let nevra = message[colon.upperBound...].trimmingCharacters(where: \.isWhitespace)[...]
        let (name, version, arch) = split(nevra)
        let isOld = message.hasPrefix("Upgraded: ") || message.hasPrefix("Downgraded: ")
        var fields = isOld ? PackageEvent.fields(package: name, version: nil, previous: version, arch: arch)
            : PackageEvent.fields(package: name, version: version, arch: arch)
        fields["outcome"] = .string(Outcome.success.rawValue)
        return PackageEvent.line(date, message, action: action, fields: fields)
    }

    /// `[E:]name-[E:]version-release[.arch]` → name, `version-release` (no epoch), arch.
    static func split(_ nevra: Substring) -> (Substring, Substring?, Substring?) {
        var body = nevra
        var arch: Substring?
        if let dot = body.lastIndex(of: "."), architectures.contains(body[body.index(after: dot)...]) {
            arch = body[body.index(after: dot)...]
            body = body[..<dot]
        }
        if let colon = body.firstIndex(of: ":"), body[..<colon].allSatisfy({ $0.isASCII && $0.isNumber }) {
            body = body[body.index(after: colon)...]
        }
        guard let releaseDash = body.lastIndex(of: "-"), let versionDash = body[..<releaseDash].lastIndex(of: "-") else {
            return (body, nil, arch)
        }
        var version = body[body.index(after: versionDash)...]
        if let colon = version.firstIndex(of: ":") { version = version[version.index(after: colon)...] }
        guard version.first?.isNumber == true, body[body.index(after: releaseDash)...].first?.isNumber == true else {
            return (body, nil, arch)
        }
        return (body[..<versionDash], version, arch)
    }
}

/// pacman.log: `[2026-11-20T10:15:02+0100] [ALPM] installed nginx (1.24.0-1)`,
/// `upgraded nginx (1.24.0-1 -> 1.26.0-1)`, `removed`, `downgraded`, `reinstalled`, and
/// `[PACMAN] Running 'pacman -S nginx'`. Pure: any thread may call it.
enum PacmanLine {
    static func parse(_ text: Substring, timeZone: any UTCOffsets) -> ParsedLine? {
        guard text.first == "[", let close = text.firstIndex(of: "]"),
              let date = Timestamps.numeric(text[text.index(after: text.startIndex)..<close], timeZone: timeZone)
        else { return nil }
        var rest = text[text.index(after: close)...].drop { $0 == " " }
        var tag: Substring = ""
        if rest.first == "[", let tagClose = rest.firstIndex(of: "]") {
            tag = rest[rest.index(after: rest.startIndex)..<tagClose]
            rest = rest[rest.index(after: tagClose)...].drop { $0 == " " }
        }
        if tag == "PACMAN", let command = rest.dropPrefix("Running ") {
            return PackageEvent.line(date, rest, action: "command", fields: ["command": .string(command.trimmingCharacters(where: { $0 == "'" }))])
        }
        let words = rest.split(separator: " ", maxSplits: 2)
        let verbs: [Substring: String] = ["installed": "install", "upgraded": "upgrade", "removed": "remove", "downgraded": "downgrade", "reinstalled": "reinstall"]
        guard tag == "ALPM", words.count == 3, let action = verbs[words[0]], words[2].hasPrefix("("), words[2].hasSuffix(")") else {
            return GenericLine.other(String(text), timestamp: date)
        }
        let versions = words[2].dropFirst().dropLast().components(separatedBy: " -> ")
        var fields = versions.count == 2
            ? PackageEvent.fields(package: words[1], version: Substring(versions[1]), previous: Substring(versions[0]), arch: nil)
            : PackageEvent.fields(package: words[1], version: Substring(versions[0]), arch: nil)
        fields["outcome"] = .string(Outcome.success.rawValue)
        return PackageEvent.line(date, rest, action: action, fields: fields)
    }
}

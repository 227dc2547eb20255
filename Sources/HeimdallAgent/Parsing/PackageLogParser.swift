#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HeimdallProtocol

/// Parses package-manager logs: dpkg.log, apt's history.log, yum.log, dnf.log /
/// dnf.rpm.log and pacman.log. Installs, upgrades, removals are `software`/`info` with
/// `action`, `package`, `version` (and `previous_version`, `arch`); a failed apt run is
/// `software`/`medium`. Lines it does not recognize are `other`/`info`.
///
/// apt's history.log is multi-line (`Start-Date`, `Commandline`, `Requested-By`, `Install`,
/// `End-Date`); each line is one event on its own, without state carried between lines, so
/// a restart in the middle of an entry cannot lose or misattribute anything. Lines without a
/// date of their own (all but `Start-Date`/`End-Date`) get the time they were read.
///
/// Fields: `action`, `package`, `version`, `previous_version`, `arch`, `packages` (apt: an
/// array of `{package, version, previous_version, arch}`), `count`, `command`, `user`,
/// `outcome` (`success` on yum, dnf and pacman lines, which are written once the change is
/// done; dpkg and apt lines say what is being done, and a failure shows as apt's `Error:`).
/// A pure value: any thread may call it.
public struct PackageLogParser: LineParser {
    /// `linux.packages`.
    public let source = "linux.packages"
    /// The zone zone-less timestamps are interpreted in.
    public let timeZone: any UTCOffsets

    /// A parser reading zone-less times in `timeZone`.
    public init(timeZone: any UTCOffsets = HostTimeZone.shared) {
        self.timeZone = timeZone
    }

    /// Parses one package-log line; never fails.
    public func parse(_ line: String, readAt: Date) -> ParsedLine {
        let text = Substring(line)
        if let parsed = PacmanLine.parse(text, timeZone: timeZone) ?? DebianPackageLines.dpkg(text, timeZone: timeZone)
            ?? DebianPackageLines.aptHistory(text, timeZone: timeZone) ?? RPMPackageLines.parse(text, now: readAt, timeZone: timeZone) {
            return parsed
        }
        return GenericLine.other(line)
    }
}

/// What package lines are made of. Pure: any thread may call it.
enum PackageEvent {
    /// A `software` line with the given fields (an `action` always).
    static func line(_ date: Date?, _ message: Substring, action: String, severity: EventSeverity = .info,
                     fields extra: [String: JSONValue] = [:]) -> ParsedLine {
        var fields = extra
        fields["action"] = .string(action)
        return ParsedLine(timestamp: date, category: .software, severity: severity, message: String(message), fields: fields)
    }

    /// `{package, version, previous_version, arch}` for one package.
    static func fields(package: Substring, version: Substring?, previous: Substring? = nil, arch: Substring? = nil) -> [String: JSONValue] {
        var fields: [String: JSONValue] = [:]
        var name = package
        var architecture = arch
        if architecture == nil, let colon = package.lastIndex(of: ":") {
            name = package[..<colon]
            architecture = package[package.index(after: colon)...]
        }
        fields.put("package", name)
        if version != "<none>" { fields.put("version", version) }
        if previous != "<none>" { fields.put("previous_version", previous) }
        fields.put("arch", architecture)
        return fields
    }
}

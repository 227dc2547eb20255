#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HeimdallProtocol

/// Parses Pi-hole's dnsmasq log (pihole.log): `query[A] example.com from 192.168.1.5`,
/// `forwarded example.com to 1.1.1.1`, `reply example.com is 93.184.216.34`, `cached ...`,
/// `gravity blocked example.com is 0.0.0.0`, `/etc/pihole/gravity.list ads.example is 0.0.0.0`,
/// `regex blacklisted ...`, `exactly blacklisted ...`. All are `dns`: blocked queries
/// `low`, everything else `info`. Lines in dnsmasq's `log-queries=extra` form (`12
/// 192.168.1.5/53211 query[A] ...`) are read too. Other lines become `system`/`info`.
///
/// Fields: `action` (`query`, `forwarded`, `reply`, `cached`, `blocked`, ...), `query`,
/// `query_type`, `client_ip`, `answer`, `upstream`, `list`, `process`, `pid`. A pure value:
/// any thread may call it.
public struct PiholeLogParser: LineParser {
    /// `pihole`.
    public let source = "pihole"
    /// The zone classic timestamps are interpreted in.
    public let timeZone: any UTCOffsets

    /// A parser reading classic timestamps in `timeZone`.
    public init(timeZone: any UTCOffsets = HostTimeZone.shared) {
        self.timeZone = timeZone
    }

    /// Parses one pihole.log line; never fails.
    public func parse(_ line: String, readAt: Date) -> ParsedLine {
        ClassifiedLine.syslog(line, readAt: readAt, timeZone: timeZone) { Self.classify($0.message) }
    }

    private static let blockMarkers: [(String, String)] = [
        ("gravity blocked ", "gravity"), ("regex blacklisted ", "regex"), ("exactly blacklisted ", "blacklist"),
        ("regex blocked ", "regex"), ("exactly blocked ", "blacklist"), ("special domain ", "special"),
    ]

    static func classify(_ message: String) -> LineMatch? {
        var words = message.split(separator: " ")
        // log-queries=extra: `ID CLIENT/PORT ` before the usual text.
        if words.count > 3, Int(words[0]) != nil, words[1].contains("/") { words.removeFirst(2) }
        let text = words.joined(separator: " ")[...]
        var fields: [String: JSONValue] = [:]
        if let first = words.first, first.hasPrefix("query["), first.hasSuffix("]"), words.count >= 4, words[2] == "from" {
            fields["action"] = .string("query")
            fields.put("query_type", first.dropFirst("query[".count).dropLast())
            fields.put("query", words[1])
            fields.put("client_ip", ip: words[3])
            return LineMatch(.dns, .info, fields: fields)
        }
        for (marker, list) in blockMarkers {
            if let rest = text.dropPrefix(marker) {
                return blocked(rest, list: list)
            }
        }
        if let first = words.first, first.hasPrefix("/etc/pihole/") || first.hasPrefix("/etc/dnsmasq"), words.count >= 4, words[2] == "is" {
            return blocked(text.dropFirst(first.count + 1), list: String(first))
        }
        guard words.count >= 4, let verb = words.first else { return nil }
        let connector = words[2]
        switch (verb, connector) {
        case ("forwarded", "to"):
            fields["action"] = .string("forwarded")
            fields.put("query", words[1])
            fields.put("upstream", words[3])
        case ("reply", "is"), ("cached", "is"), ("config", "is"), ("cached-stale", "is"):
            fields["action"] = .string(verb == "cached-stale" ? "cached" : String(verb))
            fields.put("query", words[1])
            fields.put("answer", words[3])
        default:
            return nil
        }
        return LineMatch(.dns, .info, fields: fields)
    }

    /// `example.com is 0.0.0.0` after a block marker.
    private static func blocked(_ rest: Substring, list: String) -> LineMatch {
        let words = rest.split(separator: " ")
        var fields: [String: JSONValue] = ["action": .string("blocked"), "list": .string(list)]
        fields.put("query", words.first)
        if words.count >= 3, words[1] == "is" { fields.put("answer", words[2]) }
        return LineMatch(.dns, .low, fields: fields)
    }
}

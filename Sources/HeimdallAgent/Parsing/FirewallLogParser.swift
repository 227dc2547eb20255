#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HeimdallProtocol

/// Parses firewall logs: iptables/nftables kernel lines (`PREFIX IN=eth0 OUT= SRC=.. DST=..
/// PROTO=TCP SPT=.. DPT=..`, UFW's `[UFW BLOCK]`/`[UFW ALLOW]` among them) and pfSense /
/// OPNsense `filterlog` CSV (IPv4 and IPv6). A blocked packet is `firewall`/`low`, an
/// allowed or logged one `firewall`/`info`. Other lines become `system`/`info`.
///
/// `action` is `block` when the log prefix or the filterlog action says drop, reject,
/// block or deny, `allow` when it says accept, allow or pass, otherwise absent.
///
/// Fields: `src_ip`, `dst_ip`, `src_port`, `dst_port`, `protocol` (lowercase), `action`,
/// `interface`, `direction` (`in`/`out`), `rule`, `prefix`, `host`. A pure value: any thread may call it.
public struct FirewallLogParser: LineParser {
    /// `linux.firewall`.
    public let source = "linux.firewall"
    /// The zone classic timestamps are interpreted in.
    public let timeZone: any UTCOffsets

    /// A parser reading classic timestamps in `timeZone`.
    public init(timeZone: any UTCOffsets = HostTimeZone.shared) {
        self.timeZone = timeZone
    }

    /// Parses one firewall line; never fails.
    public func parse(_ line: String, readAt: Date) -> ParsedLine {
        let header = SyslogLine.parse(line, now: readAt, timeZone: timeZone)
        let message = header?.message ?? line
        let match = header?.program == "filterlog" ? FilterlogCSV.parse(Substring(message)) : Self.packetLog(Substring(message))
        guard let match else { return GenericLine.parsed(line, header: header) }
        let base = header?.baseFields ?? [:]
        return ParsedLine(
            timestamp: header?.timestamp, category: match.category, severity: match.severity, message: message,
            fields: base.merging(match.fields) { base, _ in base }
        )
    }

    /// An iptables/nftables `KEY=VALUE` packet line after an optional uptime and prefix.
    static func packetLog(_ message: Substring) -> LineMatch? {
        let text = KernelMessages.withoutUptime(message)
        guard let inRange = text.utf8Range(of: "IN="), text.contains(" SRC="), text.contains(" DST=") else { return nil }
        let prefix = text[..<inRange.lowerBound].trimmingCharacters(where: \.isWhitespace)
        var values: [Substring: Substring] = [:]
        for token in text[inRange.lowerBound...].split(separator: " ") {
            guard let equals = token.firstIndex(of: "=") else { continue }
            values[token[..<equals]] = token[token.index(after: equals)...]
        }
        var fields: [String: JSONValue] = [:]
        fields.put("src_ip", ip: values["SRC"])
        fields.put("dst_ip", ip: values["DST"])
        fields.put("src_port", number: values["SPT"].flatMap { Int($0) })
        fields.put("dst_port", number: values["DPT"].flatMap { Int($0) })
        fields.put("protocol", values["PROTO"]?.lowercased())
        let inbound = values["IN"].map { !$0.isEmpty } ?? false
        fields.put("interface", inbound ? values["IN"] : values["OUT"])
        let direction: String? = inbound ? "in" : (values["OUT"]?.isEmpty == false ? "out" : nil)
        fields.put("direction", direction)
        fields.put("prefix", prefix.trimmingCharacters(where: { "[] :".contains($0) }))
        let action = FirewallAction.from(prefix)
        fields.put("action", action?.rawValue)
        return LineMatch(.firewall, action == .block ? .low : .info, fields: fields)
    }
}

/// A firewall verdict, read from free text.
enum FirewallAction: String {
    case block, allow

    /// `block` for drop/reject/block/deny, `allow` for accept/allow/pass, else `nil`.
    static func from(_ text: String) -> FirewallAction? {
        let lower = text.lowercased()
        if ["drop", "reject", "block", "deny"].contains(where: lower.contains) { return .block }
        if ["accept", "allow", "pass"].contains(where: lower.contains) { return .allow }
        return nil
    }
}

/// pfSense / OPNsense `filterlog` CSV:
/// `rule,subrule,anchor,tracker,iface,reason,action,dir,4,tos,ecn,ttl,id,offset,flags,protonum,proto,len,src,dst[,sport,dport,...]`
/// or `...,dir,6,class,flowlabel,hoplimit,proto,protonum,len,src,dst[,sport,dport,...]`.
/// Pure: any thread may call it.
enum FilterlogCSV {
    static func parse(_ text: Substring) -> LineMatch? {
        let columns = text.split(separator: ",", omittingEmptySubsequences: false)
        guard columns.count >= 9 else { return nil }
        let layout: (proto: Int, src: Int)
        switch columns[8] {
        case "4": layout = (16, 18)
        case "6": layout = (12, 15)
        default: return nil
        }
        guard columns.count > layout.src + 1 else { return nil }
        var fields: [String: JSONValue] = [:]
        fields.put("rule", columns[0])
        fields.put("tracker", columns[3])
        fields.put("interface", columns[4])
        fields.put("reason", columns[5])
        fields.put("direction", columns[7])
        let protocolName = columns[layout.proto].lowercased()
        fields.put("protocol", protocolName)
        fields.put("src_ip", ip: columns[layout.src])
        fields.put("dst_ip", ip: columns[layout.src + 1])
        if protocolName == "tcp" || protocolName == "udp", columns.count > layout.src + 3 {
            fields.put("src_port", number: Int(columns[layout.src + 2]))
            fields.put("dst_port", number: Int(columns[layout.src + 3]))
        }
        let action = FirewallAction.from(String(columns[6]))
        fields.put("action", action?.rawValue)
        return LineMatch(.firewall, action == .block ? .low : .info, fields: fields)
    }
}

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HeimdallProtocol

/// The header of a syslog line as written to files by rsyslog / syslog-ng:
/// classic `Nov 20 10:15:02 host prog[pid]: msg`, RFC 3339
/// `2026-11-20T10:15:02.123456+01:00 host prog[pid]: msg` (also journalctl's short-iso
/// `+0100` offsets), a leading `<PRI>`, RFC 5424 (`<134>1 TS HOST APP PROCID MSGID SD MSG`),
/// and lines without a host (`Nov 20 10:15:02 dnsmasq[12]: msg`, host empty).
///
/// Pure parsing: any thread may call it.
public struct SyslogLine: Sendable, Hashable {
    /// The timestamp (classic ones get an inferred year; see ``inferDate(month:day:hour:minute:second:now:timeZone:)``).
    public var timestamp: Date?
    /// The host name field (empty when the line has none, e.g. dnsmasq's own log).
    public var host: String
    /// The program (tag without `[pid]` and colon), `nil` when the line has no tag.
    public var program: String?
    /// The process id in the tag, if any.
    public var pid: Int?
    /// The text after the tag (or after the host when there is no tag).
    public var message: String

    /// Builds a header value.
    public init(timestamp: Date?, host: String, program: String?, pid: Int?, message: String) {
        self.timestamp = timestamp
        self.host = host
        self.program = program
        self.pid = pid
        self.message = message
    }

    /// `host` (unless the line has none), `process` and `pid` as event fields.
    public var baseFields: [String: JSONValue] {
        var fields: [String: JSONValue] = [:]
        if !host.isEmpty { fields["host"] = .string(host) }
        if let program { fields["process"] = .string(program) }
        if let pid { fields["pid"] = .number(Double(pid)) }
        return fields
    }

    /// Parses the header of `line`, or returns `nil` when it has no recognizable one.
    ///
    /// - Parameters:
    ///   - now: when the line was read; a classic timestamp gets this year, or the previous
    ///     one when this year would put it more than a day after `now`.
    ///   - timeZone: the zone classic timestamps are written in (the host's).
    public static func parse(_ line: String, now: Date, timeZone: TimeZone) -> SyslogLine? {
        var rest = Substring(line)
        let structured = dropPriority(&rest)
        let timestamp: Date
        if let classic = classicTimestamp(&rest, now: now, timeZone: timeZone) {
            timestamp = classic
        } else if let token = rest.split(separator: " ", maxSplits: 1).first,
                  let parsed = RFC3339.parse(String(token)) ?? (token.contains("T") ? Timestamps.numeric(token, timeZone: timeZone) : nil) {
            timestamp = parsed
            rest = rest.dropFirst(token.count)
        } else {
            return nil
        }
        guard rest.first == " " else { return nil }
        rest = rest.dropFirst()
        guard let hostEnd = rest.firstIndex(of: " "), hostEnd != rest.startIndex else { return nil }
        let host = rest[..<hostEnd]
        if structured { return rfc5424(timestamp: timestamp, host: String(host), rest[rest.index(after: hostEnd)...]) }
        // dnsmasq, yum and others write no host: `Nov 20 10:15:02 dnsmasq[12]: msg`.
        if host.hasSuffix(":"), host.count > 1 {
            let (program, pid, message) = splitTag(rest)
            return SyslogLine(timestamp: timestamp, host: "", program: program, pid: pid, message: message)
        }
        rest = rest[rest.index(after: hostEnd)...]
        let (program, pid, message) = splitTag(rest)
        return SyslogLine(timestamp: timestamp, host: String(host), program: program, pid: pid, message: message)
    }

    /// Drops a leading `<PRI>` (and the RFC 5424 version `1 `); true when it was RFC 5424.
    private static func dropPriority(_ rest: inout Substring) -> Bool {
        guard rest.first == "<", let close = rest.prefix(6).firstIndex(of: ">"),
              rest[rest.index(after: rest.startIndex)..<close].allSatisfy({ $0.isASCII && $0.isNumber })
        else { return false }
        rest = rest[rest.index(after: close)...]
        if rest.hasPrefix("1 ") {
            rest = rest.dropFirst(2)
            return true
        }
        return false
    }

    /// `APP PROCID MSGID SD MSG` after the RFC 5424 host (`-` is the nil value).
    private static func rfc5424(timestamp: Date, host: String, _ rest: Substring) -> SyslogLine {
        let parts = rest.split(separator: " ", maxSplits: 3, omittingEmptySubsequences: false)
        guard parts.count == 4 else { return SyslogLine(timestamp: timestamp, host: host, program: nil, pid: nil, message: String(rest)) }
        var message = parts[3]
        if message.hasPrefix("-") {
            message = message.dropFirst()
        } else {
            message = dropStructuredData(message)
        }
        message = message.drop { $0 == " " }
        if message.hasPrefix("\u{FEFF}") { message = message.dropFirst() }
        return SyslogLine(
            timestamp: timestamp, host: host == "-" ? "" : host, program: parts[0] == "-" ? nil : String(parts[0]),
            pid: Int(parts[1]), message: String(message)
        )
    }

    /// `text` after its RFC 5424 structured-data elements (`[id k="v \\] x"][id2 k="w"]`).
    private static func dropStructuredData(_ text: Substring) -> Substring {
        var rest = text
        while rest.first == "[" {
            var index = rest.index(after: rest.startIndex)
            var inQuotes = false
            var escaped = false
            while index < rest.endIndex {
                let character = rest[index]
                if escaped {
                    escaped = false
                } else if character == "\\" {
                    escaped = true
                } else if character == "\"" {
                    inQuotes.toggle()
                } else if character == "]", !inQuotes {
                    break
                }
                index = rest.index(after: index)
            }
            guard index < rest.endIndex else { return text }
            rest = rest[rest.index(after: index)...]
        }
        return rest
    }

    /// The date for a classic timestamp without year: in `timeZone`, this year (of `now`),
    /// or the previous year when this year's date would be more than a day after `now`
    /// (a December line read in January). `nil` for an impossible date.
    public static func inferDate(month: Int, day: Int, hour: Int, minute: Int, second: Int, now: Date, timeZone: TimeZone) -> Date? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let year = calendar.component(.year, from: now)
        func make(_ year: Int) -> Date? {
            let components = DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: min(second, 59))
            guard let date = calendar.date(from: components),
                  calendar.component(.month, from: date) == month, calendar.component(.day, from: date) == day
            else { return nil }
            return date
        }
        if let date = make(year), date.timeIntervalSince(now) <= 86_400 { return date }
        return make(year - 1)
    }

    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// `Mmm dd hh:mm:ss` (day space- or zero-padded); consumes it from `rest`.
    static func classicTimestamp(_ rest: inout Substring, now: Date, timeZone: TimeZone) -> Date? {
        let bytes = Array(rest.utf8.prefix(16))
        guard bytes.count >= 15, let month = months.firstIndex(where: { $0.utf8.elementsEqual(bytes[0..<3]) }),
              bytes[3] == UInt8(ascii: " "), bytes[6] == UInt8(ascii: " "),
              bytes[9] == UInt8(ascii: ":"), bytes[12] == UInt8(ascii: ":")
        else { return nil }
        let dayBytes = bytes[4] == UInt8(ascii: " ") ? bytes[5..<6] : bytes[4..<6]
        guard let day = digits(dayBytes), let hour = digits(bytes[7..<9]), let minute = digits(bytes[10..<12]),
              let second = digits(bytes[13..<15]), hour < 24, minute < 60, second <= 60,
              let date = inferDate(month: month + 1, day: day, hour: hour, minute: minute, second: second, now: now, timeZone: timeZone)
        else { return nil }
        rest = rest.dropFirst(15)
        return date
    }

    private static func digits(_ bytes: ArraySlice<UInt8>) -> Int? {
        var value = 0
        for byte in bytes {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return bytes.isEmpty ? nil : value
    }

    /// Splits `prog[pid]: message` / `prog: message`; no tag gives `(nil, nil, rest)`.
    private static func splitTag(_ rest: Substring) -> (String?, Int?, String) {
        let tagEnd = rest.firstIndex(of: " ") ?? rest.endIndex
        var tag = rest[..<tagEnd]
        guard tag.hasSuffix(":"), tag.count > 1 else { return (nil, nil, String(rest)) }
        tag = tag.dropLast()
        // sudo pads its message (`sudo:    alice : TTY=...`): the padding is not content.
        let message = tagEnd < rest.endIndex ? String(rest[rest.index(after: tagEnd)...].drop(while: { $0 == " " })) : ""
        if tag.hasSuffix("]"), let open = tag.lastIndex(of: "["), open != tag.startIndex {
            let pidText = tag[tag.index(after: open)..<tag.index(before: tag.endIndex)]
            return (String(tag[..<open]), Int(pidText), message)
        }
        return (String(tag), nil, message)
    }
}

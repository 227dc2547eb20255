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
        addBaseFields(to: &fields)
        return fields
    }

    /// Adds the ``baseFields`` `fields` does not already have (a classifier's own `process`
    /// or `pid`, e.g. the process a crash names, wins).
    func addBaseFields(to fields: inout [String: JSONValue]) {
        // `merge` finds or inserts with one hash of the key; the value already there wins.
        if !host.isEmpty { fields.merge(CollectionOfOne(("host", .string(host)))) { present, _ in present } }
        if let program { fields.merge(CollectionOfOne(("process", .string(program)))) { present, _ in present } }
        if let pid { fields.merge(CollectionOfOne(("pid", .number(Double(pid))))) { present, _ in present } }
    }

    /// Parses the header of `line`, or returns `nil` when it has no recognizable one.
    ///
    /// - Parameters:
    ///   - now: when the line was read; a classic timestamp gets this year, or the previous
    ///     one when this year would put it more than a day after `now`.
    ///   - timeZone: the zone classic timestamps are written in (the host's).
    public static func parse(_ line: String, now: Date, timeZone: any UTCOffsets) -> SyslogLine? {
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
        guard rest.utf8.first == UInt8(ascii: " ") else { return nil }
        rest = rest[rest.utf8.index(after: rest.startIndex)...]
        guard let hostEnd = rest.firstIndex(ofByte: UInt8(ascii: " ")), hostEnd != rest.startIndex else { return nil }
        let host = rest[..<hostEnd]
        if structured { return rfc5424(timestamp: timestamp, host: String(host), rest[rest.utf8.index(after: hostEnd)...]) }
        // dnsmasq, yum and others write no host: `Nov 20 10:15:02 dnsmasq[12]: msg`.
        if isTag(host) {
            let (program, pid, message) = splitTag(rest)
            return SyslogLine(timestamp: timestamp, host: "", program: program, pid: pid, message: message)
        }
        rest = rest[rest.utf8.index(after: hostEnd)...]
        let (program, pid, message) = splitTag(rest)
        return SyslogLine(timestamp: timestamp, host: String(host), program: program, pid: pid, message: message)
    }

    /// Drops a leading `<PRI>` (and the RFC 5424 version `1 `); true when it was RFC 5424.
    private static func dropPriority(_ rest: inout Substring) -> Bool {
        // The byte test first: nearly no line starts with `<`, and it spares a grapheme break.
        guard rest.utf8.first == UInt8(ascii: "<"), rest.first == "<", let close = rest.prefix(6).firstIndex(of: ">"),
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
    public static func inferDate(month: Int, day: Int, hour: Int, minute: Int, second: Int, now: Date, timeZone: any UTCOffsets) -> Date? {
        let year = LocalClock.year(atInstant: LocalClock.instant(of: now), in: timeZone)
        func make(_ year: Int) -> Date? {
            guard let local = LocalClock.seconds(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
            else { return nil }
            return LocalClock.date(instant: LocalClock.instant(ofLocal: local, in: timeZone))
        }
        if let date = make(year), date.timeIntervalSince(now) <= 86_400 { return date }
        return make(year - 1)
    }

    /// `Mmm dd hh:mm:ss` (day space- or zero-padded); consumes it from `rest`.
    static func classicTimestamp(_ rest: inout Substring, now: Date, timeZone: any UTCOffsets) -> Date? {
        let stamp = rest.utf8.withContiguousStorageIfAvailable { ClassicStamp($0) } ?? ClassicStamp(Array(rest.utf8.prefix(15)))
        guard let stamp,
              let date = inferDate(month: stamp.month, day: stamp.day, hour: stamp.hour, minute: stamp.minute, second: stamp.second,
                                   now: now, timeZone: timeZone)
        else { return nil }
        rest = rest[rest.utf8.index(rest.startIndex, offsetBy: 15)...]
        return date
    }

    /// Whether `token` is a `prog[pid]:` / `prog:` tag: it ends with a colon that is not all of it.
    private static func isTag(_ token: Substring) -> Bool {
        guard token.utf8.last == UInt8(ascii: ":") else { return false }
        return token.index(after: token.startIndex) < token.endIndex
    }

    /// Splits `prog[pid]: message` / `prog: message`; no tag gives `(nil, nil, rest)`.
    private static func splitTag(_ rest: Substring) -> (String?, Int?, String) {
        let tagEnd = rest.firstIndex(ofByte: UInt8(ascii: " ")) ?? rest.endIndex
        var tag = rest[..<tagEnd]
        guard isTag(tag) else { return (nil, nil, String(rest)) }
        tag = tag[..<tag.utf8.index(before: tag.endIndex)]
        // sudo pads its message (`sudo:    alice : TTY=...`): the padding is not content.
        let message = tagEnd < rest.endIndex ? String(rest[rest.utf8.index(after: tagEnd)...].dropping(leading: UInt8(ascii: " "))) : ""
        if tag.utf8.last == UInt8(ascii: "]"), let open = tag.lastIndex(ofByte: UInt8(ascii: "[")), open != tag.startIndex {
            let pidText = tag[tag.utf8.index(after: open)..<tag.utf8.index(before: tag.endIndex)]
            return (String(tag[..<open]), Int(pidText), message)
        }
        return (String(tag), nil, message)
    }
}

/// The parts of a classic syslog timestamp, `Mmm dd hh:mm:ss` (day space- or zero-padded),
/// read from its first 15 bytes. A plain value.
struct ClassicStamp {
    private static let months: [UInt32] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"].map {
        $0.utf8.reduce(0) { $0 << 8 | UInt32($1) }
    }

    var month: Int
    var day: Int
    var hour: Int
    var minute: Int
    var second: Int

    /// `nil` unless `bytes` starts with such a timestamp.
    init?(_ bytes: some RandomAccessCollection<UInt8>) {
        guard bytes.count >= 15 else { return nil }
        let base = bytes.startIndex
        func at(_ offset: Int) -> UInt8 { bytes[bytes.index(base, offsetBy: offset)] }
        func digit(_ offset: Int) -> Int? {
            let byte = at(offset)
            return byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") ? Int(byte - UInt8(ascii: "0")) : nil
        }
        func pair(_ offset: Int) -> Int? {
            guard let tens = digit(offset), let ones = digit(offset + 1) else { return nil }
            return tens * 10 + ones
        }
        let key = UInt32(at(0)) << 16 | UInt32(at(1)) << 8 | UInt32(at(2))
        guard let month = Self.months.firstIndex(of: key), at(3) == UInt8(ascii: " "), at(6) == UInt8(ascii: " "),
              at(9) == UInt8(ascii: ":"), at(12) == UInt8(ascii: ":"),
              let day = at(4) == UInt8(ascii: " ") ? digit(5) : pair(4),
              let hour = pair(7), let minute = pair(10), let second = pair(13), hour < 24, minute < 60, second <= 60
        else { return nil }
        self.month = month + 1
        self.day = day
        self.hour = hour
        self.minute = minute
        self.second = second
    }
}

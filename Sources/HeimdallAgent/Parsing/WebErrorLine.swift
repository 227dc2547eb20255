#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HeimdallProtocol

/// nginx (`2026/11/20 10:15:02 [error] 1234#1234: *5 msg, client: IP, server: x, request:
/// "GET / HTTP/1.1"`) and Apache (`[Fri Nov 20 10:15:02.123 2026] [core:error] [pid 1234]
/// [client IP:port] msg`) error-log lines. Pure: any thread may call it.
enum WebErrorLine {
    /// The parsed line, or `nil` when it is neither server's error format.
    static func parse(_ line: String, timeZone: any UTCOffsets) -> ParsedLine? {
        nginx(line, timeZone: timeZone) ?? apache(line, timeZone: timeZone)
    }

    private static func nginx(_ line: String, timeZone: any UTCOffsets) -> ParsedLine? {
        let text = Substring(line)
        guard text.count > 21, let date = Timestamps.numeric(text.prefix(19), timeZone: timeZone) else { return nil }
        let rest = text.dropFirst(20)
        guard rest.first == "[", let close = rest.firstIndex(of: "]") else { return nil }
        let level = rest[rest.index(after: rest.startIndex)..<close]
        var message = rest[rest.index(after: close)...].drop { $0 == " " }
        var fields: [String: JSONValue] = ["level": .string(String(level))]
        if let hash = message.firstIndex(of: "#"), let pid = Int(message[..<hash]), let colon = message.utf8Range(of: ": ") {
            fields.put("pid", number: pid)
            message = message[colon.upperBound...]
        }
        for (key, name) in [("client: ", "src_ip"), ("server: ", "server")] {
            if let range = message.utf8Range(of: ", " + key) ?? (message.hasPrefix(key) ? message.utf8Range(of: key) : nil) {
                let value = message[range.upperBound...].prefix { $0 != "," }
                if name == "src_ip" { fields.put(name, ip: value) } else { fields.put(name, value) }
            }
        }
        if let range = message.utf8Range(of: "request: \"") {
            let request = message[range.upperBound...].prefix { $0 != "\"" }.split(separator: " ")
            if request.count >= 2 {
                fields.put("method", request[0])
                fields.put("url", request[1])
            }
        }
        return finish(String(message), date: date, level: level, fields: fields, target: fields["url"]?.stringValue)
    }

    private static func apache(_ line: String, timeZone: any UTCOffsets) -> ParsedLine? {
        let tokens = LogTokens.split(line[...])
        guard tokens.count >= 2, tokens[0].delimited, tokens[1].delimited,
              let date = Timestamps.ctime(tokens[0].text, timeZone: timeZone)
        else { return nil }
        let level = tokens[1].text.split(separator: ":").last ?? tokens[1].text
        var fields: [String: JSONValue] = ["level": .string(String(level))]
        var consumed = 2
        for token in tokens.dropFirst(2).prefix(3) where token.delimited {
            if let pid = token.text.dropPrefix("pid ") {
                fields.put("pid", number: Int(pid.prefix { $0.isASCII && $0.isNumber }))
            } else if let client = token.text.dropPrefix("client ") {
                addClient(client, to: &fields)
            } else {
                break
            }
            consumed += 1
        }
        // The message is everything after the last leading bracket group.
        var message = Substring(line)
        for _ in 0..<consumed {
            guard let close = message.firstIndex(of: "]") else { break }
            message = message[message.index(after: close)...].drop { $0 == " " }
        }
        return finish(String(message), date: date, level: level, fields: fields, target: String(message))
    }

    /// `IP`, `IP:port` or `IPv6:port`.
    private static func addClient(_ text: Substring, to fields: inout [String: JSONValue]) {
        if IPAddress.isValid(text) {
            fields.put("src_ip", text)
        } else if let colon = text.lastIndex(of: ":"), IPAddress.isValid(text[..<colon]) {
            fields.put("src_ip", text[..<colon])
            fields.put("src_port", number: Int(text[text.index(after: colon)...]))
        }
    }

    private static func finish(_ message: String, date: Date, level: Substring, fields: [String: JSONValue], target: String?) -> ParsedLine {
        var fields = fields
        var severity: EventSeverity
        switch level {
        case "emerg", "alert", "crit": severity = .medium
        case "error", "warn": severity = .low
        default: severity = .info
        }
        if let finding = WebAttacks.detect(target: target, userAgent: nil) {
            severity = .high
            finding.record(in: &fields)
        }
        return ParsedLine(timestamp: date, category: .web, severity: severity, message: message, fields: fields)
    }
}

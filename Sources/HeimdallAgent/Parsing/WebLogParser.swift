#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HeimdallProtocol

/// Parses nginx and Apache logs: the combined/common access-log format (optionally
/// preceded by a virtual host) and both servers' error logs. 2xx/3xx are `web`/`info`,
/// 4xx `web`/`low`, 5xx `web`/`medium`; a request that looks like SQL injection, XSS, path
/// traversal or a scanner is `web`/`high` with `attack`. Unreadable lines are `other`/`info`.
///
/// Fields: `src_ip`, `user`, `method`, `url`, `http_version`, `status`, `bytes`, `referrer`,
/// `user_agent`, `vhost`, `attack`, `attack_pattern`; error logs: `level`, `pid`, `server`,
/// `src_port`. A pure value: any thread may call it.
public struct WebLogParser: LineParser {
    /// `linux.web`.
    public let source = "linux.web"
    /// The zone error-log times (written without offset) are interpreted in.
    public let timeZone: any UTCOffsets

    /// A parser reading zone-less times in `timeZone`.
    public init(timeZone: any UTCOffsets = HostTimeZone.shared) {
        self.timeZone = timeZone
    }

    /// Parses one access- or error-log line; never fails.
    public func parse(_ line: String, readAt: Date) -> ParsedLine {
        if let access = access(line) { return access }
        if let error = WebErrorLine.parse(line, timeZone: timeZone) { return error }
        return GenericLine.other(line)
    }

    /// `[vhost ]IP IDENT USER [time] "request" status bytes["referrer" "agent"]`.
    private func access(_ line: String) -> ParsedLine? {
        let tokens = LogTokens.split(line[...])
        guard let start = (0...1).first(where: { tokens.count >= $0 + 7 && isClient(tokens[$0]) && tokens[$0 + 3].delimited }),
              let timestamp = Timestamps.accessLog(tokens[start + 3].text, timeZone: timeZone),
              let status = Int(tokens[start + 5].text), (100...999).contains(status)
        else { return nil }
        var fields: [String: JSONValue] = ["status": .number(Double(status))]
        fields.put("src_ip", ip: tokens[start].text)
        fields.put("user", tokens[start + 2].text)
        if start == 1 { fields.put("vhost", tokens[0].text) }
        fields.put("bytes", number: Int(tokens[start + 6].text))
        let request = tokens[start + 4].text
        let parts = request.split(separator: " ")
        if parts.count == 3 || parts.count == 2, parts[0].allSatisfy({ $0.isASCII && $0.isUppercase }) {
            fields.put("method", parts[0])
            fields.put("url", parts[1])
            if parts.count == 3 { fields.put("http_version", parts[2]) }
        } else {
            fields.put("request", request)
        }
        if tokens.count > start + 8 {
            fields.put("referrer", tokens[start + 7].text)
            fields.put("user_agent", tokens[start + 8].text)
        }
        var severity: EventSeverity = status >= 500 ? .medium : status >= 400 ? .low : .info
        let target = fields["url"]?.stringValue ?? String(request)
        if let finding = WebAttacks.detect(target: target, userAgent: fields["user_agent"]?.stringValue) {
            severity = .high
            finding.record(in: &fields)
        }
        let message = "\(request) \(status)"
        return ParsedLine(timestamp: timestamp, category: .web, severity: severity, message: message, fields: fields)
    }

    private func isClient(_ token: LogTokens.Token) -> Bool {
        !token.delimited && IPAddress.isValid(token.text)
    }
}

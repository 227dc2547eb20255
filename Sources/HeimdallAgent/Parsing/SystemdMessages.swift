#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HeimdallProtocol

/// Recognizes systemd's unit failures (`Failed to start`, `Main process exited`, `entered
/// failed state`, `Failed with result`, `Start request repeated too quickly`, scheduled
/// restarts), systemd-coredump reports and journald's unclean-shutdown notice.
/// Pure: any thread may call it.
enum SystemdMessages {
    /// The match for a systemd (PID 1 or user manager) message, or `nil`.
    static func classify(_ message: String) -> LineMatch? {
        let text = Substring(message)
        if let rest = text.dropPrefix("Failed to start ") {
            return failure(.medium, service: unitOrDescription(rest), action: "start_failed")
        }
        if let rest = text.dropPrefix("Unit "), let end = rest.utf8Range(of: " entered failed state") {
            return failure(.medium, service: rest[..<end.lowerBound], action: "failed")
        }
        guard let colon = text.utf8Range(of: ": ") else { return nil }
        let unit = text[..<colon.lowerBound]
        let rest = text[colon.upperBound...]
        guard isUnitName(unit) else { return nil }
        if let exit = rest.dropPrefix("Main process exited, ") {
            return mainProcessExited(unit: unit, exit)
        }
        if rest.hasPrefix("Start request repeated too quickly") {
            return failure(.high, service: unit, action: "restart_limit")
        }
        if rest.hasPrefix("Unit entered failed state") || rest.hasPrefix("Failed with result") {
            var match = failure(.medium, service: unit, action: "failed")
            if let result = rest.split(separator: "'").dropFirst().first { match.fields.put("reason", result) }
            return match
        }
        if rest.hasPrefix("Scheduled restart job") {
            return LineMatch(.service, .low, fields: ["service": .string(String(unit)), "action": .string("restart")])
        }
        return nil
    }

    /// `Process 1234 (name) of user 33 dumped core.`
    static func coredump(_ message: String) -> LineMatch? {
        guard let rest = Substring(message).dropPrefix("Process "), message.contains("dumped core") else { return nil }
        let digits = rest.prefix { $0.isASCII && $0.isNumber }
        guard let pid = Int(digits), let open = rest.firstIndex(of: "("), let close = rest.firstIndex(of: ")"), open < close else { return nil }
        var fields: [String: JSONValue] = ["action": .string("core_dump")]
        fields.put("process", rest[rest.index(after: open)..<close])
        fields.put("pid", number: pid)
        return LineMatch(.crash, .high, fields: fields)
    }

    /// `File /var/log/journal/... corrupted or uncleanly shut down, renaming and replacing.`
    static func journald(_ message: String) -> LineMatch? {
        guard message.contains("uncleanly shut down") else { return nil }
        return LineMatch(.system, .medium, fields: ["action": .string("unclean_shutdown")])
    }

    /// `code=exited, status=1/FAILURE`: a dump is a crash, anything else a service failure.
    private static func mainProcessExited(unit: Substring, _ exit: Substring) -> LineMatch {
        var code: Substring?
        var status: Substring?
        for pair in exit.split(separator: ",").map({ $0.trimmingCharacters(where: \.isWhitespace) }) {
            if pair.hasPrefix("code=") { code = Substring(pair.dropFirst(5)) }
            if pair.hasPrefix("status=") { status = Substring(pair.dropFirst(7)) }
        }
        let dumped = code == "dumped"
        var match = dumped ? LineMatch(.crash, .high, fields: ["service": .string(String(unit)), "outcome": .string("failure")])
            : failure(.medium, service: unit, action: "exited")
        match.fields["action"] = .string(dumped ? "core_dump" : "exited")
        match.fields.put("exit_code", code)
        match.fields.put("exit_status", status)
        return match
    }

    private static func failure(_ severity: EventSeverity, service: Substring, action: String) -> LineMatch {
        var fields: [String: JSONValue] = ["action": .string(action), "outcome": .string(Outcome.failure.rawValue)]
        fields.put("service", service)
        return LineMatch(.service, severity, fields: fields)
    }

    /// `nginx.service - A high performance web server.` → `nginx.service`; a plain
    /// description (`Nginx web server.`) is kept without its final dot.
    private static func unitOrDescription(_ text: Substring) -> Substring {
        if let dash = text.utf8Range(of: " - "), isUnitName(text[..<dash.lowerBound]) { return text[..<dash.lowerBound] }
        return text.hasSuffix(".") ? text.dropLast() : text
    }

    private static let unitSuffixes = [".service", ".socket", ".timer", ".mount", ".target", ".path", ".scope", ".slice", ".device", ".swap", ".automount"]

    private static func isUnitName(_ text: Substring) -> Bool {
        !text.isEmpty && !text.contains(" ") && unitSuffixes.contains { text.hasSuffix($0) }
    }
}

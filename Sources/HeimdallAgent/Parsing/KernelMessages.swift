#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HeimdallProtocol

/// Recognizes Linux kernel messages: panics, oopses and BUGs, OOM kills, segfaults and
/// traps, machine-check and other hardware errors, boots and reboots. Pure: any thread may call it.
enum KernelMessages {
    /// The match for a kernel message (with or without its `[  123.456789]` uptime), or `nil`.
    static func classify(_ message: String) -> LineMatch? {
        let text = withoutUptime(Substring(message))
        if let rest = text.dropPrefix("Kernel panic - not syncing") {
            return LineMatch(.crash, .critical, fields: fields(action: "kernel_panic", reason: rest.drop { $0 == ":" || $0 == " " }))
        }
        if let oom = outOfMemory(text) { return oom }
        if let fault = userFault(text) { return fault }
        for prefix in ["BUG: ", "kernel BUG at ", "Oops: ", "Oops ", "general protection fault", "Unable to handle kernel"]
        where text.hasPrefix(prefix) {
            return LineMatch(.crash, .high, fields: fields(action: "kernel_oops", reason: text))
        }
        if text.contains("[Hardware Error]") || text.hasPrefix("mce: ") || text.contains("Machine check") || text.contains("Machine Check") {
            let corrected = text.contains("Corrected") || text.contains("temperature above threshold")
            return LineMatch(.system, corrected ? .medium : .high, fields: fields(action: "hardware_error", reason: text))
        }
        if text.hasPrefix("EDAC ") {
            let uncorrected = text.contains(" UE ") || text.lowercased().contains("uncorrected")
            return LineMatch(.system, uncorrected ? .high : .medium, fields: fields(action: "hardware_error", reason: text))
        }
        if text.contains("I/O error, dev ") || text.hasPrefix("Buffer I/O error") {
            return LineMatch(.system, .high, fields: fields(action: "disk_error", reason: text))
        }
        if text.hasPrefix("Linux version ") || text.hasPrefix("Booting Linux") {
            return LineMatch(.system, .low, fields: fields(action: "boot", reason: nil))
        }
        if text.hasPrefix("reboot: ") {
            return LineMatch(.system, .low, fields: fields(action: "reboot", reason: text.dropFirst("reboot: ".count)))
        }
        return nil
    }

    /// The message without the kernel's leading `[ 1234.567890] ` uptime.
    static func withoutUptime(_ text: Substring) -> Substring {
        guard text.first == "[", let close = text.firstIndex(of: "]"),
              text[text.index(after: text.startIndex)..<close].allSatisfy({ $0 == " " || $0 == "." || ($0.isASCII && $0.isNumber) })
        else { return text }
        return text[text.index(after: close)...].drop { $0 == " " }
    }

    /// `Out of memory: Killed process 1234 (name) ...`, `Memory cgroup out of memory: Killed
    /// process ...`, older `Out of memory: Kill process 1234 (name) score ...`.
    private static func outOfMemory(_ text: Substring) -> LineMatch? {
        guard let range = text.utf8Range(of: "Killed process ") ?? text.utf8Range(of: "Kill process ") else { return nil }
        let rest = text[range.upperBound...]
        guard text.contains("out of memory") || text.contains("Out of memory") || text.hasPrefix("Killed process "),
              let (pid, name) = pidAndName(rest)
        else { return nil }
        var values = fields(action: "oom_kill", reason: nil)
        values.put("process", name)
        values.put("pid", number: pid)
        return LineMatch(.crash, .high, fields: values)
    }

    /// `1234 (name)` at the start of `text`.
    private static func pidAndName(_ text: Substring) -> (Int, Substring)? {
        let digits = text.prefix { $0.isASCII && $0.isNumber }
        guard let pid = Int(digits) else { return nil }
        let rest = text.dropFirst(digits.count)
        guard rest.hasPrefix(" ("), let close = rest.firstIndex(of: ")") else { return nil }
        return (pid, rest[rest.index(rest.startIndex, offsetBy: 2)..<close])
    }

    /// `name[pid]: segfault at ...` and `traps: name[pid] general protection fault ...`.
    private static func userFault(_ text: Substring) -> LineMatch? {
        let body = text.dropPrefix("traps: ") ?? text
        guard let open = body.firstIndex(of: "["), let close = body[open...].firstIndex(of: "]"), open != body.startIndex else { return nil }
        let after = body[body.index(after: close)...]
        let isSegfault = after.hasPrefix(": segfault at ")
        let isTrap = text.hasPrefix("traps: ") && (after.contains(" general protection") || after.contains(" trap "))
        guard isSegfault || isTrap, let pid = Int(body[body.index(after: open)..<close]) else { return nil }
        var values = fields(action: isSegfault ? "segfault" : "trap", reason: nil)
        values.put("process", body[..<open])
        values.put("pid", number: pid)
        return LineMatch(.crash, .medium, fields: values)
    }

    private static func fields(action: String, reason: Substring?) -> [String: JSONValue] {
        var values: [String: JSONValue] = ["action": .string(action)]
        values.put("reason", reason)
        return values
    }
}

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HeimdallProtocol

/// Flags hostile web requests: SQL injection, cross-site scripting, path traversal (on the
/// URL, percent-decoded twice and lowercased) and well-known scanners (on the user agent).
/// Pure: any thread may call it.
enum WebAttacks {
    /// What was found: `attack` is the field value, `detail` the matching pattern.
    struct Finding: Hashable {
        var attack: String
        var detail: String

        /// Adds `attack` and `attack_pattern` to `fields`.
        func record(in fields: inout [String: JSONValue]) {
            fields["attack"] = .string(attack)
            fields["attack_pattern"] = .string(detail)
        }
    }

    private static let sqlInjection = [
        "union select", "union all select", "' or 1=1", "\" or 1=1", " or 1=1--", "' or '1'='1", "\" or \"1\"=\"1", "' or 'a'='a",
        "sleep(", "benchmark(", "waitfor delay", "information_schema", "xp_cmdshell", "' and 1=1", "' and 1=2", "select * from",
        "extractvalue(", "updatexml(", "load_file(",
    ]
    private static let crossSiteScripting = [
        "<script", "javascript:", "onerror=", "onload=", "onmouseover=", "document.cookie", "<iframe", "<svg", "alert(", "vbscript:",
    ]
    private static let pathTraversal = ["../", "..\\", "/etc/passwd", "/etc/shadow", "win.ini", "boot.ini", "/proc/self/environ"]
    private static let rawTraversal = ["%2e%2e", "%252e%252e", "..%2f", "..%5c", "%c0%ae"]
    private static let scanners = [
        "sqlmap", "nikto", "nmap", "masscan", "zgrab", "gobuster", "dirbuster", "wpscan", "nuclei", "acunetix", "nessus", "openvas",
        "w3af", "ffuf", "feroxbuster", "zmeu", "dirb",
    ]

    /// The first attack found in `target` (a URL or request line) or `userAgent`, or `nil`.
    /// Order: SQL injection, XSS, path traversal, scanner.
    static func detect(target: String?, userAgent: String?) -> Finding? {
        if let target, !target.isEmpty {
            let raw = target.lowercased()
            let decoded = normalize(percentDecode(percentDecode(raw)))
            if let hit = sqlInjection.first(where: decoded.contains) { return Finding(attack: "sql_injection", detail: hit) }
            if let hit = crossSiteScripting.first(where: decoded.contains) { return Finding(attack: "xss", detail: hit) }
            if let hit = rawTraversal.first(where: raw.contains) ?? pathTraversal.first(where: decoded.contains) {
                return Finding(attack: "path_traversal", detail: hit)
            }
        }
        if let agent = userAgent?.lowercased(), let hit = scanners.first(where: agent.contains) {
            return Finding(attack: "scanner", detail: hit)
        }
        return nil
    }

    /// `%XX` decoded (invalid escapes kept as they are), `+` as a space; bytes that are not
    /// UTF-8 become U+FFFD.
    static func percentDecode(_ text: String) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = Array(text.utf8)[...]
        while let byte = iterator.popFirst() {
            if byte == UInt8(ascii: "+") {
                bytes.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%"), iterator.count >= 2,
                      let high = hexValue(iterator[iterator.startIndex]), let low = hexValue(iterator[iterator.startIndex + 1]) {
                bytes.append(high << 4 | low)
                iterator = iterator.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Lowercased, SQL comments (`/**/`) and runs of whitespace as one space.
    private static func normalize(_ text: String) -> String {
        var out = ""
        var lastWasSpace = false
        for character in text.lowercased().replacing("/**/", with: " ") {
            let space = character.isWhitespace
            if space, lastWasSpace { continue }
            out.append(space ? " " : character)
            lastWasSpace = space
        }
        return out
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

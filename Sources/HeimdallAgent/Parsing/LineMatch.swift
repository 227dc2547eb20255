#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HeimdallProtocol

/// Whether an attempt succeeded.
enum Outcome: String, Hashable {
    case success, failure
}

/// A recognized message: its category, severity and fields (merged over the header's).
struct LineMatch: Hashable {
    var category: EventCategory
    var severity: EventSeverity
    var fields: [String: JSONValue]

    init(_ category: EventCategory, _ severity: EventSeverity, outcome: Outcome?, _ auth: AuthFields) {
        self.category = category
        self.severity = severity
        var fields = [String: JSONValue](minimumCapacity: 8)
        if let outcome { fields["outcome"] = .string(outcome.rawValue) }
        if let user = auth.user { fields["user"] = .string(user) }
        if let method = auth.method { fields["method"] = .string(method) }
        if let endpoint = auth.endpoint {
            fields["src_ip"] = .string(endpoint.ip)
            if let port = endpoint.port { fields["src_port"] = .number(Double(port)) }
        }
        self.fields = fields
    }

    init(_ category: EventCategory, _ severity: EventSeverity, fields: [String: JSONValue]) {
        self.category = category
        self.severity = severity
        self.fields = fields
    }
}

extension Substring {
    /// The rest after `prefix` (compared byte by byte in UTF-8), or `nil` when the text does
    /// not start with it.
    func dropPrefix(_ prefix: String) -> Substring? {
        guard hasUTF8Prefix(prefix) else { return nil }
        return self[utf8.index(startIndex, offsetBy: prefix.utf8.count)...]
    }
}

/// How a report is written. Any thread.
public enum AuditFormat: String, Sendable, Hashable, CaseIterable {
    /// Aligned columns for people.
    case table
    /// One JSON document (an array of objects).
    case json
    /// RFC 4180 CSV with a header row.
    case csv
}

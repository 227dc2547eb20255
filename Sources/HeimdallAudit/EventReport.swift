import Foundation
import HeimdallProtocol
import HeimdallStore

/// Renders stored events for `heimdall-audit events`. Pure: any thread.
public enum EventReport {
    /// Table columns.
    public static let tableHeader = [
        "TIME", "HOST", "CATEGORY", "SEVERITY", "SOURCE", "MESSAGE", "CERT SERIAL", "CERT FINGERPRINT",
    ]
    /// CSV columns (every stored column; `fields` as JSON text).
    public static let csvHeader = [
        "occurred_at", "received_at", "host_id", "event_id", "category", "severity", "source", "message",
        "fields", "raw", "cert_serial", "cert_fingerprint", "session_id",
    ]
    /// How many fingerprint characters the table shows.
    public static let shortFingerprintLength = 16

    /// The events in `format`.
    public static func render(_ events: [AuditEvent], format: AuditFormat) -> String {
        switch format {
        case .table: return table(events)
        case .json: return json(events).jsonText() + "\n"
        case .csv: return csv(events)
        }
    }

    /// Aligned columns; the fingerprint is shortened.
    public static func table(_ events: [AuditEvent]) -> String {
        TextTable.render(header: tableHeader, rows: events.map { stored in
            [
                RFC3339.format(stored.event.timestamp), stored.hostID, stored.event.category.rawValue,
                stored.event.severity.rawValue, stored.event.source, stored.event.message, stored.certificateSerial,
                String(stored.certificateFingerprint.prefix(shortFingerprintLength)),
            ]
        })
    }

    /// RFC 4180 CSV with ``csvHeader``.
    public static func csv(_ events: [AuditEvent]) -> String {
        CSVWriter.render(header: csvHeader, rows: events.map { stored in
            [
                RFC3339.format(stored.event.timestamp), RFC3339.format(stored.receivedAt), stored.hostID, stored.event.id,
                stored.event.category.rawValue, stored.event.severity.rawValue, stored.event.source, stored.event.message,
                JSONValue.object(stored.event.fields).jsonText(), stored.event.raw ?? "", stored.certificateSerial,
                stored.certificateFingerprint, stored.sessionID.uuidString.lowercased(),
            ]
        })
    }

    /// An array with one object per event, keyed by column name.
    public static func json(_ events: [AuditEvent]) -> JSONValue {
        .array(events.map(jsonObject))
    }

    /// One event as an object keyed by column name.
    public static func jsonObject(_ stored: AuditEvent) -> JSONValue {
        .object([
            "host_id": .string(stored.hostID), "event_id": .string(stored.event.id),
            "occurred_at": .string(RFC3339.format(stored.event.timestamp)),
            "received_at": .string(RFC3339.format(stored.receivedAt)),
            "category": .string(stored.event.category.rawValue), "severity": .string(stored.event.severity.rawValue),
            "source": .string(stored.event.source), "message": .string(stored.event.message),
            "fields": .object(stored.event.fields), "raw": stored.event.raw.map(JSONValue.string) ?? .null,
            "cert_serial": .string(stored.certificateSerial), "cert_fingerprint": .string(stored.certificateFingerprint),
            "session_id": .string(stored.sessionID.uuidString.lowercased()),
        ])
    }
}

import Foundation
import HeimdallPKI
import HeimdallProtocol

/// Renders the certificate inventory for `heimdall-pki list`. Pure: any thread.
public enum InventoryReport {
    /// Table columns.
    public static let tableHeader = ["HOST", "SERIAL", "SHA-256 FINGERPRINT", "NOT AFTER", "STATUS", "LAST SEEN", "LAST ADDRESS"]

    /// The entries as a table or one JSON array (CSV uses the table's columns).
    public static func render(_ entries: [InventoryEntry], format: AuditFormat) -> String {
        switch format {
        case .table: return TextTable.render(header: tableHeader, rows: entries.map(tableRow))
        case .json: return json(entries).jsonText() + "\n"
        case .csv: return CSVWriter.render(header: tableHeader, rows: entries.map(tableRow))
        }
    }

    /// One entry's table cells.
    public static func tableRow(_ entry: InventoryEntry) -> [String] {
        let record = entry.record
        return [
            record.hostID, record.serial, record.fingerprint, RFC3339.format(record.notAfter), entry.status.rawValue,
            record.lastSeen.map(RFC3339.format) ?? "never", record.lastAddress ?? "-",
        ]
    }

    /// An array with one object per certificate.
    public static func json(_ entries: [InventoryEntry]) -> JSONValue {
        .array(entries.map { entry in
            let record = entry.record
            return .object([
                "host_id": .string(record.hostID), "serial": .string(record.serial),
                "fingerprint": .string(record.fingerprint), "not_before": .string(RFC3339.format(record.notBefore)),
                "not_after": .string(RFC3339.format(record.notAfter)), "status": .string(entry.status.rawValue),
                "issued_at": .string(RFC3339.format(record.issuedAt)),
                "revoked_at": record.revokedAt.map { .string(RFC3339.format($0)) } ?? .null,
                "revocation_reason": record.revocationReason.map(JSONValue.string) ?? .null,
                "last_seen": record.lastSeen.map { .string(RFC3339.format($0)) } ?? .null,
                "last_address": record.lastAddress.map(JSONValue.string) ?? .null,
            ])
        })
    }
}

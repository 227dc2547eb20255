import Foundation
import HeimdallPKI
import HeimdallProtocol

/// Renders the PKI audit log for `heimdall-audit pki`. Pure: any thread.
public enum PKIAuditReport {
    /// Table (and CSV) columns.
    public static let tableHeader = ["TIME", "ACTOR", "ACTION", "HOST", "SERIAL", "OUTCOME", "DETAIL"]

    /// The entries as a table, CSV, or one JSON array.
    public static func render(_ entries: [PKIAuditEntry], format: AuditFormat) -> String {
        switch format {
        case .table: TextTable.render(header: tableHeader, rows: entries.map(tableRow))
        case .csv: CSVWriter.render(header: tableHeader, rows: entries.map(tableRow))
        case .json: json(entries).jsonText() + "\n"
        }
    }

    /// One entry's cells ("-" for absent values).
    public static func tableRow(_ entry: PKIAuditEntry) -> [String] {
        [
            ReportValues.cell(entry.at), entry.actor, entry.action, entry.hostID ?? "-", entry.serial ?? "-", entry.outcome,
            entry.detail ?? "-",
        ]
    }

    /// An array with one object per entry, keyed by `pki_audit` column name.
    public static func json(_ entries: [PKIAuditEntry]) -> JSONValue {
        .array(entries.map { entry in
            .object([
                "id": .number(Double(entry.id)), "at": ReportValues.json(entry.at), "actor": .string(entry.actor),
                "action": .string(entry.action), "host_id": ReportValues.json(entry.hostID), "serial": ReportValues.json(entry.serial),
                "outcome": .string(entry.outcome), "detail": ReportValues.json(entry.detail),
            ])
        })
    }
}

import Foundation
import HeimdallProtocol
import HeimdallStore

/// Renders hosts for `heimdall-audit hosts`. Pure: any thread.
public enum HostReport {
    /// Table columns.
    public static let tableHeader = [
        "HOST", "STATUS", "LAST HEARTBEAT", "LAST SEEN", "CERT SERIAL", "AGENT VERSION", "SPOOL PENDING", "SPOOL DROPPED",
    ]

    /// The hosts as a table, or (`json`) one JSON array. CSV is rendered like the table's
    /// columns.
    public static func render(_ hosts: [HostRecord], format: AuditFormat) -> String {
        switch format {
        case .table: return TextTable.render(header: tableHeader, rows: hosts.map(tableRow))
        case .json: return json(hosts).jsonText() + "\n"
        case .csv: return CSVWriter.render(header: tableHeader, rows: hosts.map(tableRow))
        }
    }

    /// One host's table cells ("-" for unknown values).
    public static func tableRow(_ host: HostRecord) -> [String] {
        [
            host.hostID, host.status.rawValue, ReportValues.cell(host.lastHeartbeat), ReportValues.cell(host.lastSeen),
            host.certificateSerial ?? "-", host.agent.version ?? "-",
            host.spool.map { String($0.pendingEvents) } ?? "-", host.spool.map { String($0.droppedTotal) } ?? "-",
        ]
    }

    /// An array with one object per host, keyed by `hosts` column name.
    public static func json(_ hosts: [HostRecord]) -> JSONValue {
        .array(hosts.map { host in
            .object([
                "host_id": .string(host.hostID), "status": .string(host.status.rawValue),
                "last_heartbeat": ReportValues.json(host.lastHeartbeat), "last_seen": ReportValues.json(host.lastSeen),
                "first_seen": .string(RFC3339.format(host.firstSeen)), "status_changed_at": ReportValues.json(host.statusChangedAt),
                "session_id": host.sessionID.map { .string($0.uuidString.lowercased()) } ?? .null,
                "cert_serial": ReportValues.json(host.certificateSerial), "cert_fingerprint": ReportValues.json(host.certificateFingerprint),
                "remote_address": ReportValues.json(host.remoteAddress), "agent_version": ReportValues.json(host.agent.version),
                "agent_os": ReportValues.json(host.agent.os), "agent_arch": ReportValues.json(host.agent.arch),
                "agent_hostname": ReportValues.json(host.agent.hostname),
                "spool_pending_events": host.spool.map { .number(Double($0.pendingEvents)) } ?? .null,
                "spool_oldest_pending": ReportValues.json(host.spool?.oldestPending),
                "spool_dropped_total": host.spool.map { .number(Double($0.droppedTotal)) } ?? .null,
            ])
        })
    }
}

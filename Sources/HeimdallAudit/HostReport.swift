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
            host.hostID, host.status.rawValue, time(host.lastHeartbeat), time(host.lastSeen),
            host.certificateSerial ?? "-", host.agent.version ?? "-",
            host.spool.map { String($0.pendingEvents) } ?? "-", host.spool.map { String($0.droppedTotal) } ?? "-",
        ]
    }

    /// An array with one object per host, keyed by `hosts` column name.
    public static func json(_ hosts: [HostRecord]) -> JSONValue {
        .array(hosts.map { host in
            .object([
                "host_id": .string(host.hostID), "status": .string(host.status.rawValue),
                "last_heartbeat": date(host.lastHeartbeat), "last_seen": date(host.lastSeen),
                "first_seen": .string(RFC3339.format(host.firstSeen)), "status_changed_at": date(host.statusChangedAt),
                "session_id": host.sessionID.map { .string($0.uuidString.lowercased()) } ?? .null,
                "cert_serial": string(host.certificateSerial), "cert_fingerprint": string(host.certificateFingerprint),
                "remote_address": string(host.remoteAddress), "agent_version": string(host.agent.version),
                "agent_os": string(host.agent.os), "agent_arch": string(host.agent.arch),
                "agent_hostname": string(host.agent.hostname),
                "spool_pending_events": host.spool.map { .number(Double($0.pendingEvents)) } ?? .null,
                "spool_oldest_pending": date(host.spool?.oldestPending),
                "spool_dropped_total": host.spool.map { .number(Double($0.droppedTotal)) } ?? .null,
            ])
        })
    }

    private static func time(_ date: Date?) -> String { date.map(RFC3339.format) ?? "-" }
    private static func date(_ date: Date?) -> JSONValue { date.map { .string(RFC3339.format($0)) } ?? .null }
    private static func string(_ text: String?) -> JSONValue { text.map(JSONValue.string) ?? .null }
}

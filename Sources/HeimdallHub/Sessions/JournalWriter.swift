import HeimdallPKI
import HeimdallStore

/// Applies journal entries to the `sessions` and `hosts` tables, in order, in one
/// transaction. Called by the journal's writer on the database thread pool.
enum JournalWriter {
    static func apply(_ entries: [JournalEntry], on connection: PostgresConnection) throws {
        let hosts = HostRecords()
        let sessions = SessionRecords()
        try connection.transaction { connection in
            for entry in entries {
                switch entry {
                case .sessionStarted(let start):
                    try sessions.start(SessionRecord(
                        sessionID: start.sessionID, hostID: start.host, certificateSerial: start.certificateSerial,
                        certificateFingerprint: start.certificateFingerprint, remoteAddress: start.remoteAddress,
                        hubID: start.hubID, protocolVersion: start.protocolVersion, agentVersion: start.agent.version,
                        startedAt: start.at
                    ), on: connection)
                    try hosts.sessionStarted(
                        start.host, sessionID: start.sessionID, certificateSerial: start.certificateSerial,
                        certificateFingerprint: start.certificateFingerprint, remoteAddress: start.remoteAddress,
                        agent: start.agent, at: start.at, on: connection
                    )
                    try CertificateRecords().markSeen(serial: start.certificateSerial, at: start.at, address: start.remoteAddress, on: connection)
                case .sessionEnded(let sessionID, _, let reason, let frames, let at):
                    try sessions.end(sessionID, reason: reason, at: at, on: connection)
                    try sessions.countFrames(sessionID, count: frames, on: connection)
                case .heartbeat(let host, let at, let spool):
                    try hosts.recordHeartbeat(host, at: at, spool: spool, on: connection)
                case .hostStatus(let host, let status, let reason, let at):
                    _ = try hosts.setStatus(host, to: status, reason: reason, at: at, on: connection)
                case .cloneSuspected(let suspicion, _):
                    try PKIAuditLog().record(
                        actor: "heimdall-hub", action: "clone_suspected", hostID: suspicion.host, serial: suspicion.serial,
                        outcome: "alert",
                        detail: "\(suspicion.supersedes) supersedes between \(suspicion.addresses.joined(separator: ", "))",
                        on: connection
                    )
                }
            }
        }
    }
}

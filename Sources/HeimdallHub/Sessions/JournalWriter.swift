import HeimdallPKI
import HeimdallStore

/// Applies journal entries to the `sessions` and `hosts` tables, in order, in one
/// transaction; heartbeats that follow each other are recorded with one statement.
/// Called by the journal's writer on the database thread pool.
enum JournalWriter {
    static func apply(_ entries: [JournalEntry], on connection: PostgresConnection) throws {
        let hosts = HostRecords()
        let sessions = SessionRecords()
        try connection.transaction { connection in
            var heartbeats: [HostHeartbeat] = []
            for entry in entries {
                if case .heartbeat(let host, let at, let spool) = entry {
                    heartbeats.append(HostHeartbeat(hostID: host, at: at, spool: spool))
                    continue
                }
                try hosts.recordHeartbeats(heartbeats, on: connection)
                heartbeats.removeAll()
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
                case .heartbeat:
                    break  // gathered above
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
            try hosts.recordHeartbeats(heartbeats, on: connection)
        }
    }
}

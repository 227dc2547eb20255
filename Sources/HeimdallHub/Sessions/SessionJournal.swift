import Foundation
import HeimdallStore
import HeimdallProtocol

/// Session bookkeeping written to the database in order, off the event loops, in batches.
public typealias SessionJournal = GroupCommitQueue<JournalEntry, Void>

/// One fact about sessions and hosts for the database.
public enum JournalEntry: Sendable, Hashable {
    case sessionStarted(SessionStart)
    case sessionEnded(sessionID: UUID, host: String, reason: String, frames: Int, at: Date)
    case heartbeat(host: String, at: Date, spool: SpoolHealth?)
    case hostStatus(host: String, status: HostStatus, reason: String, at: Date)
    case cloneSuspected(CloneDetector.Suspicion, at: Date)
}

/// A session that just received `welcome`.
public struct SessionStart: Sendable, Hashable {
    public var sessionID: UUID
    public var host: String
    public var certificateSerial: String
    public var certificateFingerprint: String
    public var remoteAddress: String?
    public var hubID: String
    public var protocolVersion: Int
    public var agent: AgentInfo
    public var at: Date

    public init(
        sessionID: UUID, host: String, certificateSerial: String, certificateFingerprint: String, remoteAddress: String?,
        hubID: String, protocolVersion: Int, agent: AgentInfo, at: Date
    ) {
        self.sessionID = sessionID
        self.host = host
        self.certificateSerial = certificateSerial
        self.certificateFingerprint = certificateFingerprint
        self.remoteAddress = remoteAddress
        self.hubID = hubID
        self.protocolVersion = protocolVersion
        self.agent = agent
        self.at = at
    }
}

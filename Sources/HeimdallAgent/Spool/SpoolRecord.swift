#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import HeimdallProtocol

/// One item in the agent's spool: an event or a status snapshot, numbered in the order it
/// was spooled.
public struct SpoolRecord: Sendable, Hashable {
    /// What a record carries.
    public enum Content: Sendable, Hashable {
        /// One normalized event (sent in an `events` frame).
        case event(Event)
        /// One system-status snapshot (sent as its own `status` frame).
        case status(takenAt: Date, metrics: JSONValue)
    }

    /// Position in the spool, from 0, never reused (acks release records up to one).
    public var sequenceNumber: UInt64
    /// When the record was written (for the heartbeat's `oldest_pending`), millisecond precision.
    public var spooledAt: Date
    public var content: Content

    public init(sequenceNumber: UInt64, spooledAt: Date, content: Content) {
        self.sequenceNumber = sequenceNumber
        self.spooledAt = spooledAt
        self.content = content
    }
}

/// Why a spool operation failed: a stable code, the file involved and `errno` (0 when no
/// system call failed).
public struct SpoolError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Stable codes.
    public enum Code: String, Sendable, Hashable {
        /// The spool or quarantine directory could not be created or listed.
        case directory
        /// A segment could not be opened, created or read.
        case open
        /// Writing or `fsync`-ing a segment failed.
        case write
        /// A record's body is not a valid event or status snapshot (its checksum was fine).
        case invalidRecord = "invalid_record"
        /// A record is larger than ``SpoolFormat/maximumBodyLength``.
        case recordTooLarge = "record_too_large"
    }

    public var code: Code
    public var path: String
    public var errno: Int32
    public var message: String

    public init(_ code: Code, path: String, errno: Int32 = 0, _ message: String = "") {
        self.code = code
        self.path = path
        self.errno = errno
        self.message = message
    }

    public var description: String {
        let reason = errno != 0 ? String(cString: strerror(errno)) : message
        return "spool \(code.rawValue) for \(path): \(reason)"
    }
}

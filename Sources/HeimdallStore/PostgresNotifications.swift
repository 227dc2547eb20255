internal import CLibPQ
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// One `NOTIFY` received by a listening connection.
public struct PostgresNotification: Sendable, Hashable {
    public var channel: String
    public var payload: String
    /// The backend that sent it.
    public var senderPID: Int32
}

extension PostgresConnection {
    /// Subscribes this connection to `channel` (`LISTEN`). `channel` must be a plain
    /// identifier; it is quoted, never interpolated raw.
    public func listen(_ channel: String) throws {
        guard !channel.isEmpty, channel.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else {
            throw PostgresError(.queryFailed, message: "invalid LISTEN channel name \(channel)")
        }
        try execute("LISTEN \"\(channel)\"")
    }

    /// Waits up to `timeout` for notifications and returns those that arrived (possibly
    /// none). Blocking: call it from a thread of its own, never an event loop.
    public func waitForNotifications(timeout: Duration) throws -> [PostgresNotification] {
        var received = try drainNotifications()
        guard received.isEmpty else { return received }
        var descriptor = pollfd(fd: PQsocket(handle), events: Int16(POLLIN), revents: 0)
        guard descriptor.fd >= 0 else { throw PostgresError(.connectionLost, message: "the listening connection has no socket") }
        let milliseconds = Int32(min(Int64(Int32.max), timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000))
        let ready = poll(&descriptor, 1, milliseconds)
        guard ready >= 0 || errno == EINTR else { throw PostgresError(.connectionLost, message: "poll failed: \(String(cString: strerror(errno)))") }
        guard ready > 0 else { return [] }
        received = try drainNotifications()
        return received
    }

    private func drainNotifications() throws -> [PostgresNotification] {
        guard PQconsumeInput(handle) == 1 else {
            throw PostgresError(.connectionLost, message: String(cString: PQerrorMessage(handle)).trimmingCharacters(in: .whitespacesAndNewlines))
        }
        var notifications: [PostgresNotification] = []
        while let notify = PQnotifies(handle) {
            notifications.append(PostgresNotification(
                channel: String(cString: notify.pointee.relname), payload: String(cString: notify.pointee.extra),
                senderPID: notify.pointee.be_pid
            ))
            PQfreemem(notify)
        }
        return notifications
    }
}

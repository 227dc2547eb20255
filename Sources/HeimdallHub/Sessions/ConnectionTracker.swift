import Foundation
import Synchronization

/// Every open session connection of this hub (welcomed or not), so a shutdown reaches them
/// all. Thread-safe.
public final class ConnectionTracker: Sendable {
    private let connections = Mutex<[UUID: @Sendable (SessionCommand) -> Void]>([:])

    public init() {}

    /// Adds a connection; returns the key to remove it with.
    public func add(_ control: @escaping @Sendable (SessionCommand) -> Void) -> UUID {
        let key = UUID()
        connections.withLock { $0[key] = control }
        return key
    }

    public func remove(_ key: UUID) {
        _ = connections.withLock { $0.removeValue(forKey: key) }
    }

    public var count: Int { connections.withLock { $0.count } }

    /// Sends `command` to every connection.
    public func broadcast(_ command: SessionCommand) {
        let controls = connections.withLock { Array($0.values) }
        controls.forEach { $0(command) }
    }

    /// Returns once no connection is left, or `timeout` passed; returns whether it emptied.
    public func waitUntilEmpty(timeout: Duration) async -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        while count > 0 {
            guard clock.now < deadline else { return false }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return true
    }
}

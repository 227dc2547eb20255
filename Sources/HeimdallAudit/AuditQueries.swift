import Foundation
import HeimdallProtocol
import HeimdallPKI
import HeimdallStore

/// Which events `heimdall-audit events` shows. A value: any thread.
public struct EventFilter: Sendable, Hashable {
    /// Only this host.
    public var host: String?
    /// Only this category.
    public var category: EventCategory?
    /// `occurred_at >= since`.
    public var since: Date?
    /// `occurred_at < until`.
    public var until: Date?
    /// At most this many events (the oldest first).
    public var limit: Int?

    /// Creates a filter; nil means "any".
    public init(host: String? = nil, category: EventCategory? = nil, since: Date? = nil, until: Date? = nil, limit: Int? = nil) {
        self.host = host
        self.category = category
        self.since = since
        self.until = until
        self.limit = limit
    }
}

/// Read-only queries behind `heimdall-audit`. Sendable; runs libpq work on the database's
/// thread pool.
public struct AuditQueries: Sendable {
    /// The database to read.
    public let database: Database

    /// Creates the service. Any thread.
    public init(database: Database) {
        self.database = database
    }

    /// Events matching `filter`, oldest first.
    public func events(_ filter: EventFilter) async throws -> [AuditEvent] {
        try await database.withConnection { connection in
            try EventQueries().list(
                host: filter.host, category: filter.category, since: filter.since, until: filter.until,
                limit: filter.limit, on: connection
            ).map(AuditEvent.init)
        }
    }

    /// Every host, by host id.
    public func hosts() async throws -> [HostRecord] {
        try await database.withConnection { try HostRecords().list(on: $0) }
    }

    /// The PKI audit log, oldest first, optionally only for `host`.
    public func pkiLog(host: String? = nil) async throws -> [PKIAuditEntry] {
        let entries = try await database.withConnection { try PKIAuditLog().entries(on: $0) }
        guard let host = host?.lowercased() else { return entries }
        return entries.filter { $0.hostID == host }
    }
}

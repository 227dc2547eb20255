import Foundation
import HeimdallStore

/// A certificate's status as the inventory reports it: the stored state plus expiry.
public enum InventoryStatus: String, Sendable, Hashable, CaseIterable {
    /// Valid and the host's current certificate.
    case active
    /// Revoked (whether or not it has also expired).
    case revoked
    /// Past its notAfter and not revoked.
    case expired
    /// Replaced by a newer certificate for the same host, still within validity.
    case superseded

    /// Revoked wins, then expired (`notAfter <= now`), then the stored state. Pure: any thread.
    public static func of(stored: CertificateStatus, notAfter: Date, now: Date = Date()) -> InventoryStatus {
        if stored == .revoked { return .revoked }
        if notAfter <= now { return .expired }
        return stored == .superseded ? .superseded : .active
    }

    /// The status of a stored certificate at `now`.
    public static func of(_ record: CertificateRecord, now: Date = Date()) -> InventoryStatus {
        of(stored: record.status, notAfter: record.notAfter, now: now)
    }
}

/// One row of `heimdall-pki list`. A value: any thread.
public struct InventoryEntry: Sendable, Hashable {
    /// The stored certificate.
    public var record: CertificateRecord
    /// Its status at the time of listing.
    public var status: InventoryStatus

    /// Computes the status of `record` at `now`.
    public init(record: CertificateRecord, now: Date = Date()) {
        self.record = record
        self.status = InventoryStatus.of(record, now: now)
    }
}

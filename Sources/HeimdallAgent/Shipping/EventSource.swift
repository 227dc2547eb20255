import HeimdallProtocol

/// Where an agent's events come from, and where its progress goes once they are safe.
///
/// The shipper calls ``read(limit:)`` for new events and, once they are `fsync`ed in the
/// agent's spool, ``commit(_:)`` with the mark of the last batch spooled — in read order, so
/// a source can persist a simple high-water mark. Called from the shipper's actor only.
public protocol EventSource: AnyObject, SendableMetatype {
    /// Progress to persist after an ack (e.g. file offsets).
    associatedtype Mark: Sendable

    /// At most `limit` new events and the mark covering them, or `nil` when nothing is new.
    func read(limit: Int) throws -> (events: [Event], mark: Mark)?

    /// Persists `mark`: everything read up to it is durable in the spool.
    func commit(_ mark: Mark) throws
}

import Logging
import HeimdallProtocol

/// Two ``EventSource``s as one: each read takes from both (the one that went second last
/// time goes first, so neither starves the other), and the mark carries the mark of each
/// part that contributed.
///
/// Committing marks in read order stays correct per part: a part absent from a batch's mark
/// had its newest mark in an earlier batch, committed before. `second` may be `nil` (only
/// `first` is read). Used from the shipper's actor only.
public final class CompositeSource<First: EventSource, Second: EventSource>: EventSource {
    /// The marks of the parts that contributed to a batch.
    public struct Mark: Sendable {
        /// The first source's mark, `nil` when it gave nothing to this batch.
        public var first: First.Mark?
        /// The second source's mark, `nil` when it gave nothing to this batch.
        public var second: Second.Mark?

        /// A mark with the given parts.
        public init(first: First.Mark? = nil, second: Second.Mark? = nil) {
            self.first = first
            self.second = second
        }
    }

    /// The first part (e.g. the tailed files).
    public let first: First
    /// The second part (e.g. journald), if any.
    public let second: Second?
    private var secondGoesFirst = false

    /// Combines `first` and, when given, `second`.
    public init(first: First, second: Second?) {
        self.first = first
        self.second = second
    }

    public func read(limit: Int) throws -> (events: [Event], mark: Mark)? {
        var mark = Mark()
        var events: [Event] = []
        let order = secondGoesFirst ? [1, 0] : [0, 1]
        secondGoesFirst.toggle()
        for part in order where events.count < limit {
            if part == 0, let batch = try first.read(limit: limit - events.count) {
                events.append(contentsOf: batch.events)
                mark.first = batch.mark
            } else if part == 1, let second, let batch = try second.read(limit: limit - events.count) {
                events.append(contentsOf: batch.events)
                mark.second = batch.mark
            }
        }
        return events.isEmpty ? nil : (events, mark)
    }

    public func commit(_ mark: Mark) throws {
        if let part = mark.first { try first.commit(part) }
        if let part = mark.second, let second { try second.commit(part) }
    }
}

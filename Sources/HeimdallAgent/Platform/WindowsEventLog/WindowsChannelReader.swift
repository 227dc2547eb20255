#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HeimdallProtocol

/// One channel's subscription, its bookmark (moved to every event read) and its normalizer.
///
/// Used from the shipper's actor only.
final class WindowsChannelReader {
    let channel: WindowsEventChannel
    private let api: any WindowsEventLogAPI
    private let normalizer: WindowsEventNormalizer
    private var bookmark: WindowsEventLogHandle
    /// The bookmark's XML as of the last batch returned (or as saved): where a failed read
    /// starts over, so events taken from the log but not returned are read again.
    private var returnedBookmark: String?
    private var subscription: WindowsEventLogHandle?
    /// When subscribing may be tried again after a failure.
    private(set) var retryAt: ContinuousClock.Instant?

    /// Creates the bookmark from `savedBookmark` (the channel's saved XML), or an empty one.
    init(channel: WindowsEventChannel, savedBookmark: String?, api: any WindowsEventLogAPI) throws(SystemLogError) {
        self.channel = channel
        self.api = api
        self.normalizer = WindowsEventNormalizer(channel: channel)
        self.bookmark = try api.createBookmark(savedBookmark)
        self.returnedBookmark = savedBookmark
    }

    deinit {
        if let subscription { api.close(subscription) }
        api.close(bookmark)
    }

    /// Up to `limit` new events and the bookmark XML after the last of them; `nil` when
    /// nothing is new. Subscribes first if needed (after the bookmark when it points at an
    /// event, else to future events).
    ///
    /// - Throws: ``SystemLogError`` when subscribing or reading failed; the subscription is
    ///   dropped and, after `retryDelay`, made again after the last event returned.
    func read(limit: Int, retryDelay: Duration) throws(SystemLogError) -> (events: [Event], bookmark: String)? {
        if let retryAt, ContinuousClock.now < retryAt { return nil }
        do {
            return try readSubscribed(limit: limit)
        } catch {
            if let subscription { api.close(subscription) }
            subscription = nil
            retryAt = ContinuousClock.now + retryDelay
            if let rebuilt = try? api.createBookmark(returnedBookmark) {
                api.close(bookmark)
                bookmark = rebuilt
            }
            throw error
        }
    }

    private func readSubscribed(limit: Int) throws(SystemLogError) -> (events: [Event], bookmark: String)? {
        let current: WindowsEventLogHandle
        if let subscription {
            current = subscription
        } else {
            current = try api.subscribe(channel: channel.path, after: returnedBookmark == nil ? nil : bookmark)
            subscription = current
            retryAt = nil
        }
        let handles = try api.next(current, maximum: limit)
        defer { handles.forEach(api.close) }
        guard !handles.isEmpty else { return nil }
        let now = Date()
        var events: [Event] = []
        for handle in handles {
            events.append(normalizer.event(forXML: try api.renderXML(handle), readAt: now))
            try api.updateBookmark(bookmark, to: handle)
        }
        let rendered = try api.renderBookmark(bookmark)
        returnedBookmark = rendered
        return (events, rendered)
    }
}

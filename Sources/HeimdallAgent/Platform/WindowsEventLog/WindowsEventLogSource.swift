#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HeimdallProtocol
import Logging

/// The Windows event log as an ``EventSource``: one pull-model subscription per channel
/// (``WindowsEventChannel/defaults``: Security, System, Application, LocalSessionManager),
/// each event rendered as XML and parsed with ``WindowsEventParser``, ids from the record
/// (``WindowsEventNormalizer``).
///
/// A bookmark per channel follows the events read; the mark of a batch holds the rendered
/// bookmark of each channel that contributed, and ``commit(_:)`` saves them in
/// `<state dir>/windows-event-log.bookmarks.json` once the events are safe, so a restart
/// subscribes after them: no gap and no repeat. On the first run (no bookmark for a
/// channel) that channel starts with the events written from then on.
///
/// Everything here is platform-neutral and tested on Linux against a fake
/// ``WindowsEventLogAPI``; only ``WevtapiLibrary`` (the calls into wevtapi.dll) is Windows
/// code, and it is not compiled in CI. Used from the shipper's actor only.
public final class WindowsEventLogSource: EventSource {
    /// Channel path → bookmark XML after the batch's last event of that channel.
    public typealias Mark = [String: String]

    /// Which channels are read and how failures are retried.
    public struct Settings: Sendable, Hashable {
        /// The channels to subscribe to.
        public var channels = WindowsEventChannel.defaults
        /// Wait before subscribing again after a channel failed (missing, access denied).
        public var retryDelay: Duration = .seconds(60)

        /// The defaults: the four channels, a 60 s retry delay.
        public init() {}
    }

    private let settings: Settings
    private let store: WindowsBookmarkStore
    private let logger: Logger
    private let readers: [WindowsChannelReader]
    private var committed: [String: String]
    private var nextReader = 0

    /// Opens a bookmark per channel from the saved ones, through `api`.
    ///
    /// - Throws: ``SystemLogError`` when a bookmark cannot be created.
    init(settings: Settings, stateDirectory: String, logger: Logger, api: any WindowsEventLogAPI) throws(SystemLogError) {
        self.settings = settings
        self.store = WindowsBookmarkStore(stateDirectory: stateDirectory)
        self.logger = logger
        let saved = store.load()
        self.committed = saved
        var readers: [WindowsChannelReader] = []
        for channel in settings.channels {
            readers.append(try WindowsChannelReader(channel: channel, savedBookmark: saved[channel.path], api: api))
        }
        self.readers = readers
    }

    /// Reads through wevtapi.dll.
    ///
    /// - Throws: ``SystemLogError`` with ``SystemLogError/Code/eventLogUnavailable``
    ///   anywhere but Windows, or when wevtapi.dll cannot be loaded.
    public convenience init(settings: Settings = Settings(), stateDirectory: String, logger: Logger) throws(SystemLogError) {
        #if os(Windows)
        try self.init(settings: settings, stateDirectory: stateDirectory, logger: logger, api: try WevtapiLibrary())
        #else
        throw SystemLogError(code: .eventLogUnavailable, detail: "the Windows event log exists only on Windows (turn agent.windows_event_log off)")
        #endif
    }

    public func read(limit: Int) throws -> (events: [Event], mark: Mark)? {
        var events: [Event] = []
        var mark: Mark = [:]
        for step in 0..<readers.count where events.count < limit {
            let reader = readers[(nextReader + step) % readers.count]
            do {
                if let batch = try reader.read(limit: limit - events.count, retryDelay: settings.retryDelay) {
                    events.append(contentsOf: batch.events)
                    mark[reader.channel.path] = batch.bookmark
                }
            } catch {
                logger.error("cannot read a Windows event log channel; retrying later", metadata: [
                    "channel": "\(reader.channel.path)", "error": "\(error)", "in": "\(settings.retryDelay)",
                ])
            }
        }
        if !readers.isEmpty { nextReader = (nextReader + 1) % readers.count }
        return events.isEmpty ? nil : (events, mark)
    }

    public func commit(_ mark: Mark) throws {
        let merged = committed.merging(mark) { _, newer in newer }
        guard merged != committed else { return }
        try store.save(merged)
        committed = merged
    }
}

/// An open Windows event log object (`EVT_HANDLE`): a subscription, an event or a bookmark.
/// Only meaningful to the ``WindowsEventLogAPI`` that made it.
struct WindowsEventLogHandle: Hashable {
    /// The `EVT_HANDLE` value.
    let raw: UnsafeMutableRawPointer
}

/// The wevtapi.dll calls the Windows reader makes, as a protocol: ``WevtapiLibrary`` makes
/// them on Windows, and the tests play the event log on Linux, so everything above these
/// calls (channels, bookmarks, ids, retries) is compiled and tested everywhere.
///
/// Implementations are used from one task (the shipper's actor).
protocol WindowsEventLogAPI: AnyObject {
    /// `EvtSubscribe` in the pull model (a signal event, no callback) on `channel` for all
    /// events (`*`): after `bookmark` (`EvtSubscribeStartAfterBookmark`) when given, else
    /// the events written from now on (`EvtSubscribeToFutureEvents`).
    func subscribe(channel: String, after bookmark: WindowsEventLogHandle?) throws(SystemLogError) -> WindowsEventLogHandle

    /// `EvtNext` without waiting: up to `maximum` events available now, none when there are
    /// no more for the moment (`ERROR_NO_MORE_ITEMS`). The caller closes each event.
    func next(_ subscription: WindowsEventLogHandle, maximum: Int) throws(SystemLogError) -> [WindowsEventLogHandle]

    /// `EvtRender(EvtRenderEventXml)`: the event as XML.
    func renderXML(_ event: WindowsEventLogHandle) throws(SystemLogError) -> String

    /// `EvtCreateBookmark`: from saved bookmark XML, or an empty bookmark for `nil`.
    func createBookmark(_ xml: String?) throws(SystemLogError) -> WindowsEventLogHandle

    /// `EvtUpdateBookmark`: `bookmark` now points at `event`.
    func updateBookmark(_ bookmark: WindowsEventLogHandle, to event: WindowsEventLogHandle) throws(SystemLogError)

    /// `EvtRender(EvtRenderBookmark)`: the bookmark as XML, to persist.
    func renderBookmark(_ bookmark: WindowsEventLogHandle) throws(SystemLogError) -> String

    /// `EvtClose` (and, for a subscription, its signal event).
    func close(_ handle: WindowsEventLogHandle)
}

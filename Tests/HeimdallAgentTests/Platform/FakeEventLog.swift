@testable import HeimdallAgent

/// The Windows event log played in memory behind ``WindowsEventLogAPI``: channels of
/// rendered events (record ids from 1), subscriptions that deliver after a bookmark or
/// from now on, bookmarks rendered as wevtapi does. Records every open handle so tests
/// can check that all are closed, and fails calls on request.
final class FakeEventLog: WindowsEventLogAPI {
    private enum Object {
        case subscription(channel: String, next: Int)
        case event(channel: String, record: Int)
        case bookmark(channel: String?, record: Int)
    }

    private(set) var channels: [String: [String]] = [:]
    private var objects: [Int: Object] = [:]
    private var nextHandle = 1
    /// Handles are addresses inside this block (never dereferenced).
    private let handleSpace = UnsafeMutableRawPointer.allocate(byteCount: 1 << 16, alignment: 16)

    deinit { handleSpace.deallocate() }
    /// Channels whose `subscribe` fails (missing, access denied).
    var failingChannels: Set<String> = []
    /// The number of `renderXML` calls still to fail.
    var renderFailures = 0
    /// Every `subscribe` call: channel and the record it starts after (`nil`: future events).
    private(set) var subscriptions: [(channel: String, after: Int?)] = []

    /// Handles not closed yet.
    var openHandles: Int { objects.count }

    /// Appends an event for `channel`; returns its record id.
    @discardableResult
    func write(_ channel: String, eventID: Int = 4625, user: String = "alice") -> Int {
        let record = (channels[channel]?.count ?? 0) + 1
        let xml = windowsEvent(eventID, channel: channel, data: [("TargetUserName", user), ("IpAddress", "203.0.113.9"), ("LogonType", "3")])
            .replacingOccurrences(of: "<EventRecordID>98765</EventRecordID>", with: "<EventRecordID>\(record)</EventRecordID>")
        channels[channel, default: []].append(xml)
        return record
    }

    func subscribe(channel: String, after bookmark: WindowsEventLogHandle?) throws(SystemLogError) -> WindowsEventLogHandle {
        if failingChannels.contains(channel) { throw SystemLogError(code: .eventLogCallFailed, detail: "EvtSubscribe(\(channel)) failed: error 15007") }
        var after: Int?
        if let bookmark, case .bookmark(let marked, let record)? = objects[key(bookmark)], marked == channel { after = record }
        subscriptions.append((channel, after))
        return open(.subscription(channel: channel, next: after ?? channels[channel, default: []].count))
    }

    func next(_ subscription: WindowsEventLogHandle, maximum: Int) throws(SystemLogError) -> [WindowsEventLogHandle] {
        guard case .subscription(let channel, let next)? = objects[key(subscription)] else {
            throw SystemLogError(code: .eventLogCallFailed, detail: "EvtNext: bad handle")
        }
        let available = channels[channel, default: []].count
        let end = min(available, next + maximum)
        objects[key(subscription)] = .subscription(channel: channel, next: end)
        return (next..<end).map { open(.event(channel: channel, record: $0 + 1)) }
    }

    func renderXML(_ event: WindowsEventLogHandle) throws(SystemLogError) -> String {
        if renderFailures > 0 {
            renderFailures -= 1
            throw SystemLogError(code: .eventLogCallFailed, detail: "EvtRender failed: error 13")
        }
        guard case .event(let channel, let record)? = objects[key(event)], let xml = channels[channel]?[record - 1] else {
            throw SystemLogError(code: .eventLogCallFailed, detail: "EvtRender: bad handle")
        }
        return xml
    }

    func createBookmark(_ xml: String?) throws(SystemLogError) -> WindowsEventLogHandle {
        guard let xml else { return open(.bookmark(channel: nil, record: 0)) }
        guard let channel = Self.attribute("Channel", in: xml), let record = Self.attribute("RecordId", in: xml).flatMap(Int.init) else {
            throw SystemLogError(code: .eventLogCallFailed, detail: "EvtCreateBookmark failed: error 87")
        }
        return open(.bookmark(channel: channel, record: record))
    }

    func updateBookmark(_ bookmark: WindowsEventLogHandle, to event: WindowsEventLogHandle) throws(SystemLogError) {
        guard case .event(let channel, let record)? = objects[key(event)], case .bookmark? = objects[key(bookmark)] else {
            throw SystemLogError(code: .eventLogCallFailed, detail: "EvtUpdateBookmark: bad handle")
        }
        objects[key(bookmark)] = .bookmark(channel: channel, record: record)
    }

    func renderBookmark(_ bookmark: WindowsEventLogHandle) throws(SystemLogError) -> String {
        guard case .bookmark(let channel?, let record)? = objects[key(bookmark)] else {
            throw SystemLogError(code: .eventLogCallFailed, detail: "EvtRender(bookmark): empty")
        }
        return "<BookmarkList>\r\n  <Bookmark Channel='\(channel)' RecordId='\(record)' IsCurrent='true'/>\r\n</BookmarkList>"
    }

    func close(_ handle: WindowsEventLogHandle) {
        objects[key(handle)] = nil
    }

    private func open(_ object: Object) -> WindowsEventLogHandle {
        defer { nextHandle += 1 }
        objects[nextHandle] = object
        return WindowsEventLogHandle(raw: handleSpace + nextHandle % (1 << 16))
    }

    private func key(_ handle: WindowsEventLogHandle) -> Int { handleSpace.distance(to: handle.raw) }

    private static func attribute(_ name: String, in xml: String) -> String? {
        guard let start = xml.range(of: "\(name)='") else { return nil }
        return String(xml[start.upperBound...].prefix { $0 != "'" })
    }
}

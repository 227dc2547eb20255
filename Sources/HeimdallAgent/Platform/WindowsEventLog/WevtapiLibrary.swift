#if os(Windows)
import WinSDK

/// ``WindowsEventLogAPI`` through wevtapi.dll, loaded at run time: Swift's WinSDK module
/// map does not include winevt.h, so the functions are looked up with `GetProcAddress` and
/// called through `@convention(c)` types written from winevt.h (`EVT_HANDLE` is a `HANDLE`,
/// `DWORD` a `UInt32`, `BOOL` an `Int32`). Windows only; NOT compiled in CI.
///
/// Used from one task (the shipper's actor).
final class WevtapiLibrary: WindowsEventLogAPI {
    private typealias Subscribe = @convention(c) (
        UnsafeMutableRawPointer?, UnsafeMutableRawPointer?, UnsafePointer<UInt16>?, UnsafePointer<UInt16>?,
        UnsafeMutableRawPointer?, UnsafeMutableRawPointer?, UnsafeMutableRawPointer?, UInt32
    ) -> UnsafeMutableRawPointer?
    private typealias Next = @convention(c) (
        UnsafeMutableRawPointer?, UInt32, UnsafeMutablePointer<UnsafeMutableRawPointer?>?, UInt32, UInt32, UnsafeMutablePointer<UInt32>?
    ) -> Int32
    private typealias Render = @convention(c) (
        UnsafeMutableRawPointer?, UnsafeMutableRawPointer?, UInt32, UInt32, UnsafeMutableRawPointer?,
        UnsafeMutablePointer<UInt32>?, UnsafeMutablePointer<UInt32>?
    ) -> Int32
    private typealias Close = @convention(c) (UnsafeMutableRawPointer?) -> Int32
    private typealias CreateBookmark = @convention(c) (UnsafePointer<UInt16>?) -> UnsafeMutableRawPointer?
    private typealias UpdateBookmark = @convention(c) (UnsafeMutableRawPointer?, UnsafeMutableRawPointer?) -> Int32

    // winevt.h and winerror.h values.
    private static let subscribeFlagFutureEvents: UInt32 = 1
    private static let subscribeFlagAfterBookmark: UInt32 = 3
    private static let renderFlagEventXml: UInt32 = 1
    private static let renderFlagBookmark: UInt32 = 2
    private static let errorInsufficientBuffer: UInt32 = 122
    private static let errorNoMoreItems: UInt32 = 259

    private let module: HMODULE
    private let evtSubscribe: Subscribe
    private let evtNext: Next
    private let evtRender: Render
    private let evtClose: Close
    private let evtCreateBookmark: CreateBookmark
    private let evtUpdateBookmark: UpdateBookmark
    /// The signal event (`CreateEventW`) of each subscription, closed with it.
    private var signals: [WindowsEventLogHandle: HANDLE] = [:]

    /// Loads wevtapi.dll and its functions.
    ///
    /// - Throws: ``SystemLogError`` with ``SystemLogError/Code/eventLogUnavailable``.
    init() throws(SystemLogError) {
        guard let module = "wevtapi.dll".withCString(encodedAs: UTF16.self, { LoadLibraryW($0) }) else {
            throw SystemLogError(code: .eventLogUnavailable, detail: "LoadLibraryW(wevtapi.dll) failed: error \(GetLastError())")
        }
        func function<T>(_ name: String, as type: T.Type) throws(SystemLogError) -> T {
            guard let address = GetProcAddress(module, name) else {
                throw SystemLogError(code: .eventLogUnavailable, detail: "wevtapi.dll has no \(name)")
            }
            return unsafeBitCast(address, to: type)
        }
        self.module = module
        evtSubscribe = try function("EvtSubscribe", as: Subscribe.self)
        evtNext = try function("EvtNext", as: Next.self)
        evtRender = try function("EvtRender", as: Render.self)
        evtClose = try function("EvtClose", as: Close.self)
        evtCreateBookmark = try function("EvtCreateBookmark", as: CreateBookmark.self)
        evtUpdateBookmark = try function("EvtUpdateBookmark", as: UpdateBookmark.self)
    }

    deinit {
        FreeLibrary(module)
    }

    func subscribe(channel: String, after bookmark: WindowsEventLogHandle?) throws(SystemLogError) -> WindowsEventLogHandle {
        // Manual reset, initially signalled: EvtNext is called on every read anyway.
        guard let signal = CreateEventW(nil, true, true, nil) else { throw failure("CreateEventW") }
        let flags = bookmark == nil ? Self.subscribeFlagFutureEvents : Self.subscribeFlagAfterBookmark
        let handle = channel.withCString(encodedAs: UTF16.self) { path in
            "*".withCString(encodedAs: UTF16.self) { query in
                evtSubscribe(nil, signal, path, query, bookmark?.raw, nil, nil, flags)
            }
        }
        guard let handle else {
            let error = failure("EvtSubscribe(\(channel))")
            CloseHandle(signal)
            throw error
        }
        let subscription = WindowsEventLogHandle(raw: handle)
        signals[subscription] = signal
        return subscription
    }

    func next(_ subscription: WindowsEventLogHandle, maximum: Int) throws(SystemLogError) -> [WindowsEventLogHandle] {
        var handles = [UnsafeMutableRawPointer?](repeating: nil, count: max(1, maximum))
        var returned: UInt32 = 0
        let succeeded = handles.withUnsafeMutableBufferPointer { buffer in
            evtNext(subscription.raw, UInt32(buffer.count), buffer.baseAddress, 0, 0, &returned) != 0
        }
        guard succeeded else {
            let code = GetLastError()
            if code == Self.errorNoMoreItems {
                if let signal = signals[subscription] { ResetEvent(signal) }
                return []
            }
            throw SystemLogError(code: .eventLogCallFailed, detail: "EvtNext failed: error \(code)")
        }
        return handles.prefix(Int(returned)).compactMap { $0.map(WindowsEventLogHandle.init(raw:)) }
    }

    func renderXML(_ event: WindowsEventLogHandle) throws(SystemLogError) -> String {
        try render(event.raw, flags: Self.renderFlagEventXml, call: "EvtRender(EvtRenderEventXml)")
    }

    func createBookmark(_ xml: String?) throws(SystemLogError) -> WindowsEventLogHandle {
        let handle: UnsafeMutableRawPointer?
        if let xml {
            handle = xml.withCString(encodedAs: UTF16.self) { evtCreateBookmark($0) }
        } else {
            handle = evtCreateBookmark(nil)
        }
        guard let handle else { throw failure("EvtCreateBookmark") }
        return WindowsEventLogHandle(raw: handle)
    }

    func updateBookmark(_ bookmark: WindowsEventLogHandle, to event: WindowsEventLogHandle) throws(SystemLogError) {
        guard evtUpdateBookmark(bookmark.raw, event.raw) != 0 else { throw failure("EvtUpdateBookmark") }
    }

    func renderBookmark(_ bookmark: WindowsEventLogHandle) throws(SystemLogError) -> String {
        try render(bookmark.raw, flags: Self.renderFlagBookmark, call: "EvtRender(EvtRenderBookmark)")
    }

    func close(_ handle: WindowsEventLogHandle) {
        _ = evtClose(handle.raw)
        if let signal = signals.removeValue(forKey: handle) { CloseHandle(signal) }
    }

    /// `EvtRender` into a buffer of the size a first call asks for; the UTF-16 text up to its NUL.
    private func render(_ handle: UnsafeMutableRawPointer, flags: UInt32, call: String) throws(SystemLogError) -> String {
        var used: UInt32 = 0
        var properties: UInt32 = 0
        if evtRender(nil, handle, flags, 0, nil, &used, &properties) == 0, GetLastError() != Self.errorInsufficientBuffer {
            throw failure(call)
        }
        var buffer = [UInt16](repeating: 0, count: Int(used) / 2 + 1)
        let size = UInt32(buffer.count * 2)
        let rendered = buffer.withUnsafeMutableBytes { bytes in
            evtRender(nil, handle, flags, size, bytes.baseAddress, &used, &properties) != 0
        }
        guard rendered else { throw failure(call) }
        return String(decoding: buffer.prefix { $0 != 0 }, as: UTF16.self)
    }

    private func failure(_ call: String) -> SystemLogError {
        SystemLogError(code: .eventLogCallFailed, detail: "\(call) failed: error \(GetLastError())")
    }
}
#endif

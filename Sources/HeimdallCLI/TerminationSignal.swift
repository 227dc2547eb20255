import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Waits for SIGTERM or SIGINT.
public enum TerminationSignal {
    /// Returns the name of the first termination signal received.
    public static func wait() async -> String {
        await withCheckedContinuation { continuation in
            let once = ResumeOnce(continuation)
            for (number, name) in [(SIGTERM, "SIGTERM"), (SIGINT, "SIGINT")] {
                signal(number, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
                source.setEventHandler { once.resume(name) }
                source.resume()
                once.retain(source)
            }
        }
    }
}

private final class ResumeOnce: @unchecked Sendable {
    private let lock = Mutex<Void>(())
    private var continuation: CheckedContinuation<String, Never>?
    private var sources: [any DispatchSourceSignal] = []

    init(_ continuation: CheckedContinuation<String, Never>) { self.continuation = continuation }

    func retain(_ source: any DispatchSourceSignal) {
        lock.withLock { _ in sources.append(source) }
    }

    func resume(_ name: String) {
        let pending = lock.withLock { _ -> CheckedContinuation<String, Never>? in
            defer { continuation = nil }
            return continuation
        }
        pending?.resume(returning: name)
    }
}

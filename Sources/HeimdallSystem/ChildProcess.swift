#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A child process started with `posix_spawn`, waited for with `waitpid`.
///
/// Unlike `Foundation.Process`, nothing in this process watches the child's descriptors,
/// so children that leave daemons behind (`pg_ctl start`) never hang the caller. The child
/// gets `/dev/null` as standard input and no inherited descriptor above 2.
///
/// All methods block the calling thread; call them from a thread pool, never from an event
/// loop. An instance may be shared between threads.
public final class ChildProcess: Sendable {
    /// Where the child's standard output and standard error go.
    public enum Output: Sendable, Hashable {
        /// Discarded (`/dev/null`).
        case discard
        /// Appended to the file at this path (created with mode 0600 when missing).
        case file(String)
        /// Read fully into memory (standard output and standard error interleaved).
        case capture
        /// Standard output into a non-blocking pipe read with ``ChildProcess/readOutput(maximum:)``
        /// while the child runs; standard error appended to the file at `standardError`
        /// (created with mode 0600 when missing), or discarded when it is `nil`.
        case stream(standardError: String?)
    }

    /// What ``readOutput(maximum:)`` found.
    public enum OutputChunk: Sendable, Hashable {
        /// Bytes the child wrote.
        case bytes([UInt8])
        /// Nothing available now; the child may write more.
        case wouldBlock
        /// The child closed its standard output (it exited, usually).
        case endOfFile
    }

    /// The child's process id.
    public let pid: pid_t
    /// The command line as started (after any `runuser` prefix), for messages.
    public let commandLine: [String]
    private let captureDescriptor: Int32?
    private let streams: Bool
    private let state = Mutex<State>(State())
    /// Serialises reaping: held across `waitpid`, so one caller reaps and the others read the status.
    private let waitLock = Mutex<Void>(())

    private struct State {
        var status: Int32?
        var output = ""
    }

    private init(pid: pid_t, commandLine: [String], captureDescriptor: Int32?, streams: Bool) {
        self.pid = pid
        self.commandLine = commandLine
        self.captureDescriptor = captureDescriptor
        self.streams = streams
    }

    deinit {
        if let captureDescriptor { close(captureDescriptor) }
    }

    /// Starts `command` (an absolute path, or a name looked up in `PATH`) with `arguments`.
    ///
    /// - Parameters:
    ///   - environment: the child's whole environment; `nil` inherits this process's.
    ///   - output: where standard output and standard error go.
    ///   - user: when this process runs as root (euid 0) and `user` is set, the command runs
    ///     as that user through `runuser -u USER --`; otherwise `user` is ignored.
    ///   - workingDirectory: the child's working directory; `nil` keeps this process's.
    /// - Throws: ``ChildProcessError`` when the command cannot be found or started.
    public static func spawn(
        _ command: String, _ arguments: [String] = [], environment: [String: String]? = nil,
        output: Output = .discard, user: String? = nil, workingDirectory: String? = nil
    ) throws -> ChildProcess {
        var commandLine = [command] + arguments
        if let user, geteuid() == 0 {
            commandLine = ["runuser", "-u", user, "--"] + commandLine
        }
        let executable = try resolve(commandLine[0], environment: environment)
        let environmentLines = (environment ?? ProcessInfo.processInfo.environment).map { "\($0.key)=\($0.value)" }
        return try SpawnRequest(
            executable: executable, commandLine: commandLine, environment: environmentLines,
            output: output, workingDirectory: workingDirectory
        ).start { pid, descriptor in
            ChildProcess(pid: pid, commandLine: commandLine, captureDescriptor: descriptor, streams: {
                if case .stream = output { return true }
                return false
            }())
        }
    }

    /// Runs a command to completion and returns its exit status and captured output.
    ///
    /// Same parameters as ``spawn(_:_:environment:output:user:workingDirectory:)``, with
    /// output always captured. Blocks until the child exits and its output reaches EOF.
    public static func run(
        _ command: String, _ arguments: [String] = [], environment: [String: String]? = nil,
        user: String? = nil, workingDirectory: String? = nil
    ) throws -> (status: Int32, output: String) {
        let child = try spawn(
            command, arguments, environment: environment, output: .capture, user: user,
            workingDirectory: workingDirectory
        )
        let status = child.wait()
        return (status, child.capturedOutput)
    }

    /// Sends `signal` (e.g. `SIGTERM`) to the child; false when it is already gone.
    @discardableResult
    public func signal(_ signal: Int32) -> Bool {
        if state.withLock({ $0.status != nil }) { return false }
        return kill(pid, signal) == 0
    }

    /// Waits for the child to exit and returns its exit code, or 128 + the signal number
    /// when a signal ended it. With `.capture`, reads the output to EOF first. Calling it
    /// again returns the same status.
    @discardableResult
    public func wait() -> Int32 {
        waitLock.withLock { _ in
            if let status = state.withLock({ $0.status }) { return status }
            let output = streams ? "" : captureDescriptor.map(Self.readAll) ?? ""
            let status = Self.waitForExit(pid)
            state.withLock {
                $0.status = status
                $0.output = output
            }
            return status
        }
    }

    /// Reads at most `maximum` bytes of a `.stream` child's standard output without
    /// blocking. Not for other outputs (returns ``OutputChunk/endOfFile``). One reader at a time.
    public func readOutput(maximum: Int = 65_536) -> OutputChunk {
        guard streams, let descriptor = captureDescriptor, maximum > 0 else { return .endOfFile }
        var buffer = [UInt8](repeating: 0, count: maximum)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count > 0 { return .bytes(Array(buffer[0..<count])) }
            if count == 0 { return .endOfFile }
            if errno == EINTR { continue }
            if errno == EAGAIN || errno == EWOULDBLOCK { return .wouldBlock }
            return .endOfFile
        }
    }

    /// The exit status if the child has exited (reaping it), `nil` while it runs. Never
    /// blocks; the status is also what ``wait()`` returns afterwards.
    public func exitStatusIfExited() -> Int32? {
        waitLock.withLock { _ in
            if let status = state.withLock({ $0.status }) { return status }
            var raw: Int32 = 0
            let result = waitpid(pid, &raw, WNOHANG)
            guard result == pid else {
                if result < 0, errno != EINTR {
                    state.withLock { $0.status = -1 }
                    return -1
                }
                return nil
            }
            let signalNumber = raw & 0x7f
            let status = signalNumber == 0 ? (raw >> 8) & 0xff : 128 + signalNumber
            state.withLock { $0.status = status }
            return status
        }
    }

    /// The output read by ``wait()`` when the child was spawned with `.capture`.
    public var capturedOutput: String {
        state.withLock { $0.output }
    }

    private static func readAll(_ descriptor: Int32) -> String {
        var data = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count > 0 {
                data.append(contentsOf: buffer[0..<count])
            } else if count < 0, errno == EINTR {
                continue
            } else {
                break
            }
        }
        return String(decoding: data, as: UTF8.self)
    }

    private static func waitForExit(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while true {
            let result = waitpid(pid, &status, 0)
            if result == pid { break }
            if result < 0, errno == EINTR { continue }
            return -1
        }
        let signalNumber = status & 0x7f
        if signalNumber == 0 { return (status >> 8) & 0xff }
        return 128 + signalNumber
    }

    /// The absolute path of `command`: itself when it contains a slash, else the first
    /// executable match in `PATH`.
    public static func resolve(_ command: String, environment: [String: String]?) throws -> String {
        if command.contains("/") {
            guard access(command, X_OK) == 0 else { throw ChildProcessError(.notFound, command: command, errno: errno) }
            return command
        }
        let path = environment?["PATH"] ?? ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") where !directory.isEmpty {
            let candidate = "\(directory)/\(command)"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        throw ChildProcessError(.notFound, command: command, errno: ENOENT)
    }
}

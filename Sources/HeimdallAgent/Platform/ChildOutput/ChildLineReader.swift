#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import HeimdallSystem

/// A running child process whose standard output is read line by line without blocking
/// (``ChildProcess`` in `.stream` mode): the readers of `journalctl` and `log`.
///
/// Once the child closed its output, it is reaped and ``exitStatus`` is set; the lines it
/// wrote before stay available to ``take(_:)``. Used from one task (the shipper's actor).
final class ChildLineReader {
    /// The child, for messages (`commandLine`, `pid`).
    let process: ChildProcess
    private var buffer = OutputLineBuffer()
    /// Whether the child wrote anything.
    private(set) var producedOutput = false
    /// The child's exit status once its output ended (see ``ChildProcess/wait()``).
    private(set) var exitStatus: Int32?

    /// Starts `executable` with `arguments`; standard error is appended to `standardError`.
    ///
    /// - Throws: ``ChildProcessError`` when it cannot be started.
    init(executable: String, arguments: [String], standardError: String?) throws {
        process = try ChildProcess.spawn(executable, arguments, output: .stream(standardError: standardError))
    }

    deinit { stop() }

    /// Whether the output ended and every line was taken.
    var isFinished: Bool { exitStatus != nil && buffer.count == 0 }

    /// Reads what the child wrote until `limit` lines wait or nothing more is there now.
    /// Never blocks (reaping a child that closed its output takes no time).
    func pump(until limit: Int) {
        guard exitStatus == nil else { return }
        while buffer.count < limit {
            switch process.readOutput() {
            case .bytes(let bytes):
                producedOutput = true
                buffer.append(bytes)
            case .wouldBlock:
                return
            case .endOfFile:
                buffer.finish()
                exitStatus = process.wait()
                return
            }
        }
    }

    /// Removes and returns up to `limit` complete lines, oldest first.
    func take(_ limit: Int) -> [String] {
        buffer.take(limit)
    }

    /// Ends the child (SIGTERM, then reaps it) if it still runs.
    func stop() {
        guard exitStatus == nil else { return }
        process.signal(SIGTERM)
        exitStatus = process.wait()
    }
}

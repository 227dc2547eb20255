#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes command output to the process's standard streams without buffering surprises.
/// Any thread (each call writes its text with `write(2)`, repeated only for short writes).
public enum StandardStreams {
    /// Writes `text` to standard output.
    public static func writeOutput(_ text: String) {
        writeAll(text, to: STDOUT_FILENO)
    }

    /// Writes `text` to standard error.
    public static func writeError(_ text: String) {
        writeAll(text, to: STDERR_FILENO)
    }

    /// Writes all of `text`, retrying after interruptions and short writes; gives up
    /// silently on any other error (a closed pipe, a full disk), as there is nowhere left
    /// to report it.
    private static func writeAll(_ text: String, to descriptor: Int32) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { buffer in
                write(descriptor, buffer.baseAddress, buffer.count)
            }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { return }
            bytes = bytes.dropFirst(written)
        }
    }
}

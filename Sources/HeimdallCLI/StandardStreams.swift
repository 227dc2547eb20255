import Foundation

/// Writes command output to the process's standard streams without buffering surprises.
/// Any thread (each call is one `write`).
public enum StandardStreams {
    /// Writes `text` to standard output.
    public static func writeOutput(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    /// Writes `text` to standard error.
    public static func writeError(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}

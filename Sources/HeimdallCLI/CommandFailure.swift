import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A usage mistake found after parsing (e.g. two options that exclude each other).
/// ``HeimdallCommand`` prints its message and exits with status 64.
public struct UsageError: Error, Sendable, Hashable, CustomStringConvertible {
    /// One sentence saying what was wrong with the command line.
    public var message: String

    /// Creates the error. Any thread.
    public init(_ message: String) {
        self.message = message
    }

    /// The message.
    public var description: String { message }
}

/// Maps errors thrown by a command body to what the process does. Any thread.
public enum CommandFailure {
    /// Exit status for an operational failure.
    public static let operationalFailure: Int32 = 1
    /// Exit status for a usage error (`EX_USAGE`, ArgumentParser's own choice too).
    public static let usageFailure: Int32 = 64

    /// Writes the error's sentence to standard error (unless ArgumentParser reports it
    /// itself) and returns the error for ArgumentParser to end the process with.
    public static func report(_ error: any Error) -> any Error {
        if isArgumentParserError(error) { return error }
        if let usage = error as? UsageError {
            StandardStreams.writeError("error: \(sentence(usage.message))\n")
            return ExitCode(usageFailure)
        }
        StandardStreams.writeError("error: \(sentence(for: error))\n")
        return ExitCode(operationalFailure)
    }

    /// True for errors ArgumentParser prints and maps itself (exit codes, clean exits,
    /// validation errors).
    public static func isArgumentParserError(_ error: any Error) -> Bool {
        error is ExitCode || error is CleanExit || error is ValidationError
    }

    /// The error as one line: Foundation file errors by path and reason, others by
    /// their `description`; whitespace runs (newlines included) collapse to one space.
    public static func sentence(for error: any Error) -> String {
        if error is CancellationError { return "The operation was interrupted." }
        if let fileError = error as? CocoaError { return sentence(FileErrorText.describe(fileError)) }
        return sentence(String(describing: error))
    }

    /// `text` on one line, ending with a full stop (or other sentence punctuation).
    public static func sentence(_ text: String) -> String {
        var line = text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        if line.isEmpty { line = "The operation failed" }
        while line.hasSuffix("..") && !line.hasSuffix("...") { line.removeLast() }
        if let last = line.last, !".!?".contains(last) { line += "." }
        return line
    }
}

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

/// One line for a Foundation file error (`CocoaError`): what failed, on which path and why,
/// e.g. `could not read /etc/heimdall/agent.toml: No such file or directory`. Foundation's
/// localized descriptions are not in FoundationEssentials, which is all the agent links.
/// Pure: any thread.
enum FileErrorText {
    static func describe(_ error: CocoaError) -> String {
        let code = error.code.rawValue
        let action = (256..<512).contains(code) ? "could not read" : (512..<1024).contains(code) ? "could not write" : "file operation failed on"
        return "\(action) \(error.filePath ?? "a file"): \(reason(error))"
    }

    private static func reason(_ error: CocoaError) -> String {
        if let posix = error.underlying as? POSIXError { return String(cString: strerror(posix.code.rawValue)) }
        switch error.code {
        case .fileNoSuchFile, .fileReadNoSuchFile: return "no such file"
        case .fileReadNoPermission, .fileWriteNoPermission: return "permission denied"
        case .fileReadCorruptFile: return "the content is corrupt"
        case .fileReadInapplicableStringEncoding, .fileReadUnknownStringEncoding: return "the text encoding is not readable"
        case .fileWriteOutOfSpace: return "no space left on the device"
        default: return "error \(error.code.rawValue)"
        }
    }
}

import Foundation
import HeimdallSystem

enum ChildProcessHelper {
    /// A new private temporary directory.
    static func mktemp() throws -> URL {
        let result = try ChildProcess.run("mktemp", ["-d", "/tmp/heimdall-store-test.XXXXXX"])
        return URL(fileURLWithPath: result.output.trimmingCharacters(in: .whitespacesAndNewlines), isDirectory: true)
    }
}

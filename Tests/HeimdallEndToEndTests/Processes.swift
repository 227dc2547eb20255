import Foundation
import HeimdallStore
import HeimdallSystem
import HeimdallTestSupport

/// The built executables, found beside the test bundle (`swift build` builds them before
/// `swift test --skip-build` runs this target), or in `$HEIMDALL_BIN_DIR`.
enum Executables {
    static var directory: String {
        if let directory = ProcessInfo.processInfo.environment["HEIMDALL_BIN_DIR"] { return directory }
        var url = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.isExecutableFile(atPath: url.appendingPathComponent("heimdall-hub").path) { return url.path }
        }
        return ".build/debug"
    }

    static func path(_ name: String) -> String { directory + "/" + name }
}

/// A free TCP port on 127.0.0.1 (bound, read and released; racy only in theory).
func freePort() throws -> Int {
    let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(socket) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) == 0 && getsockname(socket, $0, &length) == 0 }
    }
    guard bound else { throw E2EError("cannot find a free port") }
    return Int(UInt16(bigEndian: address.sin_port))
}

struct E2EError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A scratch directory, a test PKI, a fresh database, and helpers to run the hub and agent
/// as real processes against them.
final class Deployment: Sendable {
    let root: String
    let pki: TestPKI
    let databaseURL: String
    let hubPort: Int

    init(name: String) async throws {
        root = NSTemporaryDirectory() + "heimdall-e2e-\(name)-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        pki = try TestPKI()
        databaseURL = try await TestDatabase.fresh(name: "e2e_\(name)")
        hubPort = try freePort()
    }

    /// Starts the hub; the enrollment listener only when `enrollPort` is given.
    func startHub(enrollPort: Int? = nil) throws -> ChildProcess {
        try ChildProcess.spawn(
            Executables.path("heimdall-hub"),
            ["serve", "--pki-dir", pki.caDirectory, "--listen", "127.0.0.1:\(hubPort)",
             "--enroll-listen", enrollPort.map { "127.0.0.1:\($0)" } ?? "off", "--database-url", databaseURL],
            environment: ["HEIMDALL_LOG_LEVEL": "info"], output: .file(root + "/hub.log")
        )
    }

    func startAgent(tailing files: [String], bundle: TestPKI.Bundle, extra: [String] = []) throws -> ChildProcess {
        try ChildProcess.spawn(
            Executables.path("heimdall-agent"),
            ["run", "--hub", "127.0.0.1:\(hubPort)", "--cert", bundle.certificatePath, "--key", bundle.keyPath, "--ca", bundle.caPath,
             "--state-dir", root + "/agent-state"] + files.flatMap { ["--tail", $0] } + extra,
            environment: ["HEIMDALL_LOG_LEVEL": "info"], output: .file(root + "/agent.log")
        )
    }

    /// Rows in `events`.
    func eventCount() throws -> Int {
        let connection = try PostgresConnection(url: databaseURL)
        return try connection.query("SELECT count(*) AS count FROM events").first?.int("count") ?? -1
    }

    /// How the most recently started session ended (`nil` while it is open).
    func lastSessionEndReason() throws -> String? {
        let connection = try PostgresConnection(url: databaseURL)
        return try connection.query("SELECT end_reason FROM sessions ORDER BY started_at DESC LIMIT 1").first?.string("end_reason")
    }

    /// Polls until `events` holds `count` rows; returns the last count seen.
    func waitForEvents(_ count: Int, timeout: Duration = .seconds(30)) async throws -> Int {
        let deadline = ContinuousClock.now + timeout
        var seen = -1
        while ContinuousClock.now < deadline {
            seen = (try? eventCount()) ?? -1
            if seen >= count { return seen }
            try await Task.sleep(for: .milliseconds(100))
        }
        return seen
    }

    func log(_ name: String) -> String {
        (try? String(contentsOfFile: root + "/" + name, encoding: .utf8)) ?? ""
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: root)
        pki.remove()
    }
}

/// Appends syslog-style auth lines to a file, each unique.
struct LogWriter {
    let path: String

    func append(_ range: Range<Int>) throws {
        let text = range.map { "Nov 20 10:15:02 web-01 sshd[\($0)]: Failed password for user\($0) from 203.0.113.9 port \(1000 + $0) ssh2\n" }.joined()
        guard let handle = FileHandle(forWritingAtPath: path) else {
            _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
            return
        }
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(text.utf8))
    }
}

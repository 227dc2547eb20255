import Foundation
import HeimdallSystem
import Testing

/// The enrollment contract through the executables: `heimdall-pki enroll` prints the token
/// alone, `heimdall-agent enroll` fills the state directory, `heimdall-agent run` needs
/// nothing but `--state-dir` and `--tail`.
@Suite(.serialized) struct EnrollmentCLITests {
    @Test func tokenToEnrolledAgentToStoredEvents() async throws {
        let deployment = try await Deployment(name: "enroll_cli")
        defer { deployment.remove() }
        let enrollPort = try freePort()
        let hub = try deployment.startHub(enrollPort: enrollPort)
        defer { hub.signal(SIGTERM); hub.wait() }
        let quiet = ["HEIMDALL_LOG_LEVEL": "error", "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"]

        let pki = try ChildProcess.run(
            Executables.path("heimdall-pki"),
            ["enroll", "web-02", "--ttl", "15m", "--hub", "127.0.0.1:\(enrollPort)", "--pki-dir", deployment.pki.caDirectory,
             "--database-url", deployment.databaseURL],
            environment: quiet
        )
        #expect(pki.status == 0, "\(pki.output)")
        let lines = pki.output.split(separator: "\n")
        #expect(lines.count == 1 && lines.first?.hasPrefix("hdm1.") == true, "\(pki.output)")
        let token = String(lines.first ?? "")

        let state = deployment.root + "/state"
        var enrolled = (status: Int32(-1), output: "")
        for _ in 0..<50 {  // the hub may still be starting
            enrolled = try ChildProcess.run(Executables.path("heimdall-agent"), ["enroll", "--token", token, "--state-dir", state], environment: quiet)
            if enrolled.status == 0 || !enrolled.output.contains("cannot connect") { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        #expect(enrolled.status == 0, "\(enrolled.output)\n\(deployment.log("hub.log"))")
        #expect(enrolled.output.contains("enrolled web-02"))
        var info = stat()
        #expect(stat(state + "/host.key", &info) == 0 && info.st_mode & 0o777 == 0o600)
        #expect(try String(contentsOfFile: state + "/hub", encoding: .utf8) == "127.0.0.1:\(deployment.hubPort)\n")

        let reused = try ChildProcess.run(Executables.path("heimdall-agent"), ["enroll", "--token", token, "--state-dir", state + "2"], environment: quiet)
        #expect(reused.status == 1 && reused.output.contains("token_used"), "\(reused.output)")

        let log = LogWriter(path: deployment.root + "/auth.log")
        try log.append(0..<20)
        let agent = try ChildProcess.spawn(
            Executables.path("heimdall-agent"), ["run", "--state-dir", state, "--tail", log.path],
            environment: ["HEIMDALL_LOG_LEVEL": "info"], output: .file(deployment.root + "/agent.log")
        )
        defer { agent.signal(SIGKILL); agent.wait() }
        #expect(try await deployment.waitForEvents(20) == 20, "\(deployment.log("agent.log"))")
    }
}

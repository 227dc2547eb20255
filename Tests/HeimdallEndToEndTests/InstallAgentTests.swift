import Foundation
import HeimdallSystem
import Testing

/// `deploy/install-agent.sh --root` for real: fake account and service tools first in
/// `PATH`, a real hub with its enrollment listener, a real token, the built agent. Checks
/// what lands below the staging root, what the script asked of the system, and that a
/// second run changes nothing it should keep.
@Suite(.serialized) struct InstallAgentTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    @Test func installsEnrollsAndEnablesBelowAStagingRootAndARerunIsSafe() async throws {
        let deployment = try await Deployment(name: "install")
        defer { deployment.remove() }
        let enrollPort = try freePort()
        let hub = try deployment.startHub(enrollPort: enrollPort)
        defer { hub.signal(SIGTERM); hub.wait() }
        let tools = try FakeSystemTools(directory: deployment.root + "/fake")
        let root = deployment.root + "/staging"
        try FileManager.default.createDirectory(atPath: root + "/run/systemd/system", withIntermediateDirectories: true)
        let token = try enrollmentToken(deployment, enrollPort: enrollPort)
        try await waitForListener(port: enrollPort)

        let first = try install(token: token, root: root, tools: tools)
        #expect(first.status == 0, "\(first.output)\n\(deployment.log("hub.log"))")
        let state = root + "/var/lib/heimdall-agent"
        #expect(mode(root + "/usr/local/bin/heimdall-agent") == 0o755)
        #expect(FileManager.default.contentsEqual(atPath: root + "/usr/local/bin/heimdall-agent", andPath: Executables.path("heimdall-agent")))
        let config = root + "/etc/heimdall/agent.toml"
        #expect(FileManager.default.contentsEqual(atPath: config, andPath: Self.repository + "/config/agent.example.toml"))
        #expect(mode(config) == 0o640 && owner(config)?.group == FakeSystemTools.serviceID)
        #expect(mode(state) == 0o700 && owner(state)?.user == FakeSystemTools.serviceID)
        #expect(mode(state + "/host.key") == 0o600 && owner(state + "/host.key")?.user == FakeSystemTools.serviceID)
        for file in ["host.pem", "ca.pem", "hub"] { #expect(FileManager.default.fileExists(atPath: state + "/" + file), "\(file)") }
        #expect(try String(contentsOfFile: state + "/hub", encoding: .utf8) == "127.0.0.1:\(deployment.hubPort)\n")
        try checkUnit(root + "/etc/systemd/system/heimdall-agent.service")

        let calls = tools.recorded()
        #expect(calls.contains("groupadd --system heimdall-agent"), "\(calls)")
        #expect(calls.contains { $0.hasPrefix("useradd --system --gid heimdall-agent --groups adm --home-dir /var/lib/heimdall-agent") })
        #expect(calls.contains("usermod --append --groups systemd-journal heimdall-agent"))
        #expect(calls.contains("runuser -u heimdall-agent -- \(root)/usr/local/bin/heimdall-agent enroll --token \(token) --state-dir \(state)"))
        #expect(calls.contains("systemctl daemon-reload"))
        #expect(calls.contains("systemctl enable --now heimdall-agent.service"))
        if let verify = try systemdAnalyzeVerify(root: root) {
            #expect(verify.status == 0, "\(verify.output)")
            let complaints = verify.output.split(separator: "\n").filter { !$0.contains("Unknown key 'RestartSteps'") && !$0.contains("Unknown key 'RestartMaxDelaySec'") }
            #expect(complaints.isEmpty, "\(verify.output)")
        }

        // A second run: the account exists, the config was edited, the host is enrolled.
        let certificate = try Data(contentsOf: URL(fileURLWithPath: state + "/host.pem"))
        try "# edited by the operator\n".write(toFile: config, atomically: false, encoding: .utf8)
        let before = calls.count
        let second = try install(token: "hdm1.not-a-token", root: root, tools: tools)
        #expect(second.status == 0, "\(second.output)")
        #expect(second.output.contains("already enrolled"))
        let again = Array(tools.recorded().dropFirst(before))
        #expect(!again.contains { $0.hasPrefix("runuser") || $0.hasPrefix("useradd") || $0.hasPrefix("groupadd") }, "\(again)")
        #expect(again.contains("usermod --append --groups adm heimdall-agent"))
        #expect(try String(contentsOfFile: config, encoding: .utf8) == "# edited by the operator\n")
        #expect(try Data(contentsOf: URL(fileURLWithPath: state + "/host.pem")) == certificate)
    }

    @Test func anUnknownOptionOrAMissingRootIsRefused() throws {
        let script = Self.repository + "/deploy/install-agent.sh"
        let unknown = try ChildProcess.run("/bin/bash", [script, "hdm1.x", "--frobnicate"])
        #expect(unknown.status == 2 && unknown.output.contains("unknown option --frobnicate"), "\(unknown.output)")
        let missing = try ChildProcess.run("/bin/bash", [script, "hdm1.x", "--root", "/nonexistent/heimdall-root", "--binary", "/bin/true"])
        #expect(missing.status == 1 && missing.output.contains("is not a directory"), "\(missing.output)")
    }

    private func install(token: String, root: String, tools: FakeSystemTools) throws -> (status: Int32, output: String) {
        try ChildProcess.run(
            "/bin/bash", [Self.repository + "/deploy/install-agent.sh", token, "--root", root, "--binary", Executables.path("heimdall-agent")],
            environment: tools.environment
        )
    }

    private func enrollmentToken(_ deployment: Deployment, enrollPort: Int) throws -> String {
        let pki = try ChildProcess.run(
            Executables.path("heimdall-pki"),
            ["enroll", "web-03", "--ttl", "15m", "--hub", "127.0.0.1:\(enrollPort)", "--pki-dir", deployment.pki.caDirectory,
             "--database-url", deployment.databaseURL],
            environment: ["HEIMDALL_LOG_LEVEL": "error", "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"]
        )
        guard pki.status == 0, let token = pki.output.split(separator: "\n").first, token.hasPrefix("hdm1.") else {
            throw E2EError("heimdall-pki enroll failed: \(pki.output)")
        }
        return String(token)
    }

    /// The hardening the unit must keep.
    private func checkUnit(_ path: String) throws {
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init).filter { !$0.hasPrefix("#") }
        for expected in [
            "User=heimdall-agent", "SupplementaryGroups=adm", "NoNewPrivileges=yes", "ProtectSystem=strict", "ProtectHome=yes", "PrivateTmp=yes",
            "Restart=on-failure", "RestartSec=2s", "RestartSteps=8", "RestartMaxDelaySec=5min", "CapabilityBoundingSet=", "AmbientCapabilities=",
            "ExecStart=/usr/local/bin/heimdall-agent run --config /etc/heimdall/agent.toml",
        ] {
            #expect(lines.contains(expected), "\(expected)")
        }
        #expect(lines.filter { $0.hasPrefix("ReadWritePaths=") } == ["ReadWritePaths=/var/lib/heimdall-agent"])
        #expect(mode(path) == 0o644)
    }

    /// `systemd-analyze verify --root` on the staged unit (with the system's own units
    /// copied in, for its dependencies), or `nil` when systemd-analyze is not installed.
    private func systemdAnalyzeVerify(root: String) throws -> (status: Int32, output: String)? {
        guard let analyze = try? ChildProcess.resolve("systemd-analyze", environment: nil) else { return nil }
        let units = root + "/usr/lib/systemd"
        try FileManager.default.createDirectory(atPath: units, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: "/usr/lib/systemd/system", toPath: units + "/system")
        return try ChildProcess.run(analyze, ["verify", "--root=" + root, "/etc/systemd/system/heimdall-agent.service"])
    }

    private func waitForListener(port: Int) async throws {
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            if canConnect(port: port) { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw E2EError("nothing listens on 127.0.0.1:\(port)")
    }

    private func canConnect(port: Int) -> Bool {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }

    private func mode(_ path: String) -> mode_t? {
        var info = stat()
        return stat(path, &info) == 0 ? info.st_mode & 0o7777 : nil
    }

    private func owner(_ path: String) -> (user: Int, group: Int)? {
        var info = stat()
        return stat(path, &info) == 0 ? (Int(info.st_uid), Int(info.st_gid)) : nil
    }
}

import Foundation
import HeimdallProtocol
import Testing
@testable import HeimdallAgent

struct AuthSample: Sendable, CustomTestStringConvertible {
    var line: String
    var category: EventCategory
    var severity: EventSeverity
    var fields: [String: JSONValue]
    var testDescription: String { String(line.prefix(70)) }
}

private func base(_ process: String, _ pid: Int?) -> [String: JSONValue] {
    var fields: [String: JSONValue] = ["host": .string("web-01"), "process": .string(process)]
    if let pid { fields["pid"] = .number(Double(pid)) }
    return fields
}

private func sample(_ line: String, _ category: EventCategory, _ severity: EventSeverity, process: String, pid: Int?, _ extra: [String: JSONValue]) -> AuthSample {
    AuthSample(line: line, category: category, severity: severity, fields: base(process, pid).merging(extra) { _, new in new })
}

let authSamples: [AuthSample] = [
    sample("Nov 20 10:15:02 web-01 sshd[1234]: Accepted publickey for alice from 198.51.100.7 port 52144 ssh2: ED25519 SHA256:6dWbq0bXlZ8e", .auth, .info, process: "sshd", pid: 1234,
           ["user": .string("alice"), "src_ip": .string("198.51.100.7"), "src_port": .number(52144), "method": .string("publickey"), "outcome": .string("success")]),
    sample("Nov 20 10:15:03 web-01 sshd[1240]: Accepted password for bob from 2001:db8::25 port 40022 ssh2", .auth, .info, process: "sshd", pid: 1240,
           ["user": .string("bob"), "src_ip": .string("2001:db8::25"), "src_port": .number(40022), "method": .string("password"), "outcome": .string("success")]),
    sample("Nov 20 10:15:04 web-01 sshd[1241]: Accepted keyboard-interactive/pam for carol from 10.0.0.5 port 51000 ssh2", .auth, .info, process: "sshd", pid: 1241,
           ["user": .string("carol"), "src_ip": .string("10.0.0.5"), "src_port": .number(51000), "method": .string("keyboard-interactive/pam"), "outcome": .string("success")]),
    sample("Nov 20 10:16:11 web-01 sshd[2001]: Failed password for root from 203.0.113.9 port 4242 ssh2", .auth, .medium, process: "sshd", pid: 2001,
           ["user": .string("root"), "src_ip": .string("203.0.113.9"), "src_port": .number(4242), "method": .string("password"), "outcome": .string("failure")]),
    sample("Nov 20 10:16:12 web-01 sshd[2002]: Failed password for invalid user admin from 203.0.113.9 port 4243 ssh2", .auth, .medium, process: "sshd", pid: 2002,
           ["user": .string("admin"), "src_ip": .string("203.0.113.9"), "src_port": .number(4243), "method": .string("password"), "outcome": .string("failure")]),
    sample("Nov 20 10:16:13 web-01 sshd[2003]: Invalid user oracle from 192.0.2.44 port 33210", .auth, .low, process: "sshd", pid: 2003,
           ["user": .string("oracle"), "src_ip": .string("192.0.2.44"), "src_port": .number(33210), "outcome": .string("failure")]),
    sample("Nov 20 10:16:14 web-01 sshd[2003]: Connection closed by invalid user oracle 192.0.2.44 port 33210 [preauth]", .auth, .info, process: "sshd", pid: 2003,
           ["user": .string("oracle"), "src_ip": .string("192.0.2.44"), "src_port": .number(33210)]),
    sample("Nov 20 10:16:15 web-01 sshd[2004]: Connection closed by authenticating user root 203.0.113.9 port 4250 [preauth]", .auth, .info, process: "sshd", pid: 2004,
           ["user": .string("root"), "src_ip": .string("203.0.113.9"), "src_port": .number(4250)]),
    sample("Nov 20 10:16:16 web-01 sshd[2005]: Disconnected from user alice 198.51.100.7 port 52144", .auth, .info, process: "sshd", pid: 2005,
           ["user": .string("alice"), "src_ip": .string("198.51.100.7"), "src_port": .number(52144)]),
    sample("Nov 20 10:16:17 web-01 sshd[2006]: Connection closed by 2001:db8::99 port 60001 [preauth]", .auth, .info, process: "sshd", pid: 2006,
           ["src_ip": .string("2001:db8::99"), "src_port": .number(60001)]),
    sample("Nov 20 10:16:18 web-01 sshd[2007]: error: maximum authentication attempts exceeded for root from 203.0.113.9 port 4260 ssh2 [preauth]", .auth, .high, process: "sshd", pid: 2007,
           ["user": .string("root"), "src_ip": .string("203.0.113.9"), "src_port": .number(4260), "outcome": .string("failure")]),
    sample("Nov 20 10:16:19 web-01 sshd[2008]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=203.0.113.9  user=root", .auth, .medium, process: "sshd", pid: 2008,
           ["user": .string("root"), "src_ip": .string("203.0.113.9"), "outcome": .string("failure")]),
    sample("Nov 20 10:17:00 web-01 sudo:    alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/bin/ls -la /root", .privilege, .low, process: "sudo", pid: nil,
           ["user": .string("alice"), "target_user": .string("root"), "command": .string("/bin/ls -la /root"), "outcome": .string("success")]),
    sample("Nov 20 10:17:01 web-01 sudo:      bob : 3 incorrect password attempts ; TTY=pts/1 ; PWD=/home/bob ; USER=root ; COMMAND=/usr/bin/id", .privilege, .medium, process: "sudo", pid: nil,
           ["user": .string("bob"), "target_user": .string("root"), "command": .string("/usr/bin/id"), "outcome": .string("failure")]),
    sample("Nov 20 10:17:02 web-01 sudo[3100]: pam_unix(sudo:auth): authentication failure; logname=bob uid=1001 euid=0 tty=/dev/pts/1 ruser=bob rhost=  user=bob", .privilege, .medium, process: "sudo", pid: 3100,
           ["user": .string("bob"), "outcome": .string("failure")]),
    sample("2026-11-20T10:18:00.123456+01:00 web-01 sshd-session[4000]: Failed publickey for deploy from 198.51.100.20 port 50500 ssh2: RSA SHA256:abc", .auth, .medium, process: "sshd-session", pid: 4000,
           ["user": .string("deploy"), "src_ip": .string("198.51.100.20"), "src_port": .number(50500), "method": .string("publickey"), "outcome": .string("failure")]),
    sample("Nov 20 10:19:00 web-01 systemd-logind[612]: New session 42 of user alice.", .system, .info, process: "systemd-logind", pid: 612, [:]),
    sample("Nov 20 10:19:01 web-01 sshd[2009]: pam_unix(sshd:session): session opened for user alice(uid=1000) by (uid=0)", .system, .info, process: "sshd", pid: 2009, [:]),
    sample("Nov 20 10:19:02 web-01 CRON[5000]: pam_unix(cron:session): session closed for user root", .system, .info, process: "CRON", pid: 5000, [:]),
]

@Suite struct AuthLogParserTests {
    let parser = AuthLogParser(timeZone: TimeZone(identifier: "UTC") ?? .current)
    let readAt = RFC3339.parse("2026-11-20T12:00:00Z") ?? Date()

    @Test(arguments: authSamples)
    func realWorldLine(_ sample: AuthSample) {
        let parsed = parser.parse(sample.line, readAt: readAt)
        #expect(parsed.category == sample.category)
        #expect(parsed.severity == sample.severity)
        #expect(parsed.fields == sample.fields)
        #expect(parsed.timestamp != nil)
        #expect(parsed.timestamp != readAt)
    }

    @Test func messageIsTheSyslogMessage() {
        let parsed = parser.parse("Nov 20 10:16:11 web-01 sshd[2001]: Failed password for root from 203.0.113.9 port 4242 ssh2", readAt: readAt)
        #expect(parsed.message == "Failed password for root from 203.0.113.9 port 4242 ssh2")
        #expect(parsed.timestamp == RFC3339.parse("2026-11-20T10:16:11Z"))
    }

    @Test(arguments: ["", "garbage without header", "\u{FFFD}\u{0}\u{FFFD}", String(repeating: "x", count: 100_000),
                      "Nov 20 10:16:11 web-01 sshd[2001]: Failed password for root from not-an-ip port x",
                      "Nov 20 10:16:11 web-01 sudo: : TTY= ; COMMAND=", "Nov 20 10:16:11 web-01 sshd[]: Accepted  for  from  port "])
    func anythingElseIsSystemInfo(_ line: String) {
        let parsed = parser.parse(line, readAt: readAt)
        #expect(parsed.category == .system && parsed.severity == .info)
        #expect(!parsed.message.isEmpty || line.isEmpty || line.hasSuffix(": "))
    }

    @Test func unparsedHeaderKeepsWholeLineAsMessage() {
        let parsed = parser.parse("kernel panic without header", readAt: readAt)
        #expect(parsed.message == "kernel panic without header" && parsed.fields.isEmpty && parsed.timestamp == nil)
    }
}

@Suite struct LineNormalizerTests {
    @Test func buildsEventFromTailedLine() {
        let normalizer = LineNormalizer(parser: AuthLogParser(timeZone: TimeZone(identifier: "UTC") ?? .current))
        let identity = FileIdentity(device: 8, inode: 99, generation: 1)
        let text = "Nov 20 10:16:11 web-01 sshd[2001]: Failed password for root from 203.0.113.9 port 4242 ssh2"
        let line = TailedLine(path: "/var/log/auth.log", identity: identity, startOffset: 4096, endOffset: 4096 + 91, text: text, ending: .newline)
        let readAt = RFC3339.parse("2026-11-20T12:00:00Z") ?? Date()
        let event = normalizer.event(for: line, readAt: readAt)
        #expect(event.id == EventIdentity.id(source: "linux.auth", fileIdentity: identity, offset: 4096, line: text))
        #expect(EventValidator.isValidID(event.id))
        #expect(event.source == "linux.auth" && event.raw == text)
        #expect(event.category == .auth && event.severity == .medium)
        #expect(event.timestamp == RFC3339.parse("2026-11-20T10:16:11Z"))
        #expect(normalizer.event(for: line, readAt: readAt.addingTimeInterval(60)) == event)
        if case .success(let validated) = EventValidator.validate(event.jsonValue) {
            #expect(validated.id == event.id)
        } else {
            Issue.record("event does not validate")
        }
    }

    @Test func lineWithoutTimestampUsesReadTime() {
        let normalizer = LineNormalizer(parser: SyslogParser(source: "app.custom"))
        let line = TailedLine(path: "/x", identity: FileIdentity(device: 1, inode: 2), startOffset: 0, endOffset: 6, text: "hello", ending: .newline)
        let readAt = Date(timeIntervalSince1970: 1_790_000_000)
        let event = normalizer.event(for: line, readAt: readAt)
        #expect(event.timestamp == readAt && event.category == .system && event.message == "hello")
    }
}

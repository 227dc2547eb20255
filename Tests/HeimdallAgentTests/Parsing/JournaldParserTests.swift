import Foundation
import HeimdallProtocol
import Testing
@testable import HeimdallAgent

/// One `journalctl -o json` record.
func journalRecord(_ identifier: String, _ message: String, pid: String = "812", priority: String = "6", unit: String? = nil) -> String {
    let escaped = message.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
    let unitMember = unit.map { #","_SYSTEMD_UNIT":"\#($0)""# } ?? ""
    return #"{"__CURSOR":"s=abc;i=1f2;b=def;m=1a;t=5f;x=99","__REALTIME_TIMESTAMP":"1795169702123456","__MONOTONIC_TIMESTAMP":"123456","_BOOT_ID":"def","#
        + #""PRIORITY":"\#(priority)","SYSLOG_FACILITY":"4","SYSLOG_IDENTIFIER":"\#(identifier)","_PID":"\#(pid)","_UID":"0","_COMM":"\#(identifier)","#
        + #""_HOSTNAME":"web-01","_TRANSPORT":"syslog"\#(unitMember),"MESSAGE":"\#(escaped)"}"#
}

let journaldSamples: [ParserSample] = [
    ParserSample(journalRecord("sshd", "Failed password for root from 203.0.113.9 port 4242 ssh2", unit: "ssh.service"), .auth, .medium,
                 ["user": s("root"), "src_ip": s("203.0.113.9"), "outcome": s("failure"), "host": s("web-01"), "process": s("sshd"), "pid": n(812),
                  "unit": s("ssh.service")], ts: "2026-11-20T10:15:02.123456Z"),
    ParserSample(journalRecord("sshd", "Accepted publickey for alice from 2001:db8::7 port 5 ssh2"), .auth, .info, ["user": s("alice"), "src_ip": s("2001:db8::7")]),
    ParserSample(journalRecord("sudo", "alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/usr/bin/id"), .privilege, .low, ["command": s("/usr/bin/id")]),
    ParserSample(journalRecord("useradd", "new user: name=bob, UID=1001, GID=1001, home=/home/bob, shell=/bin/bash"), .privilege, .medium,
                 ["target_user": s("bob"), "action": s("user_created")]),
    ParserSample(journalRecord("kernel", "Out of memory: Killed process 4321 (mysqld) total-vm:1kB", pid: ""), .crash, .high,
                 ["process": s("mysqld"), "pid": n(4321)]),
    ParserSample(journalRecord("systemd", "nginx.service: Start request repeated too quickly.", pid: "1"), .service, .high, ["service": s("nginx.service")]),
    ParserSample(journalRecord("postfix/smtpd", "warning: unknown[203.0.113.5]: SASL LOGIN authentication failed: x"), .auth, .medium, ["src_ip": s("203.0.113.5")]),
    ParserSample(journalRecord("kernel", "[UFW BLOCK] IN=eth0 OUT= SRC=203.0.113.5 DST=192.168.1.10 PROTO=TCP SPT=1 DPT=22"), .firewall, .low,
                 ["dst_port": n(22), "action": s("block")]),
    ParserSample(journalRecord("dnsmasq", "query[A] example.com from 192.168.1.5"), .dns, .info, ["client_ip": s("192.168.1.5")]),
    ParserSample(journalRecord("myapp", "database unreachable", priority: "3"), .system, .low, ["priority": n(3), "process": s("myapp")]),
    ParserSample(journalRecord("myapp", "all good"), .system, .info),
    ParserSample(#"{"__REALTIME_TIMESTAMP":"1795169702000000","MESSAGE":[104,105,255],"_COMM":"bin"}"#, .system, .info, ["process": s("bin")],
                 ts: "2026-11-20T10:15:02Z"),
    ParserSample(#"{"MESSAGE":"truncated"#, .other, .info),
    ParserSample("-- No entries --", .other, .info),
]

@Suite struct JournaldParserTests {
    @Test(arguments: journaldSamples)
    func realWorldLine(_ sample: ParserSample) {
        sample.check(JournaldParser())
    }

    @Test func binaryMessageIsDecoded() {
        let parsed = JournaldParser().parse(#"{"MESSAGE":[104,105]}"#, readAt: ParserSample.readAt)
        #expect(parsed.message == "hi")
    }
}

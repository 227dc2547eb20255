import Foundation
import HeimdallProtocol
import Testing
@testable import HeimdallAgent

@Suite struct AutoDetectingParserTests {
    static let mixed: [(String, String, EventCategory)] = [
        ("Nov 20 10:15:02 web-01 sshd[1]: Failed password for root from 203.0.113.9 port 22 ssh2", "linux.auth", .auth),
        ("Nov 20 10:15:02 web-01 kernel: Out of memory: Killed process 9 (x) total-vm:1kB", "linux.syslog", .crash),
        ("Nov 20 10:15:02 mx postfix/smtpd[2]: warning: unknown[203.0.113.5]: SASL LOGIN authentication failed: x", "linux.mail", .auth),
        (#"203.0.113.9 - - [20/Nov/2026:10:15:02 +0100] "GET /?q=<script> HTTP/1.1" 200 1 "-" "-""#, "linux.web", .web),
        ("2026-11-20 10:15:02 install nginx:amd64 <none> 1.24.0-1", "linux.packages", .software),
        ("Nov 20 10:15:02 gw kernel: [UFW BLOCK] IN=eth0 OUT= SRC=1.2.3.4 DST=5.6.7.8 PROTO=TCP SPT=1 DPT=2", "linux.firewall", .firewall),
        ("Nov 20 10:15:02 dnsmasq[3]: gravity blocked ads.example is 0.0.0.0", "pihole", .dns),
        ("<Event><System><Provider Name='Service Control Manager'/><EventID>7031</EventID><Channel>System</Channel></System><EventData><Data Name='param1'>x</Data></EventData></Event>",
         "windows.system", .service),
        (#"{"eventMessage":"Invalid user x from 10.0.0.1 port 2","processImagePath":"/usr/sbin/sshd"}"#, "macos.unified", .auth),
        (#"{"MESSAGE":"Accepted password for a from 10.0.0.1 port 2 ssh2","SYSLOG_IDENTIFIER":"sshd"}"#, "linux.journald", .auth),
        ("complete nonsense", "linux.syslog", .system),
        ("", "linux.syslog", .system),
    ]

    @Test func eachLineGetsItsOwnSource() {
        let normalizer = LineNormalizer(parser: AutoDetectingParser(timeZone: ParserSample.utc))
        for (offset, (line, source, category)) in Self.mixed.enumerated() {
            let tailed = TailedLine(path: "/x", identity: FileIdentity(device: 1, inode: 2), startOffset: UInt64(offset), endOffset: UInt64(offset + 1),
                                    text: line, ending: .newline)
            let event = normalizer.event(for: tailed, readAt: ParserSample.readAt)
            #expect(event.source == source, "\(line.prefix(50))")
            #expect(event.category == category, "\(line.prefix(50))")
            #expect(event.id == EventIdentity.id(source: source, fileIdentity: tailed.identity, offset: tailed.startOffset, line: line))
        }
    }
}

import Foundation
import HeimdallProtocol
import Testing
@testable import HeimdallAgent

@Suite struct ParserCatalogTests {
    @Test func everyNameHasAParserWithThatSource() {
        for name in ParserCatalog.names {
            #expect(EventValidator.isValidSource(name))
            #expect(ParserCatalog.parser(named: name)?.source == name)
        }
        #expect(ParserCatalog.parser(named: "nope") == nil)
    }

    @Test(arguments: [
        ("/var/log/auth.log", "linux.auth"), ("/var/log/auth.log.1", "linux.auth"), ("/var/log/secure", "linux.auth"),
        ("/var/log/syslog", "linux.syslog"), ("/var/log/messages", "linux.syslog"), ("/var/log/kern.log", "linux.syslog"),
        ("/var/log/nginx/access.log", "linux.web"), ("/var/log/nginx/error.log", "linux.web"), ("/var/log/apache2/other_vhosts_access.log", "linux.web"),
        ("/var/log/httpd/ssl_error_log", "linux.web"), ("/srv/site/logs/access.log-20261120", "linux.web"),
        ("/var/log/mail.log", "linux.mail"), ("/var/log/maillog", "linux.mail"),
        ("/var/log/dpkg.log", "linux.packages"), ("/var/log/apt/history.log", "linux.packages"), ("/var/log/dnf.rpm.log", "linux.packages"),
        ("/var/log/yum.log", "linux.packages"), ("/var/log/pacman.log", "linux.packages"),
        ("/var/log/ufw.log", "linux.firewall"), ("/var/log/filter.log", "linux.firewall"), ("/var/log/firewall", "linux.firewall"),
        ("/var/log/pihole.log", "pihole"), ("/var/log/pihole/pihole.log", "pihole"),
        ("C:/logs/Security.evtx.xml", "windows.security"), ("/data/windows-system.xml", "windows.system"),
        ("/data/windows-application.xml", "windows.application"), ("/data/System.evtx.xml", "windows.system"),
        ("/tmp/mac.ndjson", "macos.unified"), ("/tmp/journal.json", "linux.journald"), ("/var/log/custom-app.log", "linux.syslog"),
    ])
    func sourceForPath(_ path: String, _ expected: String) {
        #expect(ParserCatalog.sourceName(forPath: path) == expected)
        #expect(TailingSource.parser(forPath: path).source == expected)
    }

    static let garbage: [String] = [
        "", " ", "\u{0}\u{1}\u{2}\u{FFFD}\u{FFFD}", String(repeating: "A", count: 1 << 20), String(repeating: "[", count: 10_000),
        String(repeating: "\"", count: 5_001), "<Event>", "<Event><System><EventID>1</EventID></System>", "<<<>>>&&&;;;", "<Event a='1",
        "{", "{\"a\":", String(repeating: "{", count: 5_000), "Nov 20 10:15:02", "Nov 20 10:15:02 ", "Nov 20 10:15:02 h", "Nov 20 10:15:02 h p[",
        "Feb 30 10:15:02 h p: x", "<999999999>1 - - - - - -", "<1>", "<13>1 2026-11-20T10:15:02Z", "2026-13-45 99:99:99 install x y z",
        "[2026-11-20T10:15:02+0100]", "[9999-99-99] [ALPM] installed", "Start-Date: never", "Install: (", "Install: a (1.0",
        "1.2.3.4 - - [", "1.2.3.4 - - [20/Nov/2026:10:15:02 +0100] \"GET", "2026/11/20 10:15:02 [", "[Fri Nov 20 10:15:02 2026] [",
        "IN= SRC= DST=", "filterlog: ,,,,,,,,4,,,,,,,,,,", "Nov 20 10:15:02 h filterlog[1]: ,,,,,,,,6,,,,,,,,,", "query[", "Nov 20 10:15:02 dnsmasq[1]: query[A]",
        "Nov 20 10:15:02 h kernel: [", "Nov 20 10:15:02 h kernel: Killed process 99999999999999999999999 (x)", "Nov 20 10:15:02 h systemd[1]: : ",
        "Nov 20 10:15:02 h su[1]: (to ) on", "Nov 20 10:15:02 h useradd[1]: new user: ,,,===", "Nov 20 10:15:02 h gpasswd[1]: user a b c d e f g",
        "Nov 20 10:15:02 h dovecot: pam(", "Nov 20 10:15:02 h postfix/smtpd[1]: ]: SASL [ authentication failed",
        "<Event><System><EventID>4624</EventID><Provider Name='&#xFFFFFFFF;&#0;&#xD800;'/></System></Event>",
    ]

    @Test func garbageNeverCrashesAndIsNeverDropped() {
        let readAt = ParserSample.readAt
        for name in ParserCatalog.names {
            guard let parser = ParserCatalog.parser(named: name, timeZone: ParserSample.utc) else { continue }
            for line in Self.garbage {
                let parsed = parser.parse(line, readAt: readAt)
                #expect(parsed.category == .other || parsed.category == .system || !line.isEmpty, "\(name): \(line.prefix(40))")
                let event = LineNormalizer(parser: parser).event(
                    for: TailedLine(path: "/x", identity: FileIdentity(device: 1, inode: 2), startOffset: 0, endOffset: 1, text: line, ending: .newline),
                    readAt: readAt)
                #expect(event.raw == line)
                if case .failure(let problem) = EventValidator.validate(event.jsonValue) {
                    Issue.record("\(name) made an invalid event for \(line.prefix(40)): \(problem)")
                }
            }
        }
    }

    @Test func randomBytesNeverCrash() {
        var generator = SystemRandomNumberGenerator()
        let parsers = ParserCatalog.names.compactMap { ParserCatalog.parser(named: $0) }
        for _ in 0..<300 {
            let bytes = (0..<Int.random(in: 0..<400, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let line = String(decoding: bytes, as: UTF8.self)
            for parser in parsers { _ = parser.parse(line, readAt: ParserSample.readAt) }
        }
    }
}

@Suite struct SourceSnifferTests {
    static let cases: [(String, String)] = [
        ("Nov 20 10:15:02 web-01 sshd[1]: Accepted password for a from 10.0.0.1 port 1 ssh2\nNov 20 10:15:03 web-01 sudo:  a : TTY=pts/0 ; PWD=/ ; USER=root ; COMMAND=/bin/id\nNov 20 10:17:01 web-01 CRON[5]: pam_unix(cron:session): session opened for user root", "linux.auth"),
        ("Nov 20 10:15:02 web-01 kernel: Linux version 6.1\nNov 20 10:15:03 web-01 systemd[1]: Started x.\nNov 20 10:15:04 web-01 sshd[9]: Server listening on 0.0.0.0 port 22.", "linux.syslog"),
        (#"203.0.113.9 - - [20/Nov/2026:10:15:02 +0100] "GET / HTTP/1.1" 200 1 "-" "x""#, "linux.web"),
        ("2026/11/20 10:15:05 [error] 1#1: *5 open() failed, client: 1.2.3.4, server: x", "linux.web"),
        ("Nov 20 10:30:00 mx postfix/smtpd[1]: connect from unknown[1.2.3.4]\nNov 20 10:30:00 mx dovecot: imap-login: Login: user=<a>", "linux.mail"),
        ("2026-11-20 10:15:02 install nginx:amd64 <none> 1.24.0-1\n2026-11-20 10:15:02 status half-installed nginx:amd64 1.24.0-1", "linux.packages"),
        ("Start-Date: 2026-11-20  10:15:00\nCommandline: apt install x\nInstall: x:amd64 (1.0)\nEnd-Date: 2026-11-20  10:15:09\n", "linux.packages"),
        ("[2026-11-20T10:18:00+0100] [ALPM] installed nginx (1.24.0-1)", "linux.packages"),
        ("Nov 20 10:40:00 gw kernel: [UFW BLOCK] IN=eth0 OUT= SRC=1.2.3.4 DST=5.6.7.8 PROTO=TCP SPT=1 DPT=2", "linux.firewall"),
        ("Nov 20 10:40:06 pf filterlog[1]: 5,,,1,igb0,match,block,in,4,0x0,,64,0,0,DF,6,tcp,60,1.2.3.4,5.6.7.8,1,22,0,S,1,,1,,", "linux.firewall"),
        ("Nov 20 10:50:00 dnsmasq[812]: query[A] example.com from 192.168.1.5\nNov 20 10:50:00 dnsmasq[812]: forwarded example.com to 1.1.1.1", "pihole"),
        ("<Event xmlns='x'><System><EventID>4624</EventID><Channel>Security</Channel></System></Event>", "windows.security"),
        ("<Event xmlns='x'><System><EventID>7036</EventID><Channel>System</Channel></System></Event>", "windows.system"),
        (#"{"__REALTIME_TIMESTAMP":"1","MESSAGE":"x"}"#, "linux.journald"),
        ("Filtering the log data using \"x\"\n{\"eventMessage\":\"hi\",\"processImagePath\":\"/usr/sbin/sshd\"}", "macos.unified"),
    ]

    @Test func sniffsEachFormat() {
        for (sample, expected) in Self.cases {
            #expect(ParserCatalog.sourceName(forSample: sample, now: ParserSample.readAt) == expected, "\(sample.prefix(60))")
            #expect(ParserCatalog.sourceName(forPath: "/tmp/corpus-01.txt", sample: sample, now: ParserSample.readAt) == expected)
        }
        #expect(ParserCatalog.sourceName(forSample: "hello\nworld\n\u{0}", now: ParserSample.readAt) == nil)
        #expect(ParserCatalog.sourceName(forPath: "/tmp/corpus-01.txt", sample: "hello", now: ParserSample.readAt) == "linux.syslog")
        #expect(ParserCatalog.sourceName(forFileName: "/home/me/laptop.log") == nil)
    }

    @Test func tailingSourceSniffsAnUnnamedFile() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/corpus-7.log"
        try "Nov 20 10:50:00 dnsmasq[812]: query[A] example.com from 192.168.1.5\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(TailingSource.parser(forPath: path).source == "pihole")
        #expect(TailingSource.parser(forPath: directory.path + "/missing.log").source == "linux.syslog")
    }
}

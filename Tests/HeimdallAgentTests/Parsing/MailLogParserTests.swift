import Foundation
import HeimdallProtocol
import Testing
@testable import HeimdallAgent

let mailSamples: [ParserSample] = [
    ParserSample("Nov 20 10:30:00 mx postfix/smtpd[2001]: warning: unknown[203.0.113.5]: SASL LOGIN authentication failed: UGFzc3dvcmQ6", .auth, .medium,
                 ["src_ip": s("203.0.113.5"), "method": s("LOGIN"), "outcome": s("failure"), "process": s("postfix/smtpd"), "host": s("mx")],
                 ts: "2026-11-20T10:30:00Z"),
    ParserSample("Nov 20 10:30:01 mx postfix/smtpd[2002]: warning: mail.bad.example[2001:db8::66]: SASL PLAIN authentication failed: authentication failure",
                 .auth, .medium, ["src_ip": s("2001:db8::66"), "src_host": s("mail.bad.example"), "method": s("PLAIN")]),
    ParserSample("Nov 20 10:30:02 mx postfix/submission/smtpd[2003]: warning: unknown[198.51.100.3]: SASL LOGIN authentication failed: Invalid authentication mechanism, sasl_username=bob@example.com",
                 .auth, .medium, ["src_ip": s("198.51.100.3"), "user": s("bob@example.com")]),
    ParserSample("Nov 20 10:30:03 mx postfix/smtpd[2004]: 4F1A2B3C4D: client=laptop.example[192.0.2.44], sasl_method=PLAIN, sasl_username=alice", .auth, .info,
                 ["src_ip": s("192.0.2.44"), "user": s("alice"), "method": s("PLAIN"), "outcome": s("success")]),
    ParserSample("Nov 20 10:30:04 mx dovecot: imap-login: Aborted login (auth failed, 3 attempts in 15 secs): user=<bob>, method=PLAIN, rip=203.0.113.7, lip=10.0.0.2, TLS, session=<abcDEF>",
                 .auth, .medium, ["user": s("bob"), "src_ip": s("203.0.113.7"), "dst_ip": s("10.0.0.2"), "method": s("PLAIN"), "outcome": s("failure")]),
    ParserSample("Nov 20 10:30:05 mx dovecot: pop3-login: Disconnected (auth failed, 1 attempts in 2 secs): user=<carol>, method=PLAIN, rip=2001:db8::77, lip=2001:db8::1, TLS",
                 .auth, .medium, ["user": s("carol"), "src_ip": s("2001:db8::77")]),
    ParserSample("Nov 20 10:30:06 mx dovecot: auth: pam(dave,203.0.113.8,<Ab12>): pam_authenticate() failed: Authentication failure (password mismatch?)",
                 .auth, .medium, ["user": s("dave"), "src_ip": s("203.0.113.8"), "outcome": s("failure")]),
    ParserSample("Nov 20 10:30:07 mx dovecot[900]: auth-worker(1234): pam(erin,198.51.100.9): unknown user", .auth, .medium,
                 ["user": s("erin"), "src_ip": s("198.51.100.9")]),
    ParserSample("Nov 20 10:30:08 mx dovecot: imap-login: Login: user=<alice>, method=PLAIN, rip=192.0.2.44, lip=10.0.0.2, mpid=3456, TLS", .auth, .info,
                 ["user": s("alice"), "src_ip": s("192.0.2.44"), "outcome": s("success")]),
    ParserSample("Nov 20 10:30:09 mx dovecot: imap-login: Aborted login (auth failed, 1 attempts in 4 secs): user=<>, method=PLAIN, rip=203.0.113.7", .auth, .medium,
                 ["src_ip": s("203.0.113.7")], absent: ["user"]),
    ParserSample("Nov 20 10:30:07 mx dovecot: auth: passwd-file(frank,192.0.2.9): unknown user", .auth, .medium, ["user": s("frank"), "src_ip": s("192.0.2.9")]),
    ParserSample("Nov 20 10:30:07 mx dovecot: imap-login: Disconnected (no auth attempts in 0 secs): user=<>, rip=192.0.2.9", .system, .info),
    ParserSample("Nov 20 10:30:10 mx postfix/smtpd[2005]: connect from unknown[203.0.113.5]", .system, .info, ["process": s("postfix/smtpd")]),
    ParserSample("Nov 20 10:30:11 mx postfix/qmgr[900]: 4F1A2B3C4D: from=<a@example.com>, size=1234, nrcpt=1 (queue active)", .system, .info),
    ParserSample("Nov 20 10:30:12 mx postfix/smtpd[2006]: warning: unknown[not-an-ip]: SASL LOGIN authentication failed: x", .auth, .medium, [:], absent: ["src_ip"]),
    ParserSample("garbage \u{0}\u{1} mail line", .system, .info),
]

@Suite struct MailLogParserTests {
    let parser = MailLogParser(timeZone: ParserSample.utc)

    @Test(arguments: mailSamples)
    func realWorldLine(_ sample: ParserSample) {
        sample.check(parser)
    }
}

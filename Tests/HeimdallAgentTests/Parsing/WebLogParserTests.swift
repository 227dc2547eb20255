import Foundation
import HeimdallProtocol
import Testing
@testable import HeimdallAgent

let webSamples: [ParserSample] = [
    ParserSample(#"198.51.100.7 - - [20/Nov/2026:10:15:02 +0100] "GET /index.html HTTP/1.1" 200 5120 "https://example.com/" "Mozilla/5.0 (X11; Linux x86_64)""#,
                 .web, .info, ["src_ip": s("198.51.100.7"), "method": s("GET"), "url": s("/index.html"), "status": n(200), "bytes": n(5120),
                               "user_agent": s("Mozilla/5.0 (X11; Linux x86_64)"), "referrer": s("https://example.com/")], ts: "2026-11-20T09:15:02Z",
                 absent: ["attack", "user"]),
    ParserSample(#"2001:db8::7 - alice [20/Nov/2026:10:15:03 +0000] "POST /login HTTP/2.0" 401 0 "-" "curl/8.0""#, .web, .low,
                 ["src_ip": s("2001:db8::7"), "user": s("alice"), "method": s("POST"), "status": n(401)], absent: ["referrer"]),
    ParserSample(#"203.0.113.9 - - [20/Nov/2026:10:15:04 +0000] "GET /api/v1/items HTTP/1.1" 502 157 "-" "okhttp/4.9""#, .web, .medium, ["status": n(502)]),
    ParserSample(#"203.0.113.9 - - [20/Nov/2026:10:15:05 +0000] "GET /item.php?id=1%20UNION%20SELECT%20user,pass%20FROM%20users-- HTTP/1.1" 200 512 "-" "Mozilla/5.0""#,
                 .web, .high, ["attack": s("sql_injection"), "status": n(200)]),
    ParserSample(#"203.0.113.9 - - [20/Nov/2026:10:15:06 +0000] "GET /login?user=admin'+OR+1=1--&pw=x HTTP/1.1" 302 0 "-" "Mozilla/5.0""#,
                 .web, .high, ["attack": s("sql_injection")]),
    ParserSample(#"203.0.113.9 - - [20/Nov/2026:10:15:07 +0000] "GET /search?q=1)%20AND%20SLEEP(5)--%20- HTTP/1.1" 200 10 "-" "-""#, .web, .high,
                 ["attack": s("sql_injection"), "attack_pattern": s("sleep(")]),
    ParserSample(#"203.0.113.10 - - [20/Nov/2026:10:15:08 +0000] "GET /search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E HTTP/1.1" 200 99 "-" "Mozilla/5.0""#,
                 .web, .high, ["attack": s("xss"), "attack_pattern": s("<script")]),
    ParserSample(#"203.0.113.10 - - [20/Nov/2026:10:15:09 +0000] "GET /r?next=javascript%3Aalert(document.domain) HTTP/1.1" 302 0 "-" "Mozilla/5.0""#,
                 .web, .high, ["attack": s("xss")]),
    ParserSample(#"203.0.113.11 - - [20/Nov/2026:10:15:10 +0000] "GET /static/../../../../etc/passwd HTTP/1.1" 400 150 "-" "Mozilla/5.0""#,
                 .web, .high, ["attack": s("path_traversal")]),
    ParserSample(#"203.0.113.11 - - [20/Nov/2026:10:15:11 +0000] "GET /cgi-bin/.%2e/.%2e/.%2e/bin/sh HTTP/1.1" 404 150 "-" "Mozilla/5.0""#,
                 .web, .high, ["attack": s("path_traversal")]),
    ParserSample(#"198.51.100.2 - - [20/Nov/2026:10:15:12 +0000] "GET / HTTP/1.1" 200 1024 "-" "sqlmap/1.7.2#stable (https://sqlmap.org)""#,
                 .web, .high, ["attack": s("scanner"), "attack_pattern": s("sqlmap")]),
    ParserSample(#"198.51.100.3 - - [20/Nov/2026:10:15:13 +0000] "GET /admin HTTP/1.1" 404 0 "-" "Mozilla/5.00 (Nikto/2.1.6) (Evasions:None) (Test:000003)""#,
                 .web, .high, ["attack": s("scanner"), "attack_pattern": s("nikto")]),
    ParserSample(#"198.51.100.4 - - [20/Nov/2026:10:15:14 +0000] "\x16\x03\x01\x02\x00\x01\x00\x01\xFC\x03\x03" 400 157 "-" "-""#, .web, .low,
                 ["status": n(400), "src_ip": s("198.51.100.4")], absent: ["method"]),
    ParserSample(#"example.com:443 198.51.100.7 - - [20/Nov/2026:10:15:15 +0000] "GET /favicon.ico HTTP/1.1" 404 209 "-" "Mozilla/5.0""#, .web, .low,
                 ["vhost": s("example.com:443"), "src_ip": s("198.51.100.7"), "status": n(404)]),
    ParserSample(#"198.51.100.7 - - [20/Nov/2026:10:15:16 +0000] "GET /a HTTP/1.0" 304 -"#, .web, .info, ["status": n(304)], absent: ["bytes", "user_agent"]),
    ParserSample(#"2026/11/20 10:15:17 [error] 1234#1234: *5 open() "/usr/share/nginx/html/x" failed (2: No such file or directory), client: 203.0.113.5, server: example.com, request: "GET /x HTTP/1.1", host: "example.com""#,
                 .web, .low, ["src_ip": s("203.0.113.5"), "level": s("error"), "url": s("/x"), "server": s("example.com"), "pid": n(1234)],
                 ts: "2026-11-20T10:15:17Z"),
    ParserSample(#"2026/11/20 10:15:18 [crit] 99#99: *1 connect() to unix:/run/php/php-fpm.sock failed (2: No such file or directory) while connecting to upstream, client: 2001:db8::1, server: _, request: "GET /?id=../../etc/passwd HTTP/1.1""#,
                 .web, .high, ["src_ip": s("2001:db8::1"), "attack": s("path_traversal")]),
    ParserSample("[Fri Nov 20 10:15:19.123456 2026] [core:error] [pid 1234:tid 5678] [client 2001:db8::5:51234] AH00126: Invalid URI in request GET /../../etc/passwd HTTP/1.1",
                 .web, .high, ["src_ip": s("2001:db8::5"), "src_port": n(51234), "attack": s("path_traversal"), "level": s("error")]),
    ParserSample("[Fri Nov 20 10:15:20 2026] [error] [client 192.0.2.8] File does not exist: /var/www/html/robots.txt", .web, .low,
                 ["src_ip": s("192.0.2.8"), "level": s("error")], ts: "2026-11-20T10:15:20Z"),
    ParserSample("[Fri Nov 20 10:15:21.000001 2026] [mpm_event:notice] [pid 1:tid 2] AH00489: Apache/2.4.57 configured -- resuming normal operations",
                 .web, .info, ["level": s("notice")]),
    ParserSample(#"198.51.100.7 - - [20/Nov/2026:10:15:22 +0000] "GET /unterminated"#, .other, .info),
    ParserSample(#"not-an-ip - - [20/Nov/2026:10:15:22 +0000] "GET / HTTP/1.1" 200 1 "-" "-""#, .other, .info),
    ParserSample("", .other, .info),
]

@Suite struct WebLogParserTests {
    let parser = WebLogParser(timeZone: ParserSample.utc)

    @Test(arguments: webSamples)
    func realWorldLine(_ sample: ParserSample) {
        sample.check(parser)
    }

    @Test func percentDecodingKeepsInvalidEscapes() {
        #expect(WebAttacks.percentDecode("%41%zz+%") == "A%zz %")
    }
}

import Foundation
import HeimdallProtocol
import Testing
@testable import HeimdallAgent

let piholeSamples: [ParserSample] = [
    ParserSample("Nov 20 10:50:00 dnsmasq[812]: query[A] example.com from 192.168.1.5", .dns, .info,
                 ["action": s("query"), "query": s("example.com"), "query_type": s("A"), "client_ip": s("192.168.1.5"), "process": s("dnsmasq"), "pid": n(812)],
                 ts: "2026-11-20T10:50:00Z", absent: ["host"]),
    ParserSample("Nov 20 10:50:01 dnsmasq[812]: query[AAAA] ipv6.example.net from 2001:db8::5", .dns, .info,
                 ["query_type": s("AAAA"), "client_ip": s("2001:db8::5")]),
    ParserSample("Nov 20 10:50:02 dnsmasq[812]: forwarded example.com to 1.1.1.1", .dns, .info,
                 ["action": s("forwarded"), "query": s("example.com"), "upstream": s("1.1.1.1")]),
    ParserSample("Nov 20 10:50:03 dnsmasq[812]: reply example.com is 93.184.216.34", .dns, .info,
                 ["action": s("reply"), "query": s("example.com"), "answer": s("93.184.216.34")]),
    ParserSample("Nov 20 10:50:04 dnsmasq[812]: reply www.example.com is <CNAME>", .dns, .info, ["answer": s("<CNAME>")]),
    ParserSample("Nov 20 10:50:05 dnsmasq[812]: cached example.com is 93.184.216.34", .dns, .info, ["action": s("cached")]),
    ParserSample("Nov 20 10:50:06 dnsmasq[812]: gravity blocked ads.tracker.example is 0.0.0.0", .dns, .low,
                 ["action": s("blocked"), "query": s("ads.tracker.example"), "list": s("gravity"), "answer": s("0.0.0.0")]),
    ParserSample("Nov 20 10:50:07 dnsmasq[812]: /etc/pihole/gravity.list doubleclick.net is 0.0.0.0", .dns, .low,
                 ["action": s("blocked"), "query": s("doubleclick.net"), "list": s("/etc/pihole/gravity.list")]),
    ParserSample("Nov 20 10:50:08 dnsmasq[812]: /etc/pihole/black.list evil.example is ::", .dns, .low, ["query": s("evil.example"), "answer": s("::")]),
    ParserSample("Nov 20 10:50:09 dnsmasq[812]: regex blacklisted tracker.example.org is 0.0.0.0", .dns, .low, ["list": s("regex")]),
    ParserSample("Nov 20 10:50:10 dnsmasq[812]: exactly blacklisted bad.example is 0.0.0.0", .dns, .low, ["list": s("blacklist")]),
    ParserSample("Nov 20 10:50:11 dnsmasq[812]: 4711 192.168.1.5/53211 query[A] example.org from 192.168.1.5", .dns, .info,
                 ["query": s("example.org"), "client_ip": s("192.168.1.5")]),
    ParserSample("Nov 20 10:50:12 dnsmasq[812]: config local.lan is NXDOMAIN", .dns, .info, ["action": s("config"), "answer": s("NXDOMAIN")]),
    ParserSample("Nov 20 10:50:13 dnsmasq[812]: query[HTTPS] example.com from not-an-ip", .dns, .info, ["query_type": s("HTTPS")], absent: ["client_ip"]),
    ParserSample("Nov 20 10:50:14 dnsmasq[812]: started, version pi-hole-v2.89 cachesize 10000", .system, .info),
    ParserSample("query[A] example.com from 192.168.1.5", .system, .info),
]

@Suite struct PiholeLogParserTests {
    let parser = PiholeLogParser(timeZone: ParserSample.utc)

    @Test(arguments: piholeSamples)
    func realWorldLine(_ sample: ParserSample) {
        sample.check(parser)
    }
}

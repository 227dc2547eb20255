import Foundation
import HeimdallProtocol
import Testing
@testable import HeimdallAgent

let firewallSamples: [ParserSample] = [
    ParserSample("Nov 20 10:40:00 gw kernel: [12345.678] [UFW BLOCK] IN=eth0 OUT= MAC=52:54:00:12:34:56:52:54:00:65:43:21:08:00 SRC=203.0.113.5 DST=192.168.1.10 LEN=60 TOS=0x00 PREC=0x00 TTL=50 ID=54321 DF PROTO=TCP SPT=51234 DPT=22 WINDOW=64240 RES=0x00 SYN URGP=0",
                 .firewall, .low, ["src_ip": s("203.0.113.5"), "dst_ip": s("192.168.1.10"), "src_port": n(51234), "dst_port": n(22), "protocol": s("tcp"),
                                   "action": s("block"), "interface": s("eth0"), "direction": s("in"), "host": s("gw")], ts: "2026-11-20T10:40:00Z"),
    ParserSample("Nov 20 10:40:01 gw kernel: [UFW ALLOW] IN=eth0 OUT= SRC=198.51.100.4 DST=192.168.1.10 LEN=52 PROTO=TCP SPT=40000 DPT=443 SYN",
                 .firewall, .info, ["action": s("allow"), "dst_port": n(443)]),
    ParserSample("Nov 20 10:40:02 gw kernel: [UFW AUDIT] IN= OUT=eth0 SRC=192.168.1.10 DST=9.9.9.9 LEN=60 PROTO=UDP SPT=53000 DPT=53 LEN=40",
                 .firewall, .info, ["protocol": s("udp"), "interface": s("eth0"), "direction": s("out")], absent: ["action"]),
    ParserSample("Nov 20 10:40:03 gw kernel: IPTABLES-DROP: IN=ens3 OUT= SRC=2001:db8::bad DST=2001:db8::1 LEN=80 TC=0 HOPLIMIT=57 FLOWLBL=0 PROTO=TCP SPT=44444 DPT=3389 WINDOW=1024 SYN",
                 .firewall, .low, ["src_ip": s("2001:db8::bad"), "dst_ip": s("2001:db8::1"), "dst_port": n(3389), "action": s("block")]),
    ParserSample("Nov 20 10:40:04 gw kernel: nft input accept: IN=eth0 OUT= SRC=10.0.0.9 DST=10.0.0.1 LEN=84 PROTO=ICMP TYPE=8 CODE=0 ID=1 SEQ=1",
                 .firewall, .info, ["protocol": s("icmp"), "action": s("allow")], absent: ["src_port"]),
    ParserSample("2026-11-20T10:40:05.123+01:00 gw kernel: REJECT IN=eth1 OUT= SRC=192.0.2.1 DST=192.0.2.2 PROTO=UDP SPT=1 DPT=161", .firewall, .low,
                 ["dst_port": n(161)], ts: "2026-11-20T09:40:05.123Z"),
    ParserSample("Nov 20 10:40:06 pfsense filterlog[12345]: 5,,,1000000103,igb0,match,block,in,4,0x0,,64,0,0,DF,6,tcp,60,203.0.113.5,192.168.1.10,51234,22,0,S,123456,,64240,,mss;sackOK",
                 .firewall, .low, ["src_ip": s("203.0.113.5"), "dst_ip": s("192.168.1.10"), "src_port": n(51234), "dst_port": n(22), "protocol": s("tcp"),
                                   "action": s("block"), "interface": s("igb0"), "direction": s("in"), "rule": s("5")]),
    ParserSample("Nov 20 10:40:07 pfsense filterlog[12345]: 77,,,1000000105,em1,match,pass,out,4,0x0,,127,12345,0,none,17,udp,76,192.168.1.20,8.8.8.8,55555,53,56",
                 .firewall, .info, ["protocol": s("udp"), "action": s("allow"), "dst_port": n(53), "direction": s("out")]),
    ParserSample("Nov 20 10:40:08 pfsense filterlog[12345]: 8,,,1000000006,igb0,match,block,in,6,0x00,0x00000,255,ipv6-icmp,58,32,fe80::1,ff02::1,",
                 .firewall, .low, ["protocol": s("ipv6-icmp"), "src_ip": s("fe80::1"), "dst_ip": s("ff02::1")], absent: ["src_port"]),
    ParserSample("Nov 20 10:40:09 pfsense filterlog[12345]: 9,,,1000000007,igb0,match,block,in,6,0x00,0x00000,57,tcp,6,40,2001:db8::bad,2001:db8::10,45678,443,0,S,1,,1024,,",
                 .firewall, .low, ["src_ip": s("2001:db8::bad"), "dst_port": n(443), "src_port": n(45678)]),
    ParserSample("<134>1 2026-11-20T10:40:10.000+01:00 pfsense.home filterlog 12345 - - 5,,,1000000103,igb0,match,block,in,4,0x0,,64,0,0,DF,6,tcp,60,203.0.113.5,192.168.1.10,51234,22,0,S,1,,64240,,mss",
                 .firewall, .low, ["src_ip": s("203.0.113.5"), "action": s("block")], ts: "2026-11-20T09:40:10Z"),
    ParserSample("Nov 20 10:40:11 pfsense filterlog[12345]: 5,,,1000000103,igb0,match,block,in", .system, .info),
    ParserSample("Nov 20 10:40:12 gw kernel: eth0: link up", .system, .info),
    ParserSample("IN=eth0 SRC=1.2.3.4 DST=5.6.7.8 PROTO=TCP SPT=1 DPT=2 DROP", .firewall, .info, ["src_ip": s("1.2.3.4")]),
]

@Suite struct FirewallLogParserTests {
    let parser = FirewallLogParser(timeZone: ParserSample.utc)

    @Test(arguments: firewallSamples)
    func realWorldLine(_ sample: ParserSample) {
        sample.check(parser)
    }
}

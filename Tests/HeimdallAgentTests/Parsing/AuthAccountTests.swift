import Foundation
import HeimdallProtocol
import Testing
@testable import HeimdallAgent

let suLoginAccountSamples: [ParserSample] = [
    ParserSample("Nov 20 10:20:00 web-01 su[4100]: Successful su for root by alice", .privilege, .low,
                 ["user": s("alice"), "target_user": s("root"), "outcome": s("success"), "process": s("su"), "pid": n(4100)]),
    ParserSample("Nov 20 10:20:01 web-01 su[4101]: FAILED SU (to root) bob on pts/1", .privilege, .medium,
                 ["user": s("bob"), "target_user": s("root"), "outcome": s("failure")]),
    ParserSample("Nov 20 10:20:02 web-01 su[4102]: (to postgres) alice on pts/0", .privilege, .low,
                 ["user": s("alice"), "target_user": s("postgres"), "outcome": s("success")]),
    ParserSample("Nov 20 10:20:03 web-01 su[4103]: pam_unix(su:auth): authentication failure; logname=bob uid=1001 euid=0 tty=/dev/pts/1 ruser=bob rhost=  user=root",
                 .privilege, .medium, ["user": s("bob"), "target_user": s("root"), "outcome": s("failure")]),
    ParserSample("Nov 20 10:20:04 web-01 su[4104]: pam_unix(su-l:session): session opened for user root(uid=0) by alice(uid=1000)", .privilege, .low,
                 ["user": s("alice"), "target_user": s("root"), "outcome": s("success")]),
    ParserSample("Nov 20 10:20:05 web-01 su: + pts/2 carol:root", .privilege, .low, ["user": s("carol"), "target_user": s("root")]),
    ParserSample("Nov 20 10:21:00 web-01 login[900]: FAILED LOGIN (1) on '/dev/tty1' FOR 'bob', Authentication failure", .auth, .medium,
                 ["user": s("bob"), "tty": s("/dev/tty1"), "outcome": s("failure")]),
    ParserSample("Nov 20 10:21:01 web-01 login[901]: FAILED LOGIN 2 FROM 2001:db8::9 FOR mallory, Authentication failure", .auth, .medium,
                 ["user": s("mallory"), "src_ip": s("2001:db8::9"), "outcome": s("failure")]),
    ParserSample("Nov 20 10:21:02 web-01 login[902]: ROOT LOGIN  on '/dev/tty1'", .auth, .low, ["user": s("root"), "outcome": s("success")]),
    ParserSample("Nov 20 10:21:03 web-01 login[903]: pam_unix(login:auth): authentication failure; logname=LOGIN uid=0 euid=0 tty=/dev/tty1 ruser= rhost=  user=bob",
                 .auth, .medium, ["user": s("bob"), "outcome": s("failure")]),
    ParserSample("Nov 20 10:22:00 web-01 useradd[5000]: new user: name=bob, UID=1001, GID=1001, home=/home/bob, shell=/bin/bash, from=/dev/pts/0",
                 .privilege, .medium, ["action": s("user_created"), "target_user": s("bob"), "uid": s("1001"), "shell": s("/bin/bash")]),
    ParserSample("Nov 20 10:22:00 web-01 useradd[5000]: new group: name=bob, GID=1001", .privilege, .low, ["action": s("group_created"), "group": s("bob")]),
    ParserSample("Nov 20 10:22:01 web-01 groupadd[5001]: group added to /etc/group: name=devs, GID=1002", .privilege, .low,
                 ["action": s("group_created"), "group": s("devs")]),
    ParserSample("Nov 20 10:22:02 web-01 userdel[5002]: delete user 'bob'", .privilege, .medium, ["action": s("user_deleted"), "target_user": s("bob")]),
    ParserSample("Nov 20 10:22:02 web-01 userdel[5002]: removed group 'bob' owned by 'bob'", .privilege, .low, ["action": s("group_deleted"), "group": s("bob")]),
    ParserSample("Nov 20 10:22:03 web-01 usermod[5003]: add 'bob' to group 'sudo'", .privilege, .high,
                 ["action": s("group_member_added"), "target_user": s("bob"), "group": s("sudo")]),
    ParserSample("Nov 20 10:22:03 web-01 usermod[5003]: add 'bob' to shadow group 'video'", .privilege, .medium,
                 ["action": s("group_member_added"), "target_user": s("bob"), "group": s("video")]),
    ParserSample("Nov 20 10:22:04 web-01 usermod[5004]: change user 'bob' shell from '/bin/sh' to '/bin/bash'", .privilege, .low,
                 ["action": s("user_changed"), "target_user": s("bob")]),
    ParserSample("Nov 20 10:22:04 web-01 usermod[5004]: lock user 'bob' password", .privilege, .low, ["action": s("user_locked"), "target_user": s("bob")]),
    ParserSample("Nov 20 10:22:05 web-01 gpasswd[5005]: user bob added by root to group wheel", .privilege, .high,
                 ["action": s("group_member_added"), "target_user": s("bob"), "group": s("wheel"), "user": s("root")]),
    ParserSample("Nov 20 10:22:05 web-01 gpasswd[5005]: user bob removed by root from group wheel", .privilege, .low,
                 ["action": s("group_member_removed"), "target_user": s("bob"), "group": s("wheel")]),
    ParserSample("Nov 20 10:22:06 web-01 passwd[5006]: pam_unix(passwd:chauthtok): password changed for bob", .privilege, .medium,
                 ["action": s("password_changed"), "target_user": s("bob"), "process": s("passwd")]),
    ParserSample("Nov 20 10:22:07 web-01 chpasswd[5007]: pam_unix(chpasswd:chauthtok): password changed for carol", .privilege, .medium,
                 ["action": s("password_changed"), "target_user": s("carol")]),
    ParserSample("Nov 20 10:22:08 web-01 groupdel[5008]: group 'devs' removed", .privilege, .low, ["action": s("group_deleted"), "group": s("devs")]),
    ParserSample("Nov 20 10:23:00 web-01 sshd[6000]: PAM 2 more authentication failures; logname= uid=0 euid=0 tty=ssh ruser= rhost=203.0.113.9  user=root",
                 .auth, .medium, ["user": s("root"), "src_ip": s("203.0.113.9"), "outcome": s("failure")]),
    ParserSample("Nov 20 10:23:01 web-01 sshd[6001]: User root from 2001:db8::66 not allowed because not listed in AllowUsers", .auth, .low,
                 ["user": s("root"), "src_ip": s("2001:db8::66"), "outcome": s("failure")]),
    ParserSample("2026-11-20T10:23:02+0100 web-01 sshd[6002]: Failed password for root from 203.0.113.9 port 22 ssh2", .auth, .medium,
                 ["user": s("root")], ts: "2026-11-20T09:23:02Z"),
    ParserSample("Nov 20 10:22:09 web-01 useradd[5009]: failed adding user 'x', data deleted", .system, .info),
    ParserSample("Nov 20 10:22:09 web-01 su[1]: FAILED SU (to", .system, .info),
]

@Suite struct AuthAccountTests {
    let parser = AuthLogParser(timeZone: ParserSample.utc)

    @Test(arguments: suLoginAccountSamples)
    func realWorldLine(_ sample: ParserSample) {
        sample.check(parser)
    }
}

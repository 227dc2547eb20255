import Foundation
import HeimdallProtocol
import Testing
@testable import HeimdallAgent

/// One `log stream --style ndjson` record.
func macRecord(_ path: String, _ message: String, subsystem: String = "", category: String = "", pid: Int = 4242,
               timestamp: String = "2026-11-20 10:15:02.123456+0100") -> String {
    let escaped = message.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
    return #"{"traceID":1234567,"eventMessage":"\#(escaped)","eventType":"logEvent","source":null,"formatString":"%{public}s","activityIdentifier":0,"#
        + #""subsystem":"\#(subsystem)","category":"\#(category)","threadID":98765,"senderImageUUID":"5E0E2F5B-0000-0000-0000-000000000000","#
        + #""backtrace":{"frames":[{"imageOffset":1234,"imageUUID":"5E0E2F5B-0000-0000-0000-000000000000"}]},"bootUUID":"","#
        + #""processImagePath":"\#(path)","senderImagePath":"\#(path)","timestamp":"\#(timestamp)","machTimestamp":123456789,"#
        + #""messageType":"Default","processImageUUID":"5E0E2F5B-0000-0000-0000-000000000000","processID":\#(pid),"senderProgramCounter":1234,"#
        + #""parentActivityIdentifier":0,"timezoneName":""}"#
}

let macSamples: [ParserSample] = [
    ParserSample(macRecord("/usr/sbin/sshd", "Accepted publickey for alice from 198.51.100.7 port 52144 ssh2: ED25519 SHA256:abc", subsystem: "com.openssh.sshd"),
                 .auth, .info, ["user": s("alice"), "src_ip": s("198.51.100.7"), "src_port": n(52144), "outcome": s("success"), "process": s("sshd"),
                                "pid": n(4242), "subsystem": s("com.openssh.sshd")], ts: "2026-11-20T09:15:02.123456Z"),
    ParserSample(macRecord("/usr/sbin/sshd", "Failed password for invalid user admin from 2001:db8::bad port 40000 ssh2"), .auth, .medium,
                 ["user": s("admin"), "src_ip": s("2001:db8::bad"), "outcome": s("failure")]),
    ParserSample(macRecord("/usr/sbin/sshd", "Invalid user oracle from 203.0.113.9 port 5555"), .auth, .low, ["user": s("oracle")]),
    ParserSample(macRecord("/usr/bin/sudo", "  alice : TTY=ttys000 ; PWD=/Users/alice ; USER=root ; COMMAND=/usr/bin/id"), .privilege, .low,
                 ["user": s("alice"), "target_user": s("root"), "command": s("/usr/bin/id"), "outcome": s("success")]),
    ParserSample(macRecord("/usr/bin/sudo", "  bob : 3 incorrect password attempts ; TTY=ttys001 ; PWD=/Users/bob ; USER=root ; COMMAND=/bin/sh"), .privilege, .medium,
                 ["user": s("bob"), "outcome": s("failure")]),
    ParserSample(macRecord("/usr/bin/su", "FAILED SU (to root) bob on ttys002"), .privilege, .medium, ["user": s("bob"), "target_user": s("root")]),
    ParserSample(macRecord("/System/Library/CoreServices/loginwindow.app/Contents/MacOS/loginwindow",
                           "-[LoginWindowController authenticationFailed] | Authentication failed for user 'alice'", subsystem: "com.apple.loginwindow.logging"),
                 .auth, .medium, ["user": s("alice"), "outcome": s("failure"), "process": s("loginwindow")]),
    ParserSample(macRecord("/System/Library/CoreServices/loginwindow.app/Contents/MacOS/loginwindow",
                           "-[SessionAgentNotificationCenter sendBSDNotification:forUserID:] | sending BSD notification: com.apple.sessionagent.screenIsUnlocked for 501"),
                 .auth, .info, ["action": s("unlock"), "outcome": s("success")]),
    ParserSample(macRecord("/System/Library/CoreServices/loginwindow.app/Contents/MacOS/loginwindow",
                           "-[SessionAgentNotificationCenter sendBSDNotification:forUserID:] | sending BSD notification: com.apple.sessionagent.screenIsLocked for 501"),
                 .auth, .info, ["action": s("lock")], absent: ["outcome"]),
    ParserSample(macRecord("/System/Library/Frameworks/Security.framework/Versions/A/MachServices/authd.xpc/Contents/MacOS/authd",
                           "Succeeded authorizing right 'system.privilege.admin' by client '/usr/sbin/authorizationhost' [821] for authorization created by '/System/Library/CoreServices/Software Update.app' [820] (3,0) (engine 77)"),
                 .privilege, .low, ["right": s("system.privilege.admin"), "outcome": s("success"), "process": s("authd"),
                                    "command": s("/System/Library/CoreServices/Software Update.app")]),
    ParserSample(macRecord("/System/Library/Frameworks/Security.framework/Versions/A/MachServices/authd.xpc/Contents/MacOS/authd",
                           "Failed to authorize right 'system.preferences.security' by client '/System/Applications/System Settings.app' [900] for authorization created by '/System/Applications/System Settings.app' [900] (100002,0) (-60005) (engine 78)"),
                 .privilege, .medium, ["right": s("system.preferences.security"), "outcome": s("failure")]),
    ParserSample(macRecord("/System/Library/PrivateFrameworks/PackageKit.framework/Versions/A/Resources/installd",
                           "PackageKit: Installed \"Firefox\" (124.0.1)"), .software, .info,
                 ["action": s("install"), "package": s("Firefox"), "version": s("124.0.1"), "process": s("installd")]),
    ParserSample(macRecord("/System/Library/CoreServices/Installer.app/Contents/MacOS/Installer",
                           "Product archive /Users/alice/Downloads/Zoom.pkg trustLevel=350"), .software, .info,
                 ["action": s("package_opened"), "package": s("Zoom.pkg")]),
    ParserSample(macRecord("/usr/libexec/softwareupdated", "SUOSUServiceDaemon: Install of \"macOS Sonoma 14.2.1\" failed"), .software, .low,
                 ["package": s("macOS Sonoma 14.2.1"), "outcome": s("failure")]),
    ParserSample(macRecord("/usr/libexec/mdmclient", "Checking in with server"), .system, .info, ["process": s("mdmclient")]),
    ParserSample("Filtering the log data using \"process == \\\"sshd\\\"\"", .other, .info),
    ParserSample(#"{"eventMessage": 42, "processID": "x"}"#, .system, .info, absent: ["pid", "process"]),
    ParserSample(#"{"eventMessage":"Accepted password for bob from 10.0.0.1 port 22 ssh2","processImagePath":"/usr/sbin/sshd""#, .other, .info),
    ParserSample("[1, 2, 3]", .other, .info),
]

@Suite struct MacUnifiedLogParserTests {
    let parser = MacUnifiedLogParser(timeZone: ParserSample.utc)

    @Test(arguments: macSamples)
    func realWorldLine(_ sample: ParserSample) {
        sample.check(parser)
    }
}

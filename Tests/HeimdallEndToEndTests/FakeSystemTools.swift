import Foundation

/// Stand-ins for the system tools `deploy/install-agent.sh` calls (`getent`, `groupadd`,
/// `useradd`, `usermod`, `runuser`, `systemctl`), first in `PATH`: each appends its name
/// and arguments to `calls.log`. The account tools keep their own `passwd` and `group`
/// files (which `getent` reads), so the machine's users are never touched; `runuser`
/// really switches to the fake account's uid and gid with `setpriv`.
struct FakeSystemTools {
    /// The uid and gid the fake `useradd`/`groupadd` give the service account.
    static let serviceID = 61_234

    let directory: String
    var bin: String { directory + "/bin" }
    var calls: String { directory + "/calls.log" }

    init(directory: String) throws {
        self.directory = directory
        try FileManager.default.createDirectory(atPath: directory + "/bin", withIntermediateDirectories: true)
        try write("passwd", "root:x:0:0:root:/root:/bin/bash\n")
        try write("group", "root:x:0:\nadm:x:4:\nsystemd-journal:x:999:\n")
        let record = #"printf '%s' "$(basename "$0")" >> "$FAKE_DIR/calls.log"; for a in "$@"; do printf ' %s' "$a" >> "$FAKE_DIR/calls.log"; done; echo >> "$FAKE_DIR/calls.log""#
        let id = Self.serviceID
        try tool("getent", """
            \(record)
            line=$(grep "^$2:" "$FAKE_DIR/$1") || exit 2
            echo "$line"
            """)
        try tool("groupadd", "\(record)\nfor a in \"$@\"; do name=$a; done\necho \"$name:x:\(id):\" >> \"$FAKE_DIR/group\"")
        try tool("useradd", "\(record)\nfor a in \"$@\"; do name=$a; done\necho \"$name:x:\(id):\(id)::/var/lib/heimdall-agent:/usr/sbin/nologin\" >> \"$FAKE_DIR/passwd\"")
        try tool("usermod", record)
        try tool("systemctl", record)
        try tool("runuser", """
            \(record)
            [ "$1" = "-u" ] && [ "$3" = "--" ] || { echo "fake runuser: expected -u USER -- COMMAND" >&2; exit 2; }
            ids=$(grep "^$2:" "$FAKE_DIR/passwd" | cut -d: -f3,4) || { echo "runuser: user $2 does not exist" >&2; exit 1; }
            shift 3
            exec setpriv --reuid="${ids%%:*}" --regid="${ids##*:}" --clear-groups -- "$@"
            """)
    }

    /// The environment for the script: these tools first in `PATH`.
    var environment: [String: String] {
        ["PATH": bin + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/sbin:/usr/bin:/sbin:/bin"), "FAKE_DIR": directory,
         "HEIMDALL_LOG_LEVEL": "error"]
    }

    /// The recorded calls, one `name arg...` line each.
    func recorded() -> [String] {
        ((try? String(contentsOfFile: calls, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    private func write(_ name: String, _ text: String) throws {
        try text.write(toFile: directory + "/" + name, atomically: true, encoding: .utf8)
    }

    private func tool(_ name: String, _ body: String) throws {
        let path = bin + "/" + name
        try ("#!/bin/sh\n" + body + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o755)
    }
}

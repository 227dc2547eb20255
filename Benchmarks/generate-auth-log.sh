#!/usr/bin/env bash
# Writes N (default 1,000,000) varied auth.log lines to standard output: sshd accepted and
# failed logins (IPv4 and IPv6), invalid users, disconnects, sudo, su, PAM failures,
# useradd, and a few lines no classifier claims.
#
#   Benchmarks/generate-auth-log.sh 1000000 > /tmp/auth.log
set -euo pipefail
count=${1:-1000000}
awk -v n="$count" 'BEGIN {
    split("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec", months, " ")
    split("alice bob carol dave root admin oracle deploy", users, " ")
    for (i = 0; i < n; i++) {
        ts = sprintf("%s %2d %02d:%02d:%02d", months[int(i / 100000) % 12 + 1], i % 28 + 1, int(i / 3600) % 24, int(i / 60) % 60, i % 60)
        u = users[i % 8 + 1]; ip = sprintf("203.0.%d.%d", int(i / 256) % 256, i % 256); port = 1024 + i % 60000
        pid = 1000 + i % 30000
        k = i % 10
        if (k == 0) m = sprintf("sshd[%d]: Accepted publickey for %s from %s port %d ssh2: ED25519 SHA256:abc", pid, u, ip, port)
        else if (k == 1) m = sprintf("sshd[%d]: Failed password for %s from %s port %d ssh2", pid, u, ip, port)
        else if (k == 2) m = sprintf("sshd[%d]: Failed password for invalid user %s from 2001:db8::%x port %d ssh2", pid, u, i % 65536, port)
        else if (k == 3) m = sprintf("sshd[%d]: Invalid user %s from %s port %d", pid, u, ip, port)
        else if (k == 4) m = sprintf("sshd[%d]: Disconnected from authenticating user %s %s port %d [preauth]", pid, u, ip, port)
        else if (k == 5) m = sprintf("sudo:    %s : TTY=pts/0 ; PWD=/home/%s ; USER=root ; COMMAND=/usr/bin/systemctl restart nginx", u, u)
        else if (k == 6) m = sprintf("su[%d]: (to root) %s on pts/1", pid, u)
        else if (k == 7) m = sprintf("sshd[%d]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=%s  user=%s", pid, ip, u)
        else if (k == 8) m = sprintf("useradd[%d]: new user: name=%s%d, UID=%d, GID=%d, home=/home/%s, shell=/bin/bash, from=/dev/pts/0", pid, u, i, 2000 + i % 1000, 2000 + i % 1000, u)
        else m = sprintf("CRON[%d]: pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)", pid)
        printf "%s web1 %s\n", ts, m
    }
}'

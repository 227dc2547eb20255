/// The shell script of a fake `journalctl` over a file of JSON records (one per line), the
/// way the journald collector calls it: `-n 1` prints the newest record; `--follow` prints
/// the records after `--after-cursor` (or all; an unknown cursor fails with status 1 like
/// the real one) and then follows the file. Every invocation is appended to `calls`.
/// Shared by the collector's unit tests and the end-to-end delivery tests.
public enum FakeJournalctlScript {
    /// The script's text. `follow` is the command line that prints from line `$start` on
    /// (e.g. `exec tail -n "+$start" -f "$journal"`); `journal` and `start` are set for it.
    public static func text(journal: String, calls: String, follow: String) -> String {
        """
        #!/bin/sh
        journal='\(journal)'
        echo "$*" >> '\(calls)'
        after=""; follow=0
        for argument in "$@"; do
            case "$argument" in
                --after-cursor=*) after="${argument#--after-cursor=}" ;;
                --follow) follow=1 ;;
            esac
        done
        if [ "$follow" = 0 ]; then tail -n 1 "$journal"; exit 0; fi
        start=1
        if [ -n "$after" ]; then
            line=$(grep -n -F "\\"__CURSOR\\":\\"$after\\"" "$journal" | head -n 1 | cut -d: -f1)
            if [ -z "$line" ]; then echo "Failed to seek to cursor: Invalid argument" >&2; exit 1; fi
            start=$((line + 1))
        fi
        \(follow)

        """
    }
}

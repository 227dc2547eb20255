/// The shell script of a fake macOS `log` over a file of NDJSON records (one per line, as
/// written by `log --style ndjson`), the way the unified-log collector calls it:
/// `log show ... --start S` prints the records whose timestamp is at or after S (to the
/// second), then the `{"count":N,"finished":1}` summary; `log stream ...` prints the banner,
/// then runs `stream`. Every invocation appends its arguments to `calls`, one per line after
/// a `--` line (one write per invocation: `stream` and `show` run at the same time).
/// Shared by the collector's unit tests and the end-to-end delivery tests.
public enum FakeLogScript {
    /// The script's text. `stream` is the command line that follows the records, e.g.
    /// `exec tail -n 0 -f "$journal"`; `journal` is set for it.
    public static func text(journal: String, calls: String, stream: String) -> String {
        """
        #!/bin/sh
        journal='\(journal)'
        block='--
        '
        for argument in "$@"; do block="$block$argument
        "; done
        printf '%s' "$block" >> '\(calls)'
        start=""; previous=""
        for argument in "$@"; do
            if [ "$previous" = "--start" ]; then start=$(printf '%s' "$argument" | cut -c1-19); fi
            previous=$argument
        done
        case "$1" in
            show)
                awk -v start="$start" '{ i = index($0, "\\"timestamp\\":\\""); if (i == 0) next; if (substr($0, i + 13, 19) >= start) { print; n++ } } END { printf "{\\"count\\":%d,\\"finished\\":1}\\n", n }' "$journal"
                ;;
            stream)
                echo "Filtering the log data using \\"$3 $4\\""
                \(stream)
                ;;
            *) echo "usage: log show|stream" >&2; exit 64 ;;
        esac

        """
    }

    /// Each recorded invocation's arguments, from the text of `calls`.
    public static func invocations(in calls: String) -> [[String]] {
        calls.components(separatedBy: "--\n").dropFirst().map {
            $0.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
        }
    }
}

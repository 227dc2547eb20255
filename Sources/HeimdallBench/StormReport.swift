import Foundation
import HeimdallProtocol

/// The human summary and the `BENCH` line of a storm run.
public enum StormReport {
    public static func text(_ result: StormRunner.Result) -> String {
        var values: [String: JSONValue] = [
            "sessions": .number(Double(result.sessions)), "connected_before": .number(Double(result.connectedBefore)),
            "back": .number(Double(result.backAfterTimeout)), "tls_resumed": .bool(result.resumed),
            "tls_resumed_count": .number(Double(result.resumedCount)),
        ]
        if let seconds = result.secondsToAllBack { values["seconds_to_all_back"] = .rounded(seconds, 2) }
        let outcome = result.secondsToAllBack.map { String(format: "all back %.2f s after the restart", $0) }
            ?? "only \(result.backAfterTimeout) back before the timeout"
        return """
            \(result.connectedBefore)/\(result.sessions) connected before the kill; \(outcome); \
            \(result.resumedCount) of \(result.backAfterTimeout) reconnects resumed their TLS session
            \(BenchSummary(mode: "storm", values: values).line)
            """
    }
}

import Foundation
import HeimdallProtocol

/// The human summary and the `BENCH` line of a load run.
public enum LoadReport {
    public static func text(_ result: LoadRunner.Result, plan: LoadRunner.Plan, run: String) -> String {
        let latency = result.tally.latency
        let milliseconds = { (value: UInt64) in Double(value) / 1000 }
        let exact = result.storedInDatabase.map { $0 == result.tally.stored } ?? true
        var values: [String: JSONValue] = [
            "run": .string(run), "sessions": .number(Double(plan.sessions)), "welcomed": .number(Double(result.sessionsWelcomed)),
            "batch": .number(Double(plan.batchSize)), "seconds": .rounded(result.seconds, 2),
            "events_per_s": .rounded(result.eventsPerSecond, 0), "stored": .number(Double(result.tally.stored)),
            "duplicates": .number(Double(result.tally.duplicates)), "rejected": .number(Double(result.tally.rejected)),
            "ack_p50_ms": .rounded(milliseconds(latency.valueAtPercentile(50)), 2),
            "ack_p99_ms": .rounded(milliseconds(latency.valueAtPercentile(99)), 2), "ack_max_ms": .rounded(milliseconds(latency.max), 2),
            "errors": .number(Double(result.tally.errors.count)), "database_matches": .bool(exact),
        ]
        if let rate = plan.framesPerSecond { values["frames_per_s_per_session"] = .rounded(rate, 2) }
        if let cpu = result.hubCPUPercent { values["hub_cpu_percent"] = .rounded(cpu, 1) }
        if let rss = result.hubPeakRSS { values["hub_peak_rss_mib"] = .rounded(Double(rss) / 1_048_576, 1) }
        if let stored = result.storedInDatabase { values["database_rows"] = .number(Double(stored)) }
        if let baseline = result.baseline {
            values["baseline_store_rows_per_s"] = .rounded(baseline.storePathRowsPerSecond, 0)
            values["baseline_copy_rows_per_s"] = .rounded(baseline.copyRowsPerSecond, 0)
            values["hub_over_store_path"] = .rounded(result.eventsPerSecond / baseline.storePathRowsPerSecond, 2)
            values["hub_over_copy"] = .rounded(result.eventsPerSecond / baseline.copyRowsPerSecond, 2)
        }
        if let pause = result.pause {
            values["pause_seconds"] = .rounded(pause.seconds, 2)
            values["acks_while_paused"] = .number(Double(pause.acksWhilePaused))
            if let rss = pause.hubRSSBefore { values["hub_rss_before_pause_mib"] = .rounded(Double(rss) / 1_048_576, 1) }
            if let rss = pause.hubRSSPeakWhilePaused { values["hub_rss_peak_while_paused_mib"] = .rounded(Double(rss) / 1_048_576, 1) }
        }
        if let seconds = result.steadySeconds {
            let steady = result.tally.steadyLatency
            values["steady_seconds"] = .rounded(seconds, 2)
            values["ack_steady_p50_ms"] = .rounded(milliseconds(steady.valueAtPercentile(50)), 2)
            values["ack_steady_p99_ms"] = .rounded(milliseconds(steady.valueAtPercentile(99)), 2)
            values["ack_steady_max_ms"] = .rounded(milliseconds(steady.max), 2)
            if let cpu = result.hubSteadyCPUPercent { values["hub_cpu_steady_percent"] = .rounded(cpu, 1) }
            if let cpu = result.hubSteadySystemCPUPercent { values["hub_cpu_steady_system_percent"] = .rounded(cpu, 1) }
        }
        if let peak = result.hubPeakRSS, let before = result.hubRSSBefore, plan.sessions > 0 {
            values["hub_rss_per_session_kib"] = .rounded(Double(peak > before ? peak - before : 0) / 1024 / Double(plan.sessions), 1)
        }
        let errors = result.tally.errors.prefix(3).joined(separator: "; ")
        let mode = plan.heartbeatOnly == nil ? "load" : "idle"
        return """
            \(result.sessionsWelcomed)/\(plan.sessions) sessions, \(Int(result.eventsPerSecond)) events/s acknowledged over \(String(format: "%.1f", result.seconds)) s
            ack latency p50 \(milliseconds(latency.valueAtPercentile(50))) ms, p99 \(milliseconds(latency.valueAtPercentile(99))) ms, max \(milliseconds(latency.max)) ms
            \(baselineLine(result))\(steadyLine(result))\(pauseLine(result))database: \(result.storedInDatabase.map(String.init) ?? "not checked") rows for \(result.tally.stored) acknowledged as stored\(exact ? "" : " — MISMATCH")
            \(errors.isEmpty ? "" : "errors: \(errors)\n")\(BenchSummary(mode: mode, values: values).line)
            """
    }
}

extension LoadReport {
    /// The same-run baseline and the headline ratios as one line, or nothing.
    static func baselineLine(_ result: LoadRunner.Result) -> String {
        guard let baseline = result.baseline else { return "" }
        return String(
            format: "hub / baseline (same run): %.2f × one COPY (%.0f rows/s), %.2f × the store batch path (%.0f rows/s)\n",
            result.eventsPerSecond / baseline.copyRowsPerSecond, baseline.copyRowsPerSecond,
            result.eventsPerSecond / baseline.storePathRowsPerSecond, baseline.storePathRowsPerSecond
        )
    }

    /// The database pause's figures as one line, or nothing.
    static func pauseLine(_ result: LoadRunner.Result) -> String {
        guard let pause = result.pause else { return "" }
        let mebibytes = { (bytes: UInt64?) in bytes.map { String(format: "%.1f MiB", Double($0) / 1_048_576) } ?? "?" }
        return String(format: "database paused %.1f s: %d acks while paused; ", pause.seconds, pause.acksWhilePaused)
            + "hub RSS \(mebibytes(pause.hubRSSBefore)) before, at most \(mebibytes(pause.hubRSSPeakWhilePaused)) while paused\n"
    }

    /// The steady-state figures (every session welcomed) as one line, or nothing.
    static func steadyLine(_ result: LoadRunner.Result) -> String {
        guard let seconds = result.steadySeconds else { return "" }
        let steady = result.tally.steadyLatency
        let system = result.hubSteadySystemCPUPercent.map { String(format: " (system %.1f %%)", $0) } ?? ""
        let cpu = result.hubSteadyCPUPercent.map { String(format: ", hub CPU %.1f %%", $0) + system } ?? ""
        return String(
            format: "steady state (%.1f s, every session welcomed): ack p50 %.2f ms, p99 %.2f ms",
            seconds, Double(steady.valueAtPercentile(50)) / 1000, Double(steady.valueAtPercentile(99)) / 1000
        ) + cpu + "\n"
    }
}

/// The human summary and the `BENCH` line of a baseline run.
public enum BaselineReport {
    public static func text(_ result: BaselineRunner.Result, batchSize: Int) -> String {
        """
        store batch path: \(Int(result.storePathRowsPerSecond)) rows/s (\(batchSize) rows per transaction)
        single COPY:      \(Int(result.copyRowsPerSecond)) rows/s
        \(BenchSummary(mode: "baseline", values: [
            "rows": .number(Double(result.rows)), "batch": .number(Double(batchSize)),
            "store_rows_per_s": .rounded(result.storePathRowsPerSecond, 0), "copy_rows_per_s": .rounded(result.copyRowsPerSecond, 0),
        ]).line)
        """
    }
}

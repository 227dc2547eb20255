/// Parsers of the small `/proc` files the status snapshot reads: text in, values out, no
/// I/O. Malformed input gives `nil` (or skips the line), never a crash. Any thread.
public enum KernelText {
    /// What `/proc/stat` says about the CPUs.
    public struct ProcStat: Sendable, Hashable {
        /// The aggregate `cpu` line.
        public var total: CPUTimes
        /// How many `cpuN` lines there were (online CPUs).
        public var cpuCount: Int
    }

    /// Parses `/proc/stat`; `nil` without a well-formed aggregate `cpu` line.
    public static func procStat(_ text: String) -> ProcStat? {
        var total: CPUTimes?
        var count = 0
        for line in text.split(separator: "\n") where line.hasPrefix("cpu") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard let label = fields.first else { continue }
            if label == "cpu" {
                total = cpuTimes(fields.dropFirst().map(String.init))
            } else if label.dropFirst(3).allSatisfy(\.isNumber) {
                count += 1
            }
        }
        guard let total else { return nil }
        return ProcStat(total: total, cpuCount: max(count, 1))
    }

    private static func cpuTimes(_ fields: [String]) -> CPUTimes? {
        let numbers = fields.prefix(8).compactMap { UInt64($0) }
        // Kernels before 2.6.11 print 7 columns; user, nice, system, idle are always there.
        guard numbers.count == min(fields.count, 8), numbers.count >= 4 else { return nil }
        func at(_ index: Int) -> UInt64 { index < numbers.count ? numbers[index] : 0 }
        return CPUTimes(
            user: at(0), nice: at(1), system: at(2), idle: at(3), iowait: at(4), irq: at(5), softirq: at(6), steal: at(7)
        )
    }

    /// The 1, 5 and 15 minute load averages from `/proc/loadavg`.
    public static func loadAverage(_ text: String) -> [Double]? {
        let numbers = text.split(whereSeparator: \.isWhitespace).prefix(3).compactMap { Double($0) }
        return numbers.count == 3 ? numbers : nil
    }

    /// Seconds since boot, the first number of `/proc/uptime`.
    public static func uptime(_ text: String) -> Double? {
        text.split(whereSeparator: \.isWhitespace).first.flatMap { Double($0) }
    }

    /// `/proc/meminfo` as bytes by key (`MemTotal`, `MemAvailable`, `SwapTotal`, ...).
    /// Values with a `kB` unit are multiplied by 1024; lines that do not parse are skipped.
    public static func memInfo(_ text: String) -> [String: UInt64] {
        var values: [String: UInt64] = [:]
        for line in text.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = String(line[..<colon])
            let parts = line[line.index(after: colon)...].split(separator: " ", omittingEmptySubsequences: true)
            guard let first = parts.first, let number = UInt64(first) else { continue }
            if parts.count >= 2, parts[1] == "kB" {
                let (bytes, overflow) = number.multipliedReportingOverflow(by: 1024)
                guard !overflow else { continue }
                values[key] = bytes
            } else {
                values[key] = number
            }
        }
        return values
    }

    /// `PRETTY_NAME` from `/etc/os-release` (quotes and shell escapes removed), else
    /// `NAME VERSION`, else `nil`.
    public static func osPrettyName(_ text: String) -> String? {
        var values: [String: String] = [:]
        for line in text.split(separator: "\n") {
            let trimmed = line.trimmingWhitespace()
            guard !trimmed.hasPrefix("#"), let equals = trimmed.firstIndex(of: "=") else { continue }
            values[String(trimmed[..<equals])] = unquote(trimmed[trimmed.index(after: equals)...])
        }
        if let pretty = values["PRETTY_NAME"], !pretty.isEmpty { return pretty }
        guard let name = values["NAME"], !name.isEmpty else { return nil }
        if let version = values["VERSION"], !version.isEmpty { return name + " " + version }
        return name
    }

    private static func unquote(_ value: Substring) -> String {
        var text = value.trimmingWhitespace()
        if let quote = text.first, quote == "\"" || quote == "'", text.count >= 2, text.last == quote {
            text = text.dropFirst().dropLast()
        }
        var result = ""
        var escaped = false
        for character in text {
            if escaped || character != "\\" {
                result.append(character)
                escaped = false
            } else {
                escaped = true
            }
        }
        return result
    }
}

extension Substring {
    func trimmingWhitespace() -> Substring {
        var text = self
        while let first = text.first, first.isWhitespace { text = text.dropFirst() }
        while let last = text.last, last.isWhitespace { text = text.dropLast() }
        return text
    }
}

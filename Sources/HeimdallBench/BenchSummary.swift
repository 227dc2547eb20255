import HeimdallProtocol

/// The one machine-readable line every mode prints last: `BENCH {json}`.
public struct BenchSummary: Sendable {
    public var mode: String
    public var values: [String: JSONValue]

    public init(mode: String, values: [String: JSONValue]) {
        self.mode = mode
        self.values = values
    }

    /// `BENCH {"mode":"load",...}` with sorted keys.
    public var line: String {
        var object = values
        object["mode"] = .string(mode)
        return "BENCH " + JSONValue.object(object).jsonText()
    }
}

extension JSONValue {
    /// A number rounded to `places` decimals, for readable summaries.
    static func rounded(_ value: Double, _ places: Int = 1) -> JSONValue {
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        return .number((value * scale).rounded() / scale)
    }
}

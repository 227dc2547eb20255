import HeimdallProtocol

/// `--json` output: exactly one JSON document on standard output. Any thread.
public enum JSONOutput {
    /// The document text followed by a newline (compact, sorted keys).
    public static func text(_ value: JSONValue) -> String {
        value.jsonText() + "\n"
    }

    /// Writes `value` as one JSON document to standard output.
    public static func write(_ value: JSONValue) {
        StandardStreams.writeOutput(text(value))
    }
}

extension JSONValue {
    /// A string, or `null` when `value` is nil.
    public static func optionalString(_ value: String?) -> JSONValue {
        value.map(JSONValue.string) ?? .null
    }
}

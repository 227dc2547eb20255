import HeimdallProtocol

/// One event as an NDJSON line, byte for byte what `event.jsonValue.jsonText()` gives
/// (members in sorted order, the same writer for every value), written straight into an
/// output buffer without building the top-level object first: `heimdall-agent parse --json`.
/// Pure: any thread may call it.
public enum EventNDJSON {
    /// Appends `event` as JSON and a newline to `out`.
    public static func append(_ event: Event, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "{"))
        member("category", .string(event.category.rawValue), to: &out)
        member("fields", .object(event.fields), to: &out)
        member("id", .string(event.id), to: &out)
        member("message", .string(event.message), to: &out)
        if let raw = event.raw { member("raw", .string(raw), to: &out) }
        member("severity", .string(event.severity.rawValue), to: &out)
        member("source", .string(event.source), to: &out)
        member("ts", .string(RFC3339.format(event.timestamp)), to: &out, last: true)
        out.append(contentsOf: "}\n".utf8)
    }

    private static func member(_ key: String, _ value: JSONValue, to out: inout [UInt8], last: Bool = false) {
        JSONWriter.write(.string(key), into: &out)
        out.append(UInt8(ascii: ":"))
        JSONWriter.write(value, into: &out)
        if !last { out.append(UInt8(ascii: ",")) }
    }
}

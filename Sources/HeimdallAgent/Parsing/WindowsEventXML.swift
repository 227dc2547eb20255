/// One Windows event in its rendered XML form (`wevtutil qe /f:xml`, `EvtRender`), read by a
/// small extractor rather than a full XML parser: elements, attributes (either quote),
/// character references and the five predefined entities, namespace prefixes ignored.
/// Comments, CDATA and processing instructions are skipped. Anything malformed gives `nil`,
/// never a crash. Pure: any thread may call it.
struct WindowsEventXML: Hashable {
    /// `System/Provider@Name`.
    var provider = ""
    /// `System/EventID`.
    var eventID = 0
    /// `System/TimeCreated@SystemTime`.
    var timeCreated: String?
    /// `System/Computer`.
    var computer: String?
    /// `System/Channel`.
    var channel: String?
    /// `System/Level` (1 critical, 2 error, 3 warning, 4 information).
    var level: Int?
    /// `System/Security@UserID` (a SID).
    var userSID: String?
    /// `EventData/Data[@Name]` by name.
    var data: [String: String] = [:]
    /// `EventData/Data` without a name, in order (MsiInstaller, some legacy providers).
    var unnamedData: [String] = []
    /// Leaf elements under `UserData` by local name (1102, LocalSessionManager).
    var userData: [String: String] = [:]
    /// `RenderingInfo/Message`, when the event was rendered with its message.
    var message: String?

    /// A named `EventData` value, else a `UserData` one; empty and `-` count as absent.
    subscript(_ name: String) -> String? {
        let value = data[name] ?? userData[name]
        guard let value, !value.isEmpty, value != "-" else { return nil }
        return value
    }

    /// Parses one `<Event>...</Event>` document; `nil` when it is not one.
    static func parse(_ text: String) -> WindowsEventXML? {
        var reader = XMLReader(bytes: Array(text.utf8))
        var event = WindowsEventXML()
        var stack: [String] = []
        var sawEventID = false
        var text = ""
        var dataName: String?
        while let token = reader.next() {
            switch token {
            case .open(let name, let attributes, let selfClosing):
                if stack.isEmpty, name != "Event" { return nil }
                event.take(name, attributes)
                if name == "Data" { dataName = attributes["Name"] }
                text = ""
                if selfClosing {
                    event.leaf(name, text: "", parent: stack.last, inUserData: stack.contains("UserData"), dataName: dataName, sawEventID: &sawEventID)
                } else {
                    stack.append(name)
                }
            case .text(let value):
                text += value
            case .close(let name):
                guard stack.last == name else { return nil }
                stack.removeLast()
                event.leaf(name, text: text, parent: stack.last, inUserData: stack.contains("UserData"), dataName: dataName, sawEventID: &sawEventID)
                text = ""
                if stack.isEmpty { return sawEventID ? event : nil }
            case .malformed:
                return nil
            }
        }
        return nil
    }

    private mutating func take(_ name: String, _ attributes: [String: String]) {
        switch name {
        case "Provider": provider = attributes["Name"] ?? provider
        case "TimeCreated": timeCreated = attributes["SystemTime"]
        case "Security": userSID = attributes["UserID"]
        default: break
        }
    }

    private mutating func leaf(_ name: String, text: String, parent: String?, inUserData: Bool, dataName: String?, sawEventID: inout Bool) {
        switch (parent, name) {
        case ("System", "EventID"):
            guard let id = Int(text.trimmingWhitespace) else { return }
            eventID = id
            sawEventID = true
        case ("System", "Computer"): computer = text
        case ("System", "Channel"): channel = text
        case ("System", "Level"): level = Int(text.trimmingWhitespace)
        case ("EventData", "Data"):
            if let dataName { data[dataName] = text } else { unnamedData.append(text) }
        case ("RenderingInfo", "Message"): message = text
        default:
            if inUserData { userData[name] = text }
        }
    }
}

extension String {
    /// Without leading and trailing spaces, tabs and line breaks.
    var trimmingWhitespace: String {
        String(drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }
}

/// A forward-only reader of XML tokens over UTF-8 bytes.
private struct XMLReader {
    enum Token {
        case open(String, [String: String], selfClosing: Bool)
        case close(String)
        case text(String)
        case malformed
    }

    let bytes: [UInt8]
    var index = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    mutating func next() -> Token? {
        guard index < bytes.count else { return nil }
        if bytes[index] != UInt8(ascii: "<") {
            let start = index
            while index < bytes.count, bytes[index] != UInt8(ascii: "<") { index += 1 }
            return .text(Self.decode(bytes[start..<index]))
        }
        if starts(with: "<!--") { return skip(past: "-->") }
        if starts(with: "<![CDATA[") {
            let start = index + 9
            guard let end = find("]]>", from: start) else { return .malformed }
            index = end + 3
            return .text(String(decoding: bytes[start..<end], as: UTF8.self))
        }
        if starts(with: "<?") || starts(with: "<!") { return skip(past: ">") }
        guard let end = find(">", from: index) else { return .malformed }
        var body = bytes[(index + 1)..<end]
        index = end + 1
        if body.first == UInt8(ascii: "/") {
            return .close(Self.localName(String(decoding: body.dropFirst(), as: UTF8.self).trimmingWhitespace))
        }
        let selfClosing = body.last == UInt8(ascii: "/")
        if selfClosing { body = body.dropLast() }
        let nameEnd = body.firstIndex { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") || $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") } ?? body.endIndex
        let name = Self.localName(String(decoding: body[..<nameEnd], as: UTF8.self))
        guard !name.isEmpty, let attributes = Self.attributes(body[nameEnd...]) else { return .malformed }
        return .open(name, attributes, selfClosing: selfClosing)
    }

    private mutating func skip(past terminator: String) -> Token? {
        guard let end = find(terminator, from: index + 1) else { return .malformed }
        index = end + terminator.utf8.count
        return .text("")
    }

    private func starts(with prefix: String) -> Bool {
        bytes[index...].starts(with: prefix.utf8)
    }

    private func find(_ needle: String, from start: Int) -> Int? {
        let pattern = Array(needle.utf8)
        guard let first = pattern.first, start < bytes.count else { return nil }
        var position = start
        while position + pattern.count <= bytes.count {
            if bytes[position] == first, bytes[position..<(position + pattern.count)].elementsEqual(pattern) { return position }
            position += 1
        }
        return nil
    }

    /// `a="1" b='2'`; `nil` when malformed.
    private static func attributes(_ text: ArraySlice<UInt8>) -> [String: String]? {
        var result: [String: String] = [:]
        var rest = text
        while true {
            rest = rest.drop { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") || $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") }
            guard !rest.isEmpty else { return result }
            guard let equals = rest.firstIndex(of: UInt8(ascii: "=")) else { return nil }
            let name = localName(String(decoding: rest[..<equals], as: UTF8.self).trimmingWhitespace)
            rest = rest[(equals + 1)...].drop { $0 == UInt8(ascii: " ") }
            guard let quote = rest.first, quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") else { return nil }
            rest = rest.dropFirst()
            guard let close = rest.firstIndex(of: quote) else { return nil }
            result[name] = decode(rest[..<close])
            rest = rest[(close + 1)...]
        }
    }

    /// `ns:Name` → `Name`.
    private static func localName(_ name: String) -> String {
        guard let colon = name.lastIndex(of: ":") else { return name }
        return String(name[name.index(after: colon)...])
    }

    /// Text with `&lt;` `&gt;` `&amp;` `&quot;` `&apos;` `&#N;` `&#xN;` replaced (unknown ones kept).
    private static func decode(_ bytes: ArraySlice<UInt8>) -> String {
        let text = String(decoding: bytes, as: UTF8.self)
        guard text.contains("&") else { return text }
        var out = ""
        var rest = text[...]
        while let amp = rest.firstIndex(of: "&") {
            out += rest[..<amp]
            rest = rest[amp...]
            guard let semicolon = rest.prefix(12).firstIndex(of: ";") else {
                out += "&"
                rest = rest.dropFirst()
                continue
            }
            let entity = rest[rest.index(after: rest.startIndex)..<semicolon]
            if let replacement = replacement(entity) {
                out += replacement
            } else {
                out += rest[...semicolon]
            }
            rest = rest[rest.index(after: semicolon)...]
        }
        return out + rest
    }

    private static func replacement(_ entity: Substring) -> String? {
        switch entity {
        case "lt": return "<"
        case "gt": return ">"
        case "amp": return "&"
        case "quot": return "\""
        case "apos": return "'"
        default:
            guard entity.hasPrefix("#") else { return nil }
            let number = entity.dropFirst()
            let value = number.hasPrefix("x") || number.hasPrefix("X") ? UInt32(number.dropFirst(), radix: 16) : UInt32(number)
            return value.flatMap(Unicode.Scalar.init).map { String(Character($0)) }
        }
    }
}

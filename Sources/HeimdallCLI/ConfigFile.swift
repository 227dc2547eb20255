#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HeimdallProtocol

/// A configuration file in a small subset of TOML: `[section]` headers, `key = value` lines
/// with strings (`"..."`), integers, booleans and arrays of strings, and `#` comments.
///
/// Every mistake is reported with the file, line and key, and keys the program does not
/// know are refused rather than silently ignored (a typo must not disable a setting).
public struct ConfigFile: Sendable {
    /// A value with the line it came from.
    public enum Value: Sendable, Hashable {
        case string(String)
        case integer(Int)
        case bool(Bool)
        case strings([String])
    }

    public let path: String
    private var entries: [String: (value: Value, line: Int)] = [:]

    /// Reads and parses `path`.
    public init(path: String) throws(ConfigError) {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw ConfigError(path: path, line: nil, key: nil, message: "cannot be read")
        }
        try self.init(path: path, text: text)
    }

    /// Parses `text` as the content of `path`.
    public init(path: String, text: String) throws(ConfigError) {
        self.path = path
        var section = ""
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let number = index + 1
            let line = Self.stripComment(String(rawLine)).trimmingCharacters(where: \.isWhitespace)
            if line.isEmpty { continue }
            if line.hasPrefix("[") {
                guard line.hasSuffix("]"), line.count > 2 else {
                    throw ConfigError(path: path, line: number, key: nil, message: "malformed section header")
                }
                section = String(line.dropFirst().dropLast()).trimmingCharacters(where: \.isWhitespace)
                continue
            }
            guard let equals = line.firstIndex(of: "=") else {
                throw ConfigError(path: path, line: number, key: nil, message: "expected `key = value`")
            }
            let name = line[..<equals].trimmingCharacters(where: \.isWhitespace)
            let key = section.isEmpty ? name : "\(section).\(name)"
            guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }) else {
                throw ConfigError(path: path, line: number, key: nil, message: "invalid key `\(name)`")
            }
            guard entries[key] == nil else {
                throw ConfigError(path: path, line: number, key: key, message: "is set twice")
            }
            let text = line[line.index(after: equals)...].trimmingCharacters(where: \.isWhitespace)
            guard let value = Self.parseValue(text) else {
                throw ConfigError(path: path, line: number, key: key, message: "has an unreadable value `\(text)`")
            }
            entries[key] = (value, number)
        }
    }

    /// Refuses keys outside `known` (dotted `section.key` names).
    public func checkKeys(_ known: Set<String>) throws(ConfigError) {
        for (key, entry) in entries.sorted(by: { $0.value.line < $1.value.line }) where !known.contains(key) {
            throw ConfigError(path: path, line: entry.line, key: key, message: "is not a known setting")
        }
    }

    public func string(_ key: String) throws(ConfigError) -> String? {
        guard let entry = entries[key] else { return nil }
        guard case .string(let value) = entry.value else { throw mismatch(key, entry.line, "a string") }
        return value
    }

    public func integer(_ key: String) throws(ConfigError) -> Int? {
        guard let entry = entries[key] else { return nil }
        guard case .integer(let value) = entry.value else { throw mismatch(key, entry.line, "an integer") }
        return value
    }

    public func bool(_ key: String) throws(ConfigError) -> Bool? {
        guard let entry = entries[key] else { return nil }
        guard case .bool(let value) = entry.value else { throw mismatch(key, entry.line, "true or false") }
        return value
    }

    public func strings(_ key: String) throws(ConfigError) -> [String]? {
        guard let entry = entries[key] else { return nil }
        switch entry.value {
        case .strings(let values): return values
        case .string(let value): return [value]
        default: throw mismatch(key, entry.line, "an array of strings")
        }
    }

    /// A value checked by `convert`; `nil` from it is reported as `expected`.
    public func value<T>(_ key: String, expected: String, _ convert: (Value) -> T?) throws(ConfigError) -> T? {
        guard let entry = entries[key] else { return nil }
        guard let converted = convert(entry.value) else { throw mismatch(key, entry.line, expected) }
        return converted
    }

    private func mismatch(_ key: String, _ line: Int, _ expected: String) -> ConfigError {
        ConfigError(path: path, line: line, key: key, message: "must be \(expected)")
    }

    private static func stripComment(_ line: String) -> String {
        var inString = false
        var previous: Character = " "
        for (offset, character) in line.enumerated() {
            if character == "\"" && previous != "\\" { inString.toggle() }
            if character == "#" && !inString { return String(line.prefix(offset)) }
            previous = character
        }
        return line
    }

    private static func parseValue(_ text: String) -> Value? {
        if text == "true" { return .bool(true) }
        if text == "false" { return .bool(false) }
        if let integer = Int(text.replacing("_", with: "")) { return .integer(integer) }
        if let string = parseString(text) { return .string(string) }
        if text.hasPrefix("[") && text.hasSuffix("]") {
            let inner = text.dropFirst().dropLast().trimmingCharacters(where: \.isWhitespace)
            if inner.isEmpty { return .strings([]) }
            var values: [String] = []
            for item in inner.split(separator: ",") {
                let trimmed = item.trimmingCharacters(where: \.isWhitespace)
                if trimmed.isEmpty { continue }
                guard let value = parseString(trimmed) else { return nil }
                values.append(value)
            }
            return .strings(values)
        }
        return nil
    }

    private static func parseString(_ text: String) -> String? {
        guard text.count >= 2, text.hasPrefix("\""), text.hasSuffix("\"") else { return nil }
        var result = ""
        var escaping = false
        for character in text.dropFirst().dropLast() {
            if escaping {
                switch character {
                case "n": result.append("\n")
                case "t": result.append("\t")
                case "\\", "\"": result.append(character)
                default: return nil
                }
                escaping = false
            } else if character == "\\" {
                escaping = true
            } else if character == "\"" {
                return nil
            } else {
                result.append(character)
            }
        }
        return escaping ? nil : result
    }
}

/// A configuration mistake, naming the file, line and key.
public struct ConfigError: Error, Sendable, Hashable, CustomStringConvertible {
    public var path: String
    public var line: Int?
    public var key: String?
    public var message: String

    public init(path: String, line: Int?, key: String?, message: String) {
        self.path = path
        self.line = line
        self.key = key
        self.message = message
    }

    public var description: String {
        let location = line.map { "\(path):\($0)" } ?? path
        if let key { return "\(location): setting `\(key)` \(message)" }
        return "\(location): \(message)"
    }
}

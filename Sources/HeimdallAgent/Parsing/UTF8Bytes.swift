/// Byte-level scanning of ASCII structure in text (spaces, colons, brackets, digits) on the
/// UTF-8 storage, without `Character` (grapheme) work: an ASCII byte is always a whole scalar
/// in UTF-8, so the indices found are valid boundaries for slicing. Pure: any thread may call it.
extension Substring {
    /// The index of the first `byte`, or `nil`.
    func firstIndex(ofByte byte: UInt8) -> String.Index? {
        let offset = utf8.withContiguousStorageIfAvailable { $0.firstIndex(of: byte) }
        switch offset {
        case .some(let found?): return utf8.index(startIndex, offsetBy: found)
        case .some(nil): return nil
        case nil: return utf8.firstIndex(of: byte)
        }
    }

    /// The index of the last `byte`, or `nil`.
    func lastIndex(ofByte byte: UInt8) -> String.Index? {
        utf8.lastIndex(of: byte)
    }

    /// The text after any leading `byte`s (spaces, usually).
    func dropping(leading byte: UInt8) -> Substring {
        var index = startIndex
        while index < endIndex, utf8[index] == byte { index = utf8.index(after: index) }
        return self[index...]
    }

    /// The text before the first `byte` (all of it when there is none).
    func prefix(upToByte byte: UInt8) -> Substring {
        self[..<(firstIndex(ofByte: byte) ?? endIndex)]
    }

    /// Whether the UTF-8 starts with `prefix`'s.
    func hasUTF8Prefix(_ prefix: String) -> Bool {
        let pattern = prefix.utf8
        let found = utf8.withContiguousStorageIfAvailable { text in
            pattern.withContiguousStorageIfAvailable { text.count >= $0.count && UnsafeBufferPointer(rebasing: text.prefix($0.count)).elementsEqual($0) }
        }
        return (found ?? nil) ?? utf8.starts(with: pattern)
    }

    /// The leading ASCII digits as a number (`nil` when there are none or too many).
    var leadingInteger: Int? {
        var value = 0
        var digits = 0
        for byte in utf8 {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { break }
            guard digits < 18 else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
            digits += 1
        }
        return digits > 0 ? value : nil
    }
}

/// The words of a text separated by runs of spaces (what `split(separator: " ")` gives),
/// found byte-wise and one at a time, without an array. A plain value.
struct SpaceSeparated: IteratorProtocol, Sequence {
    private var rest: Substring

    /// The words of `text`.
    init(_ text: Substring) {
        rest = text
    }

    /// The next word, or `nil` after the last.
    mutating func next() -> Substring? {
        rest = rest.dropping(leading: UInt8(ascii: " "))
        guard !rest.isEmpty else { return nil }
        let word = rest.prefix(upToByte: UInt8(ascii: " "))
        rest = rest[word.endIndex...]
        return word
    }
}

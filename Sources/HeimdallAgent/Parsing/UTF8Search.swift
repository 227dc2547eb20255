extension StringProtocol where UTF8View: BidirectionalCollection {
    /// The first (or, `backwards`, the last) occurrence of `needle`, compared byte by byte in
    /// UTF-8. The parsers' literals are ASCII, so this finds what Foundation's `range(of:)`
    /// finds, without bridging to NSString (which dominated the parsers' profile).
    func utf8Range(of needle: String, backwards: Bool = false) -> Range<String.Index>? {
        let pattern = needle.utf8
        let found = utf8.withContiguousStorageIfAvailable { haystack in
            pattern.withContiguousStorageIfAvailable { UTF8Search.offset(of: $0, in: haystack, backwards: backwards) } ?? nil
        } ?? Array(utf8).withUnsafeBufferPointer { haystack in
            Array(pattern).withUnsafeBufferPointer { UTF8Search.offset(of: $0, in: haystack, backwards: backwards) }
        }
        guard let found else { return nil }
        let lower = utf8.index(startIndex, offsetBy: found)
        return lower..<utf8.index(lower, offsetBy: pattern.count)
    }

    /// Whether `needle` occurs, byte by byte in UTF-8.
    func utf8Contains(_ needle: String) -> Bool {
        utf8Range(of: needle) != nil
    }
}

/// Byte-string search. Pure: any thread may call it.
enum UTF8Search {
    /// The offset of the first (or last) occurrence of `pattern` in `haystack`, or `nil`.
    static func offset(of pattern: UnsafeBufferPointer<UInt8>, in haystack: UnsafeBufferPointer<UInt8>, backwards: Bool) -> Int? {
        guard let first = pattern.first, haystack.count >= pattern.count else { return nil }
        let last = haystack.count - pattern.count
        var index = backwards ? last : 0
        while index >= 0, index <= last {
            if haystack[index] == first, matches(pattern, in: haystack, at: index) { return index }
            index += backwards ? -1 : 1
        }
        return nil
    }

    private static func matches(_ pattern: UnsafeBufferPointer<UInt8>, in haystack: UnsafeBufferPointer<UInt8>, at start: Int) -> Bool {
        for offset in 1..<pattern.count where haystack[start + offset] != pattern[offset] { return false }
        return true
    }
}

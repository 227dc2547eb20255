extension StringProtocol where UTF8View: BidirectionalCollection {
    /// The first (or, `backwards`, the last) occurrence of `needle`, compared byte by byte in
    /// UTF-8. The parsers' literals are ASCII, so this finds what Foundation's `range(of:)`
    /// finds, without bridging to NSString (which dominated the parsers' profile).
    func utf8Range(of needle: String, backwards: Bool = false) -> Range<String.Index>? {
        let haystack = utf8
        let pattern = Array(needle.utf8)
        guard let first = pattern.first, haystack.count >= pattern.count else { return nil }
        let last = haystack.index(haystack.endIndex, offsetBy: -pattern.count)
        var index = backwards ? last : haystack.startIndex
        while true {
            if haystack[index] == first, haystack[index...].starts(with: pattern) {
                return index..<haystack.index(index, offsetBy: pattern.count)
            }
            if backwards {
                guard index > haystack.startIndex else { return nil }
                index = haystack.index(before: index)
            } else {
                guard index < last else { return nil }
                index = haystack.index(after: index)
            }
        }
    }

    /// Whether `needle` occurs, byte by byte in UTF-8.
    func utf8Contains(_ needle: String) -> Bool {
        utf8Range(of: needle) != nil
    }
}

extension StringProtocol {
    /// The text without the leading and trailing characters for which `isTrimmed` is true,
    /// e.g. `line.trimmingCharacters(where: \.isWhitespace)`.
    ///
    /// The standard-library counterpart of Foundation's `trimmingCharacters(in:)`, which
    /// `FoundationEssentials` lacks (the agent links Essentials only, without ICU). Note that
    /// `Character.isWhitespace` also matches newlines and `\r\n`. Pure: any thread.
    public func trimmingCharacters(where isTrimmed: (Character) -> Bool) -> String {
        guard let first = firstIndex(where: { !isTrimmed($0) }), let last = lastIndex(where: { !isTrimmed($0) }) else { return "" }
        return String(self[first...last])
    }
}

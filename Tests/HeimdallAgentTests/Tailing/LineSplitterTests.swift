import Testing
@testable import HeimdallAgent

@Suite struct LineSplitterTests {
    @Test func holdsPartialLineUntilNewline() {
        var splitter = LineSplitter(offset: 10, maxLineBytes: 100)
        var result = splitter.feed(Array("one\ntw".utf8)[...], maxLines: 10)
        #expect(result.lines.map(\.text) == ["one"])
        #expect(result.lines.first?.start == 10 && result.lines.first?.end == 14)
        #expect(result.consumed == 6)
        result = splitter.feed(Array("o\n".utf8)[...], maxLines: 10)
        #expect(result.lines.map(\.text) == ["two"])
        #expect(result.lines.first?.start == 14 && result.lines.first?.end == 18)
    }

    @Test func cutsOverlongLinesIntoBoundedPieces() {
        var splitter = LineSplitter(offset: 0, maxLineBytes: 4)
        let result = splitter.feed(Array("abcdefghij\n".utf8)[...], maxLines: 10)
        #expect(result.lines.map(\.text) == ["abcd", "efgh", "ij"])
        #expect(result.lines.map(\.ending) == [.cut, .cut, .newline])
        #expect(result.lines.map(\.end) == [4, 8, 11])
        #expect(splitter.pending.isEmpty)
    }

    @Test func lineOfExactlyMaxLengthEndsAtItsNewline() {
        var splitter = LineSplitter(offset: 0, maxLineBytes: 4)
        let result = splitter.feed(Array("abcd\nxy\n".utf8)[...], maxLines: 10)
        #expect(result.lines.map(\.text) == ["abcd", "xy"])
        #expect(result.lines.map(\.ending) == [.newline, .newline])
    }

    @Test func stopsAtLineBudgetAndReportsConsumedBytes() {
        var splitter = LineSplitter(offset: 0, maxLineBytes: 100)
        let result = splitter.feed(Array("a\nb\nc\n".utf8)[...], maxLines: 2)
        #expect(result.lines.map(\.text) == ["a", "b"])
        #expect(result.consumed == 4)
        #expect(splitter.nextOffset == 4)
    }

    @Test func stripsCarriageReturnAndReplacesInvalidUTF8() {
        var splitter = LineSplitter(offset: 0, maxLineBytes: 100)
        let bytes: [UInt8] = Array("ok\r\n".utf8) + [0x66, 0xFF, 0xFE, 0x00, 0x67, 0x0A]
        let result = splitter.feed(bytes[...], maxLines: 10)
        #expect(result.lines.map(\.text) == ["ok", "f\u{FFFD}\u{FFFD}\u{0}g"])
    }

    @Test func flushEmitsHeldBytesOnce() {
        var splitter = LineSplitter(offset: 0, maxLineBytes: 100)
        _ = splitter.feed(Array("tail".utf8)[...], maxLines: 10)
        let held = splitter.flush()
        #expect(held?.text == "tail" && held?.ending == .endOfFile && held?.end == 4)
        #expect(splitter.flush() == nil)
    }
}

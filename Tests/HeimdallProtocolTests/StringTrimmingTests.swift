import Testing
import HeimdallProtocol

@Suite struct StringTrimmingTests {
    @Test func trimsWhitespaceAtBothEnds() {
        #expect("  a b \t".trimmingCharacters(where: \.isWhitespace) == "a b")
        #expect("\r\nhdm1.x\n".trimmingCharacters(where: \.isWhitespace) == "hdm1.x")
        #expect("abc".trimmingCharacters(where: \.isWhitespace) == "abc")
    }

    @Test func trimsAChosenSetAndSubstrings() {
        let line = "x [UFW BLOCK] y"
        #expect(line.dropFirst(2).prefix(11).trimmingCharacters(where: { "[] :".contains($0) }) == "UFW BLOCK")
        #expect("'root'".trimmingCharacters(where: { $0 == "'" }) == "root")
    }

    @Test func allTrimmedOrEmptyGivesEmpty() {
        #expect("   ".trimmingCharacters(where: \.isWhitespace) == "")
        #expect("".trimmingCharacters(where: \.isWhitespace) == "")
    }
}

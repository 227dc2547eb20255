import HeimdallCLI
import Testing

@Suite struct ByteSizeParserTests {
    @Test(arguments: [
        ("1048576", 1_048_576), ("256MiB", 268_435_456), ("256M", 268_435_456), ("256mb", 268_435_456), ("1GiB", 1 << 30),
        ("64k", 65_536), ("2T", 2 << 40), ("512B", 512), (" 8MiB ", 8 << 20),
    ])
    func accepts(_ text: String, _ bytes: Int) {
        #expect(ByteSizeParser.bytes(text) == bytes)
    }

    @Test(arguments: ["", "0", "0M", "-1M", "1.5G", "MiB", "10X", "1 G", "99999999999999999T", "b"])
    func refuses(_ text: String) {
        #expect(ByteSizeParser.bytes(text) == nil)
    }
}

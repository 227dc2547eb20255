import NIOCore
import NIOEmbedded
import NIOTestUtils
import Testing
@testable import HeimdallProtocol

@Suite struct FrameDecoderTests {
    func frame(_ text: String) -> ByteBuffer {
        var buffer = ByteBuffer()
        FrameEncoder.write(payload: Array(text.utf8), into: &buffer)
        return buffer
    }

    @Test func decodesFramesWholeByteByByteAndInChunks() throws {
        let inputs = [#"{"type":"bye"}"#, #"{"type":"hello","protocol":1}"#, "{}"].map { (frame($0), [ByteBuffer(string: $0)]) }
        try ByteToMessageDecoderVerifier.verifyDecoder(inputOutputPairs: inputs) {
            FrameDecoder(maximumFrameLength: 1024)
        }
    }

    @Test func refusesAHugeLengthWithoutWaitingForItsBytes() {
        var buffer = ByteBuffer()
        buffer.writeInteger(UInt32(2 * 1024 * 1024 * 1024 - 1))
        #expect(throws: ProtocolError(.frameTooLarge, "frame length 2147483647 exceeds max_frame 1048576")) {
            _ = try FrameDecoder.nextFrame(from: &buffer, maximumFrameLength: 1_048_576)
        }
    }

    @Test(arguments: [UInt32(0), 1])
    func refusesTooShortFrames(length: UInt32) {
        var buffer = ByteBuffer()
        buffer.writeInteger(length)
        #expect(throws: ProtocolError.self) { _ = try FrameDecoder.nextFrame(from: &buffer, maximumFrameLength: 1024) }
    }

    @Test func acceptsExactlyMaxFrame() throws {
        var buffer = ByteBuffer()
        FrameEncoder.write(payload: [UInt8](repeating: 0x20, count: 64), into: &buffer)
        let payload = try FrameDecoder.nextFrame(from: &buffer, maximumFrameLength: 64)
        #expect(payload?.readableBytes == 64)
    }

    @Test func aChannelSeesTheErrorAfterTheGoodFrames() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(FrameDecoder(maximumFrameLength: 16)))
        var input = frame(#"{"type":"bye"}"#)
        input.writeInteger(UInt32(17))
        #expect(throws: ProtocolError.self) { try channel.writeInbound(input) }
        #expect(try channel.readInbound(as: ByteBuffer.self) == ByteBuffer(string: #"{"type":"bye"}"#))
        _ = try? channel.finish()
    }
}

import NIOCore

/// Splits a byte stream into frame payloads: a big-endian `UInt32` length, then that many
/// bytes (protocol.md, Framing).
///
/// The length is checked as soon as its four bytes arrive, so a peer that announces 2 GiB
/// is refused before anything is buffered for it: the decoder never holds more than
/// `maximumFrameLength` + 4 bytes of one frame. Payloads are zero-copy slices of the
/// inbound buffer. Used on the channel's event loop only.
public struct FrameDecoder: ByteToMessageDecoder {
    public typealias InboundOut = ByteBuffer

    /// The largest payload accepted (`max_frame`).
    public let maximumFrameLength: Int

    public init(maximumFrameLength: Int) {
        self.maximumFrameLength = maximumFrameLength
    }

    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let frame = try Self.nextFrame(from: &buffer, maximumFrameLength: maximumFrameLength) else {
            return .needMoreData
        }
        context.fireChannelRead(Self.wrapInboundOut(frame))
        return .continue
    }

    public mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        try decode(context: context, buffer: &buffer)
    }

    /// Removes one complete frame's payload from `buffer`, or returns `nil` (consuming
    /// nothing) while the frame is incomplete. Throws when the announced length is illegal.
    public static func nextFrame(from buffer: inout ByteBuffer, maximumFrameLength: Int) throws(ProtocolError) -> ByteBuffer? {
        guard let length = buffer.getInteger(at: buffer.readerIndex, as: UInt32.self) else { return nil }
        guard length >= 2 else {
            throw ProtocolError(.invalidFrame, "frame length \(length) is below the minimum of 2")
        }
        guard length <= maximumFrameLength else {
            throw ProtocolError(.frameTooLarge, "frame length \(length) exceeds max_frame \(maximumFrameLength)")
        }
        guard buffer.readableBytes >= 4 + Int(length) else { return nil }
        buffer.moveReaderIndex(forwardBy: 4)
        return buffer.readSlice(length: Int(length))
    }
}

/// Writes one frame: the payload's length as a big-endian `UInt32`, then the payload.
public enum FrameEncoder {
    /// Appends `payload` to `buffer` as one frame.
    public static func write(payload: some Collection<UInt8>, into buffer: inout ByteBuffer) {
        buffer.writeInteger(UInt32(payload.count))
        buffer.writeBytes(payload)
    }
}

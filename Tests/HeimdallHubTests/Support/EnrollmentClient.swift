import Foundation
import HeimdallProtocol
import HeimdallTLS
import NIOCore
import NIOPosix

/// A raw enrollment client for tests: TLS pinning the CA by fingerprint, one frame out as
/// given, the hub's reply back (nil when the connection closed without one).
enum EnrollmentClient {
    static func send(_ json: String, port: Int, fingerprint: String, alpn: [String] = [EnrollmentProtocol.alpn]) async throws -> EnrollmentReply? {
        let tls = try TLSContext.client(TLSClientConfiguration(
            trustRoots: .pinnedCertificateAuthority(fingerprintSHA256: fingerprint), serverName: "127.0.0.1", applicationProtocols: alpn
        ))
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandlers([
                        TLSHandler(context: tls),
                        ByteToMessageHandler(FrameDecoder(maximumFrameLength: 1 << 20)),
                    ])
                    return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            var buffer = ByteBuffer()
            FrameEncoder.write(payload: Array(json.utf8), into: &buffer)
            try await outbound.write(buffer)
            var frames = inbound.makeAsyncIterator()
            guard let payload = try await frames.next() else { return nil }
            return try EnrollmentReply.decode(payload)
        }
    }

    static func enrollFrame(token: String, csr: String) -> String {
        EnrollRequest(token: token, csr: csr).jsonValue.jsonText()
    }
}

import Foundation
import HeimdallProtocol
import HeimdallTLS
import HeimdallTestSupport
import NIOCore
import NIOPosix

/// A raw protocol client for tests: real TLS with a host certificate, frames written as
/// given (so tests can send anything), frames read back as ``HubMessage``.
final class TestAgentConnection: Sendable {
    private let channel: any Channel
    private let inbound: AsyncThrowingStream<ByteBuffer, any Error>
    private let outbound: AsyncStream<ByteBuffer>.Continuation

    private init(channel: any Channel, inbound: AsyncThrowingStream<ByteBuffer, any Error>, outbound: AsyncStream<ByteBuffer>.Continuation) {
        self.channel = channel
        self.inbound = inbound
        self.outbound = outbound
    }

    static func connect(
        port: Int, bundle: TestPKI.Bundle?, caPath: String, alpn: [String] = ["heimdall/1"], minimum: TLSVersion = .v1_3,
        maximum: TLSVersion? = nil, from source: String? = nil
    ) async throws -> TestAgentConnection {
        try await connect(
            port: port, certificatePath: bundle?.certificatePath, keyPath: bundle?.keyPath, caPath: caPath, alpn: alpn,
            minimum: minimum, maximum: maximum, from: source
        )
    }

    /// Connects presenting the certificate and key at these paths (none when nil).
    static func connect(
        port: Int, certificatePath: String?, keyPath: String?, caPath: String, alpn: [String] = ["heimdall/1"],
        minimum: TLSVersion = .v1_3, maximum: TLSVersion? = nil, from source: String? = nil
    ) async throws -> TestAgentConnection {
        let tls = try TLSContext.client(TLSClientConfiguration(
            certificateChainPath: certificatePath, privateKeyPath: keyPath, trustRootsPath: caPath,
            serverName: "localhost", applicationProtocols: alpn, minimumVersion: minimum, maximumVersion: maximum
        ))
        var bootstrap = ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
        if let source { bootstrap = bootstrap.bind(to: try SocketAddress(ipAddress: source, port: 0)) }
        let channel = try await bootstrap
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandlers([
                        TLSHandler(context: tls),
                        ByteToMessageHandler(FrameDecoder(maximumFrameLength: 1 << 24)),
                    ])
                    return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        let (received, receiving) = AsyncThrowingStream.makeStream(of: ByteBuffer.self)
        let (toSend, sending) = AsyncStream.makeStream(of: ByteBuffer.self)
        Task {
            do {
                try await channel.executeThenClose { inbound, outbound in
                    try await withThrowingTaskGroup(of: Void.self) { tasks in
                        tasks.addTask { for await buffer in toSend { try await outbound.write(buffer) } }
                        tasks.addTask { for try await payload in inbound { receiving.yield(payload) } }
                        defer { tasks.cancelAll() }
                        try await tasks.next()
                    }
                }
                receiving.finish()
            } catch {
                receiving.finish(throwing: error)
            }
        }
        return TestAgentConnection(channel: channel.channel, inbound: received, outbound: sending)
    }

    /// Sends one frame holding `json`.
    func send(_ json: String) async throws {
        var buffer = ByteBuffer()
        FrameEncoder.write(payload: Array(json.utf8), into: &buffer)
        outbound.yield(buffer)
    }

    /// Sends raw bytes (for malformed frames).
    func sendRaw(_ bytes: [UInt8]) async throws {
        outbound.yield(ByteBuffer(bytes: bytes))
    }

    /// The next frame from the hub, `nil` when the connection closed; throws on timeout.
    func receive(timeout: Duration = .seconds(5)) async throws -> HubMessage? {
        let stream = inbound
        return try await withThrowingTaskGroup(of: HubMessage?.self) { group in
            group.addTask {
                var iterator = stream.makeAsyncIterator()
                guard let payload = try await iterator.next() else { return nil }
                return try HubMessage.decode(payload)
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                throw HarnessError("no frame within \(timeout)")
            }
            defer { group.cancelAll() }
            return try await group.next() ?? nil
        }
    }

    /// Reads until the connection closes; returns the frames seen (errors end it too).
    func receiveUntilClosed(timeout: Duration = .seconds(5)) async throws -> [HubMessage] {
        var messages: [HubMessage] = []
        do {
            while let message = try await receive(timeout: timeout) { messages.append(message) }
        } catch is HarnessError {
            throw HarnessError("connection still open after \(timeout); got \(messages)")
        } catch {
            // A TLS or channel error also ends the connection.
        }
        return messages
    }

    func close() async {
        outbound.finish()
        try? await channel.close()
    }
}

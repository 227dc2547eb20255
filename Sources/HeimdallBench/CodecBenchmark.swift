import Foundation
import HeimdallProtocol
import HeimdallStore
import NIOCore

/// Micro-benchmarks of the hot paths a frame takes through the hub before the database:
/// frame splitting, JSON parsing, message decoding with per-event validation, the JSON
/// writer, and the batch encoder (the COPY text the store sends for a frame's events). Each runs its body repeatedly for about `duration` and reports throughput.
public enum CodecBenchmark {
    /// One measured path.
    public struct Measurement: Sendable {
        public var name: String
        /// The key in the `BENCH` line.
        public var key: String
        /// Operations per second (an operation is one frame of `eventsPerFrame` events).
        public var operationsPerSecond: Double
        public var eventsPerSecond: Double
        public var megabytesPerSecond: Double
    }

    /// Runs every path on frames of `eventsPerFrame` generated events.
    public static func run(eventsPerFrame: Int, duration: Duration) -> [Measurement] {
        let payload = EventFactory(run: "c0dec000").framePayload(session: 1, sequenceNumber: 1, first: 0, count: eventsPerFrame)
        var stream = ByteBuffer()
        for _ in 0..<16 { FrameEncoder.write(payload: payload, into: &stream) }
        let buffer = ByteBuffer(bytes: payload)
        let parsed = (try? JSONParser.parse(payload)) ?? .null
        let bytes = Double(payload.count)
        let batch = Self.batch(decoding: buffer)
        func measure(_ name: String, key: String, framesPerOperation: Int = 1, _ body: () -> Void) -> Measurement {
            let clock = ContinuousClock()
            let start = clock.now
            var operations = 0
            while clock.now - start < duration {
                body()
                operations += 1
            }
            let seconds = BaselineRunner.seconds(clock.now - start)
            let frames = Double(operations * framesPerOperation) / seconds
            return Measurement(
                name: name, key: key, operationsPerSecond: frames, eventsPerSecond: frames * Double(eventsPerFrame),
                megabytesPerSecond: frames * bytes / 1_048_576
            )
        }
        return [
            measure("frame decoder", key: "frame_decoder", framesPerOperation: 16) {
                var input = stream
                while let frame = try? FrameDecoder.nextFrame(from: &input, maximumFrameLength: 1 << 24) { blackHole(frame.readableBytes) }
            },
            measure("JSON parse", key: "json_parse") { blackHole((try? JSONParser.parse(payload)) != nil) },
            measure("decode + validate events", key: "decode_validate") { blackHole((try? AgentMessage.decode(buffer)) != nil) },
            measure("JSON write", key: "json_write") { blackHole(JSONWriter.bytes(parsed).count) },
            measure("COPY encode (batch)", key: "copy_encode") { blackHole(EventWriter.copyText(for: [batch]).count) },
        ]
    }

    /// The frame's events as the hub hands them to the store.
    private static func batch(decoding buffer: ByteBuffer) -> IngestBatch {
        var events: [Event] = []
        if case .events(let decoded)? = try? AgentMessage.decode(buffer) { events = decoded.events }
        return IngestBatch(
            hostID: "bench-c0dec000-1", sessionID: UUID(), certificateSerial: "0A1B2C3D", certificateFingerprint: String(repeating: "ab", count: 32),
            receivedAt: Date(), payload: .events(events)
        )
    }

    /// The human summary and the `BENCH` line.
    public static func report(_ measurements: [Measurement], eventsPerFrame: Int) -> String {
        var lines = measurements.map { measurement in
            measurement.name.padding(toLength: 26, withPad: " ", startingAt: 0)
                + String(format: "%12.0f frames/s %14.0f events/s %10.1f MiB/s", measurement.operationsPerSecond, measurement.eventsPerSecond, measurement.megabytesPerSecond)
        }
        var values: [String: JSONValue] = ["events_per_frame": .number(Double(eventsPerFrame))]
        for measurement in measurements {
            values["\(measurement.key)_events_per_s"] = .rounded(measurement.eventsPerSecond, 0)
        }
        lines.append(BenchSummary(mode: "codec", values: values).line)
        return lines.joined(separator: "\n")
    }
}

/// Keeps the optimizer from removing a measured computation.
@inline(never)
func blackHole<T>(_ value: T) {
    withExtendedLifetime(value) {}
}

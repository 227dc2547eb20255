import NIOCore
import Testing
@testable import HeimdallProtocol

/// Bounded, seeded random inputs: the parser and the frame path must refuse or accept,
/// never crash, and whatever they accept must survive a write/parse round trip.
@Suite struct JSONFuzzTests {
    /// A small deterministic generator (SplitMix64), so failures reproduce.
    struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let seed = #"{"type":"events","seq":1,"events":[{"id":"00112233445566778899aabbccddeeff","ts":"2026-11-20T10:15:02Z","category":"auth","severity":"info","source":"linux.auth","message":"m \u00e9 \"q\"","fields":{"a":[1,2.5,-3e2,true,null],"b":{}}}]}"#

    func checkRoundTrip(_ bytes: [UInt8]) {
        guard let value = try? JSONParser.parse(bytes) else { return }
        #expect((try? JSONParser.parse(JSONWriter.bytes(value))) == value)
    }

    @Test func randomBytesNeverCrash() {
        var generator = SeededGenerator(state: 42)
        let alphabet = Array(#"{}[]",:0123456789.eE+-truefalsn\ u"#.utf8) + [0x00, 0x1f, 0x7f, 0xc3, 0xa9, 0xff]
        for _ in 0..<20_000 {
            let length = Int.random(in: 0..<24, using: &generator)
            let bytes = (0..<length).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] }
            checkRoundTrip(bytes)
            _ = try? AgentMessage.decode(ByteBuffer(bytes: bytes))
        }
    }

    @Test func mutatedFramesAreRefusedOrDecodedNeverCrash() {
        var generator = SeededGenerator(state: 7)
        let valid = Array(Self.seed.utf8)
        for _ in 0..<5_000 {
            var bytes = valid
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                let position = Int.random(in: 0..<bytes.count, using: &generator)
                switch Int.random(in: 0..<3, using: &generator) {
                case 0: bytes[position] = UInt8.random(in: 0...255, using: &generator)
                case 1: bytes.remove(at: position)
                default: bytes.insert(UInt8.random(in: 0...255, using: &generator), at: position)
                }
                if bytes.isEmpty { break }
            }
            checkRoundTrip(bytes)
            checkEventsDecoding(bytes)
        }
    }

    /// Event frames of other shapes: members in another order, a repeated key, an element
    /// that is not an object, invalid events among valid ones.
    static let eventSeeds = [
        #"{"events":[{"ts":"2026-11-20T10:15:02.5+01:00","id":"00112233445566778899aabbccddeeff","severity":"high","category":"dns","source":"pihole","message":"x","raw":null,"fields":null,"extra":[{}]},7,{"id":"zz"}],"seq":3,"type":"events"}"#,
        #"{"type":"events","seq":0,"events":[{"id":"0011223344556677","id":"8899aabbccddeeff","ts":"2026-11-20T10:15:02Z","category":"auth","severity":"low","source":"a","message":"","raw":"r"}],"events":[]}"#,
    ]

    @Test func mutatedEventFramesDecodeLikeTheValueTree() {
        let first = try? AgentMessage.decode(ByteBuffer(bytes: Array(Self.eventSeeds[0].utf8)))
        guard case .events(let batch)? = first else { Issue.record("the first seed did not decode: \(String(describing: first))"); return }
        #expect(batch.sequenceNumber == 3 && batch.events.map(\.source) == ["pihole"])
        #expect(batch.rejected == [EventRejection(index: 1, reason: "event is not an object"), EventRejection(index: 2, reason: "invalid id")])
        var generator = SeededGenerator(state: 11)
        for seed in Self.eventSeeds.map({ Array($0.utf8) }) + [Array(Self.seed.utf8)] {
            checkEventsDecoding(seed)
            for _ in 0..<3_000 {
                var bytes = seed
                let position = Int.random(in: 0..<bytes.count, using: &generator)
                switch Int.random(in: 0..<3, using: &generator) {
                case 0: bytes[position] = Array(#"{}[]",:0a"#.utf8).randomElement(using: &generator) ?? 0x20
                case 1: bytes.remove(at: position)
                default: bytes.insert(UInt8.random(in: 0x20...0x7e, using: &generator), at: position)
                }
                checkEventsDecoding(bytes)
            }
        }
    }

    /// `AgentMessage.decode` (events parsed straight from the bytes) must agree with parsing
    /// the whole value tree and validating each event of it.
    func checkEventsDecoding(_ bytes: [UInt8]) {
        let decoded = try? AgentMessage.decode(ByteBuffer(bytes: bytes))
        if case .events? = decoded {
            #expect(decoded == Self.eventsFromTree(bytes), "\(String(decoding: bytes, as: UTF8.self))")
        } else {
            #expect(Self.eventsFromTree(bytes) == nil, "\(String(decoding: bytes, as: UTF8.self))")
        }
    }

    static func eventsFromTree(_ bytes: [UInt8]) -> AgentMessage? {
        guard let members = (try? JSONParser.parse(bytes))?.objectValue, members["type"]?.stringValue == "events",
              let seq = members["seq"]?.intValue, seq >= 0, let wireEvents = members["events"]?.arrayValue
        else { return nil }
        var batch = EventBatch(sequenceNumber: UInt64(seq), events: [])
        for (index, wireEvent) in wireEvents.enumerated() {
            switch EventValidator.validate(wireEvent) {
            case .success(let event): batch.events.append(event)
            case .failure(let invalid): batch.rejected.append(EventRejection(index: index, reason: invalid.reason))
            }
        }
        return .events(batch)
    }

    @Test func arbitraryChunkingOfAFrameStreamYieldsTheSameFrames() throws {
        var generator = SeededGenerator(state: 99)
        var stream = ByteBuffer()
        for _ in 0..<50 { FrameEncoder.write(payload: Array(Self.seed.utf8), into: &stream) }
        for _ in 0..<50 {
            var pending = ByteBuffer()
            var remaining = stream
            var frames = 0
            while remaining.readableBytes > 0 {
                var chunk = remaining.readSlice(length: min(remaining.readableBytes, Int.random(in: 1...300, using: &generator))) ?? ByteBuffer()
                pending.writeBuffer(&chunk)
                while let payload = try FrameDecoder.nextFrame(from: &pending, maximumFrameLength: 4096) {
                    #expect(payload == ByteBuffer(string: Self.seed))
                    frames += 1
                }
                pending.discardReadBytes()
            }
            #expect(frames == 50)
        }
    }
}

import Foundation
import HeimdallProtocol
import Testing
@testable import HeimdallAgent

/// The files and the journal read as one source, as `heimdall-agent run --journald` does:
/// both progress marks persist, and a restart repeats nothing acknowledged.
@Suite(.serialized) struct AgentSourcesTests {
    private func configuration(_ fake: FakeJournalctl, log: String, journald: Bool) -> AgentConfiguration {
        var configuration = AgentConfiguration(
            hubHost: "127.0.0.1", hubPort: 1, certificatePath: "", privateKeyPath: "", caPath: "",
            stateDirectory: fake.stateDirectory, tailPaths: [log]
        )
        configuration.journald = journald ? fake.settings : nil
        return configuration
    }

    private func drain(_ source: AgentEventSource, count: Int) async throws -> [(events: [Event], mark: AgentEventSource.Mark)] {
        var batches: [(events: [Event], mark: AgentEventSource.Mark)] = []
        let deadline = ContinuousClock.now + .seconds(5)
        while batches.reduce(0, { $0 + $1.events.count }) < count, ContinuousClock.now < deadline {
            if let batch = try source.read(limit: 2) { batches.append(batch) } else { try await Task.sleep(for: .milliseconds(20)) }
        }
        return batches
    }

    @Test func filesAndJournalTogetherResumeWithoutRepeats() async throws {
        let fake = try FakeJournalctl()
        let log = fake.directory.file("auth.log")
        try Files.write(log, "Nov 21 07:00:01 web1 sshd[1]: Invalid user x from 203.0.113.1 port 2\nNov 21 07:00:02 web1 su[2]: (to root) bob on pts/1\n")
        do {
            let source = try AgentEventSource.agentSources(configuration: configuration(fake, log: log, journald: true), logger: testLogger)
            #expect(source.first.second != nil)
            #expect(try source.first.second?.read(limit: 1) == nil)  // first run: starts at the (empty) journal's end
            try fake.append([FakeJournalctl.record("j1"), FakeJournalctl.record("j2")])
            let batches = try await drain(source, count: 4)
            #expect(batches.flatMap(\.events).map(\.source).sorted() == ["linux.auth", "linux.auth", "linux.journald", "linux.journald"])
            for batch in batches { try source.commit(batch.mark) }
        }
        #expect(fake.savedCursor() == "j2")
        try Files.append(log, "Nov 21 07:00:03 web1 su[3]: (to root) carol on pts/2\n")
        try fake.append([FakeJournalctl.record("j3")])
        let restarted = try AgentEventSource.agentSources(configuration: configuration(fake, log: log, journald: true), logger: testLogger)
        let again = try await drain(restarted, count: 2).flatMap(\.events)
        #expect(again.map(\.raw).contains { $0?.contains("carol") == true })
        #expect(again.map(\.raw).contains { $0?.contains("\"j3\"") == true })
        #expect(again.count == 2)
    }

    @Test func journaldIsOffUnlessConfiguredAndMissingJournalctlIsAnError() throws {
        let fake = try FakeJournalctl()
        let log = fake.directory.file("syslog")
        let plain = try AgentEventSource.agentSources(configuration: configuration(fake, log: log, journald: false), logger: testLogger)
        #expect(plain.first.second == nil)
        #expect(plain.second == nil)
        var broken = configuration(fake, log: log, journald: true)
        broken.journald?.journalctl = fake.directory.file("absent")
        #expect(throws: SystemLogError.self) { _ = try AgentEventSource.agentSources(configuration: broken, logger: testLogger) }
    }
}

import HeimdallSystem
import Testing

/// The agent's footprint depends on what it links: FoundationEssentials only, never full
/// Foundation with ICU (about 8 MiB of resident pages; see docs/PERFORMANCE.md). A module in
/// the agent's closure that writes `import Foundation` instead of the FoundationEssentials
/// block brings them back, and this test says so.
@Suite struct AgentBinaryTests {
    @Test func agentLinksNeitherFoundationNorICU() throws {
        let linked = try ChildProcess.run("/usr/bin/ldd", [Executables.path("heimdall-agent")])
        #expect(linked.status == 0 && linked.output.contains("libc.so"), "\(linked.output)")
        for library in ["libFoundation.so", "libFoundationInternationalization.so", "lib_FoundationICU.so"] {
            #expect(!linked.output.contains(library), "heimdall-agent links \(library):\n\(linked.output)")
        }
    }
}

import HeimdallCLI
import Testing

@Suite struct ConfigFileTests {
    let text = """
        # Heimdall hub
        [hub]
        listen = "0.0.0.0:7443"   # all interfaces
        pki_dir = "/etc/heimdall/pki#1"

        [session]
        window = 16
        heartbeat_interval = 1_0
        strict = true
        [agent]
        tail = ["/var/log/auth.log", "/var/log/syslog"]
        """

    @Test func readsSectionsValuesAndComments() throws {
        let file = try ConfigFile(path: "hub.toml", text: text)
        #expect(try file.string("hub.listen") == "0.0.0.0:7443")
        #expect(try file.string("hub.pki_dir") == "/etc/heimdall/pki#1")
        #expect(try file.integer("session.window") == 16)
        #expect(try file.integer("session.heartbeat_interval") == 10)
        #expect(try file.bool("session.strict") == true)
        #expect(try file.strings("agent.tail") == ["/var/log/auth.log", "/var/log/syslog"])
        #expect(try file.string("hub.missing") == nil)
    }

    @Test func errorsNameTheFileLineAndKey() throws {
        let file = try ConfigFile(path: "hub.toml", text: text)
        #expect(throws: ConfigError(path: "hub.toml", line: 7, key: "session.window", message: "must be a string")) {
            _ = try file.string("session.window")
        }
        #expect(throws: ConfigError(path: "hub.toml", line: 9, key: "session.strict", message: "is not a known setting")) {
            try file.checkKeys(["hub.listen", "hub.pki_dir", "session.window", "session.heartbeat_interval", "agent.tail"])
        }
        let error = ConfigError(path: "hub.toml", line: 3, key: "hub.listen", message: "must be a string")
        #expect(error.description == "hub.toml:3: setting `hub.listen` must be a string")
    }

    @Test(arguments: [
        ("listen 7443", 1, nil as String?),
        ("[hub", 1, nil),
        ("a = 1\na = 2", 2, "a"),
        ("name = \"unterminated", 1, "name"),
        ("list = [1, 2]", 1, "list"),
        ("bad key = 1", 1, nil),
    ])
    func brokenLinesAreRefused(text: String, line: Int, key: String?) {
        do {
            _ = try ConfigFile(path: "f.toml", text: text)
            Issue.record("accepted \(text)")
        } catch {
            #expect(error.line == line)
            #expect(error.key == key)
        }
    }

    @Test func aMissingFileIsAClearError() {
        #expect(throws: ConfigError(path: "/nonexistent.toml", line: nil, key: nil, message: "cannot be read")) {
            _ = try ConfigFile(path: "/nonexistent.toml")
        }
    }
}

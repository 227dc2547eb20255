import ArgumentParser
import Foundation
import HeimdallCLI
import HeimdallHub
import HeimdallProtocol
import HeimdallStore
import HeimdallSystem
import HeimdallTLS
import Logging
import NIOCore

struct Serve: HeimdallCommand {
    static let configuration = CommandConfiguration(abstract: "Run the hub until SIGTERM or SIGINT.")

    @Option(help: "Configuration file (see config/hub.example.toml).")
    var config: String?

    @Option(help: "Agent-session listener, ADDR:PORT (default 127.0.0.1:7443).")
    var listen: String?

    @Option(name: .customLong("enroll-listen"), help: "Enrollment listener, ADDR:PORT (default 127.0.0.1:7444), or `off`.")
    var enrollListen: String?

    @Option(name: .customLong("http-listen"), help: "Dashboard and query API, ADDR:PORT (default 127.0.0.1:8443).")
    var httpListen: String?

    @Option(name: .customLong("pki-dir"), help: "PKI directory made by `heimdall-pki init`.")
    var pkiDirectory: String?

    @Option(name: .customLong("retention-days"), help: "Days of events and status snapshots to keep; 0 keeps everything (default 0).")
    var retentionDays: Int?

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var logging: LoggingOptions

    func execute() async throws {
        let logger = CLILogging.bootstrap(logging, defaultLevel: .info, label: "heimdall.hub")
        if let limits = OpenFileLimit.raiseToMaximum() {
            logger.info("open-file limit", metadata: ["before": "\(limits.before)", "now": "\(limits.after)"])
        }
        let file = try config.map { path throws(ConfigError) in try ConfigFile(path: path) }
        var configuration = try HubSettings.configuration(file: file, listen: listen, pkiDirectory: pkiDirectory)
        try HubSettings.applyEnrollment(file: file, enrollListen: enrollListen, to: &configuration)
        if let days = try retentionDays ?? file?.integer("database.retention_days") {
            guard days >= 0 else { throw UsageError("--retention-days (database.retention_days) must be 0 or a positive number of days") }
            configuration.retentionDays = days
        }
        let location = try HubSettings.databaseLocation(file: file, options: database)
        if try httpListen ?? file?.string("hub.http_listen") != nil {
            logger.warning("the HTTPS listener is configured but not served by this version yet (the dashboard comes later)")
        }
        try await EmbeddedDatabase.withDatabase(location, poolSize: configuration.ingest.writers + 2, logger: logger) { opened in
            let hub = try await Hub.start(configuration: configuration, database: opened, logger: logger)
            let signal = await TerminationSignal.wait()
            logger.info("received \(signal); shutting down")
            await hub.shutdown()
        }
    }
}

/// Turns the configuration file and the command line into a ``HubConfiguration`` (the
/// command line wins).
enum HubSettings {
    static let knownKeys: Set<String> = [
        "hub.listen", "hub.enroll_listen", "hub.public_session_address", "hub.enroll_certificate_days", "hub.http_listen", "hub.pki_dir", "hub.hub_id", "hub.tls_min_version",
        "hub.max_handshakes", "hub.max_sessions", "hub.session_ticket_lifetime", "hub.session_ticket_rotation", "hub.event_loops",
        "database.url", "database.data_dir", "database.retention_days",
        "session.heartbeat_interval", "session.max_frame", "session.max_batch", "session.window",
        "session.handshake_timeout", "session.hello_timeout",
        "ingest.max_transaction_events", "ingest.high_watermark", "ingest.low_watermark", "ingest.writers", "ingest.linger_ms",
    ]

    static func configuration(file: ConfigFile?, listen: String?, pkiDirectory: String?) throws -> HubConfiguration {
        try file?.checkKeys(knownKeys)
        guard let pki = try pkiDirectory ?? file?.string("hub.pki_dir") else {
            throw UsageError("--pki-dir (or hub.pki_dir in the configuration file) is required")
        }
        var configuration = HubConfiguration(pkiDirectory: URL(fileURLWithPath: pki))
        if let text = try listen ?? file?.string("hub.listen") {
            guard let address = ListenAddress(parsing: text) else { throw UsageError("invalid listen address \(text); expected ADDR:PORT") }
            configuration.sessionAddress = address
        }
        if let hubID = try file?.string("hub.hub_id") { configuration.hubID = hubID }
        if let version = try file?.value("hub.tls_min_version", expected: "\"1.2\" or \"1.3\"", { value -> TLSVersion? in
            switch value {
            case .string("1.2"): .v1_2
            case .string("1.3"): .v1_3
            default: nil
            }
        }) {
            configuration.minimumTLSVersion = version
        }
        if let file {
            try applySession(file, to: &configuration)
            try applyAdmission(file, to: &configuration)
        }
        return configuration
    }

    /// `--enroll-listen ADDR:PORT|off`, `hub.enroll_listen`, `hub.public_session_address`,
    /// `hub.enroll_certificate_days` (the command line wins).
    static func applyEnrollment(file: ConfigFile?, enrollListen: String?, to configuration: inout HubConfiguration) throws {
        if let text = try enrollListen ?? file?.string("hub.enroll_listen") {
            if ["off", "none", "disabled", ""].contains(text.lowercased()) {
                configuration.enrollmentAddress = nil
            } else {
                guard let address = ListenAddress(parsing: text) else {
                    throw UsageError("invalid enrollment listen address \(text); expected ADDR:PORT or off")
                }
                configuration.enrollmentAddress = address
            }
        }
        if let address = try file?.string("hub.public_session_address") {
            guard ListenAddress(parsing: address) != nil else {
                throw UsageError("invalid hub.public_session_address \(address); expected HOST:PORT")
            }
            configuration.publicSessionAddress = address
        }
        if let days = try file?.integer("hub.enroll_certificate_days") { configuration.enrollmentCertificateDays = days }
    }

    private static func applySession(_ file: ConfigFile, to configuration: inout HubConfiguration) throws {
        if let value = try file.integer("session.heartbeat_interval") { configuration.limits.heartbeatInterval = value }
        if let value = try file.integer("session.max_frame") { configuration.limits.maximumFrameLength = value }
        if let value = try file.integer("session.max_batch") { configuration.limits.maximumBatchSize = value }
        if let value = try file.integer("session.window") { configuration.limits.window = value }
        if let value = try file.integer("session.handshake_timeout") { configuration.deadlines.handshake = .seconds(Int64(value)) }
        if let value = try file.integer("session.hello_timeout") { configuration.deadlines.hello = .seconds(Int64(value)) }
        if let value = try file.integer("ingest.max_transaction_events") { configuration.ingest.maximumTransactionWeight = value }
        if let value = try file.integer("ingest.high_watermark") { configuration.ingest.highWatermark = value }
        if let value = try file.integer("ingest.low_watermark") { configuration.ingest.lowWatermark = value }
        if let value = try file.integer("ingest.writers") { configuration.ingest.writers = value }
        if let value = try file.integer("ingest.linger_ms") { configuration.ingest.linger = .milliseconds(value) }
    }

    /// `hub.event_loops`, `hub.max_handshakes` (default: per event loop),
    /// `hub.max_sessions`, `hub.session_ticket_lifetime` (seconds; 0 turns resumption off),
    /// `hub.session_ticket_rotation` (seconds).
    private static func applyAdmission(_ file: ConfigFile, to configuration: inout HubConfiguration) throws {
        if let value = try file.integer("hub.event_loops") {
            configuration.eventLoopThreads = value
            configuration.admission.maximumHandshakes = AdmissionLimits.default(eventLoops: value).maximumHandshakes
        }
        if let value = try file.integer("hub.max_handshakes") { configuration.admission.maximumHandshakes = value }
        if let value = try file.integer("hub.max_sessions") { configuration.admission.maximumSessions = value }
        if let value = try file.integer("hub.session_ticket_lifetime") { configuration.sessionTickets.lifetime = value > 0 ? .seconds(value) : nil }
        if let value = try file.integer("hub.session_ticket_rotation") { configuration.sessionTickets.rotation = .seconds(value) }
    }

    static func databaseLocation(file: ConfigFile?, options: DatabaseOptions) throws -> DatabaseLocation {
        DatabaseLocation.resolve(
            databaseURL: try options.databaseURL ?? file?.string("database.url"),
            dataDirectory: try options.dataDirectory ?? file?.string("database.data_dir")
        )
    }
}

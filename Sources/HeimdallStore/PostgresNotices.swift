import Logging
internal import CLibPQ

/// Holds the logger that server notices (`NOTICE`, `WARNING`) are routed to.
final class NoticeSink {
    let logger: Logger
    init(logger: Logger) { self.logger = logger }
}

/// libpq's notice callback: logs the notice on the connection's logger instead of stderr.
let noticeReceiver: PQnoticeReceiver = { context, result in
    guard let context, let result else { return }
    let sink = Unmanaged<NoticeSink>.fromOpaque(context).takeUnretainedValue()
    let severity = PQresultErrorField(result, Int32(UInt8(ascii: "V"))).map { String(cString: $0) } ?? "NOTICE"
    let message = PQresultErrorField(result, Int32(UInt8(ascii: "M"))).map { String(cString: $0) } ?? ""
    let metadata: Logger.Metadata = ["severity": .string(severity)]
    switch severity {
    case "WARNING": sink.logger.warning("\(message)", metadata: metadata)
    case "NOTICE", "INFO": sink.logger.debug("\(message)", metadata: metadata)
    default: sink.logger.trace("\(message)", metadata: metadata)
    }
}

import Foundation
import HeimdallProtocol
import HeimdallStore
import NIOCore

/// Data frames into the ingest pipeline and back as acks, and certificate renewal.
extension HubSessionHandler {
    func submit(_ frame: HubSessionStateMachine.DataFrame, context: ChannelHandlerContext) {
        guard let handle else { return }
        guard !services.revocations.contains(handle.certificateSerial) else {
            perform(machine?.terminate(.certificateRevoked, "certificate \(handle.certificateSerial) is revoked") ?? .none, context: context)
            return
        }
        let sequenceNumber = frame.sequenceNumber
        let payload: IngestPayload
        let weight: Int
        switch frame {
        case .events(let batch):
            payload = .events(batch.events)
            weight = batch.events.count
        case .status(let report):
            guard let takenAt = report.takenAt else {
                perform(machine?.committed(sequenceNumber, stored: 0, duplicates: 0) ?? .none, context: context)
                return
            }
            payload = .status(takenAt: takenAt, metrics: report.metrics)
            weight = 1
        }
        let batch = IngestBatch(origin: handle.ingestOrigin, receivedAt: services.now(), payload: payload)
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        submitting = true
        defer { submitting = false }
        services.pipeline.submit(batch, weight: weight) { result in
            // The writers run on the event loops: most completions are already on this one
            // (but one refused inside `submit` waits for this frame's turn to end).
            if loopBound.eventLoop.inEventLoop, !loopBound.value.0.submitting {
                loopBound.value.0.completed(sequenceNumber, result: result, context: loopBound.value.1)
            } else {
                loopBound.eventLoop.execute {
                    let (handler, context) = loopBound.value
                    handler.completed(sequenceNumber, result: result, context: context)
                }
            }
        }
    }

    func renew(_ request: RenewalRequest, context: ChannelHandlerContext) {
        guard let handle, let renewer = services.renewer else {
            machine?.renewalFinished()
            send([.error(ErrorReport(code: .internal, message: "certificate renewal is not available on this hub", fatal: false))], context: context)
            return
        }
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        Task {
            let result = await renewer.renew(request, host: handle.host, serial: handle.certificateSerial)
            loopBound.eventLoop.execute {
                let (handler, context) = loopBound.value
                handler.machine?.renewalFinished()
                switch result {
                case .success(let renewal):
                    handler.send([.renewed(renewal)], context: context)
                case .failure(let error):
                    handler.send([.error(ErrorReport(code: error.code, message: error.message, fatal: false))], context: context)
                }
            }
        }
    }

    func completed(_ sequenceNumber: UInt64, result: Result<BatchOutcome, any Error>, context: ChannelHandlerContext) {
        switch result {
        case .success(let outcome) where outcome.refused:
            let serial = handle?.certificateSerial ?? "?"
            perform(machine?.terminate(.certificateRevoked, "certificate \(serial) is revoked; frame \(sequenceNumber) was not stored") ?? .none, context: context)
        case .success(let outcome):
            perform(machine?.committed(sequenceNumber, stored: outcome.stored, duplicates: outcome.duplicates) ?? .none, context: context)
        case .failure(let error):
            logger.error("could not store a frame", metadata: ["seq": "\(sequenceNumber)", "error": "\(error)"])
            perform(machine?.writeFailed(sequenceNumber) ?? .none, context: context)
        }
    }
}

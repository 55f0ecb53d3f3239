import Synchronization

/// The outcome of one batch, shared by the receipts of all its records: one object per
/// batch, not per record.
final class DeliveryCompletion: Sendable {
    typealias Outcome = (baseOffset: Int64, logAppendTime: Int64)

    private enum State {
        case pending([CheckedContinuation<Outcome, Error>])
        case done(Result<Outcome, KafkaClientError>)
    }

    private let state = Mutex<State>(.pending([]))

    func complete(_ result: Result<Outcome, KafkaClientError>) {
        let waiting: [CheckedContinuation<Outcome, Error>] = state.withLock { state in
            guard case .pending(let waiting) = state else { return [] }
            state = .done(result)
            return waiting
        }
        for continuation in waiting { continuation.resume(with: result.mapError { $0 as Error }) }
    }

    var isComplete: Bool {
        state.withLock { if case .done = $0 { true } else { false } }
    }

    /// The outcome, at once when the batch is done (no suspension: a producer checking the
    /// receipts of a whole file does that for each record), else when it completes.
    nonisolated(nonsending) func wait() async throws -> Outcome {
        if let done = state.withLock({ state -> Result<Outcome, KafkaClientError>? in
            if case .done(let result) = state { result } else { nil }
        }) {
            return try done.get()
        }
        return try await withCheckedThrowingContinuation { continuation in
            let done: Result<Outcome, KafkaClientError>? = state.withLock { state in
                switch state {
                case .done(let result): return result
                case .pending(var waiting):
                    waiting.append(continuation)
                    state = .pending(waiting)
                    return nil
                }
            }
            if let done { continuation.resume(with: done.mapError { $0 as Error }) }
        }
    }
}

/// A record accepted by the producer; `metadata()` waits for its delivery. Receipts are cheap:
/// the records of one batch share one completion.
public struct DeliveryReceipt: Sendable {
    public let topicPartition: TopicPartition
    let offsetDelta: Int32
    let timestamp: Int64
    let completion: DeliveryCompletion

    /// Waits until the record is delivered (or has failed for good).
    /// - Returns: its partition, offset and timestamp.
    /// - Throws: ``KafkaClientError`` when the batch failed after its retries or timed out.
    nonisolated(nonsending) public func metadata() async throws -> RecordMetadata {
        let outcome = try await completion.wait()
        return RecordMetadata(
            topicPartition: topicPartition,
            offset: outcome.baseOffset < 0 ? -1 : outcome.baseOffset + Int64(offsetDelta),
            timestamp: outcome.logAppendTime >= 0 ? outcome.logAppendTime : timestamp)
    }

    /// Whether the delivery has finished, successfully or not.
    public var isDelivered: Bool { completion.isComplete }
}

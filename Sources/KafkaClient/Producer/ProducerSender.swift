import KafkaProtocol
import NIOCore

/// The producer's sender: one loop drains what may be sent, each request runs in its own task
/// (so requests to a broker are pipelined), and outcomes go back to the accumulator.
extension KafkaProducer {
    func runSender() async {
        var timer: Scheduled<Void>?
        while true {
            // Nothing leaves before the producer id is known: a batch sealed without it would
            // carry sequences the broker then holds against the real id.
            if configuration.idempotence, state.withLock({ $0.producerID < 0 }) {
                let (empty, closed) = state.withLock { ($0.accumulator.isEmpty, $0.closed) }
                if empty && closed { break }
                if empty {
                    await wake.wait()
                    continue
                }
                do {
                    try await initProducerID()
                } catch {
                    failEverything(error as? KafkaClientError ?? .connection("\(error)"), ifClosedOnly: true)
                    try? await Task.sleep(for: configuration.client.retryBackoff)
                    continue
                }
            }
            if state.withLock({ $0.metadataStale }) {
                if let snapshot = try? await cluster.refreshMetadata() {
                    state.withLock {
                        $0.metadata = snapshot
                        $0.metadataStale = false
                    }
                }
            }
            let now = Clocks.monotonicNanos()
            let maxInFlight = configuration.maxInFlightPerBroker
            // Filled inside the lock and drained below, so each batch's buffer stays uniquely
            // referenced and sealing writes its header in place.
            var requests: [Int32: [ProducerBatch]] = [:]
            let (expired, deadline, finished) = state.withLock { state in
                let expired = state.accumulator.expire(now: now, timeout: UInt64(configuration.deliveryTimeout.nanoseconds))
                let inFlight = state.inFlightPerNode
                let metadata = state.metadata
                var unknownLeader = false
                requests = state.accumulator.drain(
                    now: now, flushing: state.flushing > 0 || state.closed,
                    leader: { partition in
                        let leader = metadata.leader(of: partition)
                        if leader == nil { unknownLeader = true }
                        return leader
                    },
                    nodeHasRoom: { inFlight[$0, default: 0] < maxInFlight },
                    maxRequestSize: configuration.maxRequestSize)
                if unknownLeader { state.metadataStale = true }
                for (node, batches) in requests {
                    state.inFlightPerNode[node, default: 0] += 1
                    for batch in batches { state.inFlight[ObjectIdentifier(batch.completion)] = batch.completion }
                }
                return (expired, state.accumulator.nextLingerDeadline(), state.closed && state.accumulator.isEmpty)
            }
            for batch in expired {
                finish(batch, .failure(.timedOut("\(batch.recordCount) records for \(batch.partition) not delivered within \(configuration.deliveryTimeout)")))
            }
            // Requests are written here, one after another, so a partition's batches reach the
            // broker in sequence order; only the waits for responses run concurrently.
            let sentAny = !requests.isEmpty
            for node in requests.keys.sorted() {
                var batches = requests.removeValue(forKey: node)!
                let started = await start(&batches, to: node)
                Task { await self.complete(started, node: node) }
            }
            if finished { break }
            if sentAny { continue }
            timer?.cancel()
            timer = nil
            if state.withLock({ $0.metadataStale }) {
                timer = wake.signal(after: .nanoseconds(configuration.client.retryBackoff.nanoseconds), on: eventLoop)
            } else if let deadline {
                timer = wake.signal(after: .nanoseconds(Int64(deadline > now ? deadline - now : 0)), on: eventLoop)
            }
            await wake.wait()
        }
        timer?.cancel()
    }

    private func initProducerID() async throws {
        let response = try await cluster.withRetries("InitProducerId") {
            var request = InitProducerIDRequest()
            request.transactionalID = nil
            request.transactionTimeoutMs = 60_000
            let response = try await self.cluster.anyConnection().send(request)
            try KafkaClientError.check(response.errorCode, "InitProducerId")
            return response
        }
        state.withLock {
            $0.producerID = response.producerID
            $0.producerEpoch = response.producerEpoch
        }
    }

    struct StartedRequest: Sendable {
        var batches: [ProducerBatch]
        var inFlight: BrokerConnection.InFlight<ProduceRequest>?
        var failure: KafkaClientError?
    }

    /// Seals the batches (producer id, sequence, compression, CRC) and writes the request.
    private func start(_ drained: inout [ProducerBatch], to node: Int32) async -> StartedRequest {
        var batches: [ProducerBatch] = []
        let (producerID, producerEpoch) = state.withLock { ($0.producerID, $0.producerEpoch) }
        for index in drained.indices {
            if drained[index].sealed == nil {
                do {
                    drained[index].sealed = try drained[index].writer.seal(
                        producerID: configuration.idempotence ? producerID : -1, producerEpoch: configuration.idempotence ? producerEpoch : -1,
                        baseSequence: drained[index].baseSequence, codec: configuration.compression, allocator: allocator)
                } catch {
                    finish(drained[index], .failure(.invalidArgument("compressing \(drained[index].partition) with \(configuration.compression): \(error)")))
                    continue
                }
            }
            batches.append(drained[index])
        }
        guard !batches.isEmpty else { return StartedRequest(batches: [], inFlight: nil, failure: nil) }
        var request = ProduceRequest()
        request.acks = configuration.acks.rawValue
        request.timeoutMs = Int32(clamping: configuration.produceTimeout.milliseconds)
        var topicIndex: [String: Int] = [:]
        for batch in batches {
            var data = ProduceRequest.TopicProduceData.PartitionProduceData()
            data.index = batch.partition.partition
            data.records = batch.sealed
            if let index = topicIndex[batch.partition.topic] {
                request.topicData[index].partitionData.append(data)
            } else {
                var topic = ProduceRequest.TopicProduceData()
                topic.name = batch.partition.topic
                topic.partitionData = [data]
                topicIndex[topic.name] = request.topicData.count
                request.topicData.append(topic)
            }
        }
        do {
            let connection = try await cluster.connection(to: node)
            let inFlight = try connection.start(request, expectResponse: configuration.acks != .none)
            return StartedRequest(batches: batches, inFlight: inFlight, failure: nil)
        } catch {
            return StartedRequest(batches: batches, inFlight: nil, failure: error as? KafkaClientError ?? .connection("\(error)"))
        }
    }

    /// Waits for the response and settles each batch.
    private func complete(_ started: StartedRequest, node: Int32) async {
        let batches = started.batches
        var outcomes: [Result<DeliveryCompletion.Outcome, KafkaClientError>] = []
        do {
            if let failure = started.failure { throw failure }
            guard let inFlight = started.inFlight else { throw KafkaClientError.invalidArgument("no batch left to send") }
            if configuration.acks == .none {
                try await inFlight.written.get()
                outcomes = batches.map { _ in .success((-1, -1)) }
            } else {
                let response = try await inFlight.response()
                var answers: [TopicPartition: ProduceResponse.TopicProduceResponse.PartitionProduceResponse] = [:]
                for topic in response.responses {
                    for partition in topic.partitionResponses { answers[TopicPartition(topic.name, partition.index)] = partition }
                }
                outcomes = batches.map { batch in
                    guard let answer = answers[batch.partition] else {
                        return .failure(.protocolViolation("the Produce response from \(inFlight.address) has no answer for \(batch.partition)"))
                    }
                    let code = KafkaErrorCode(rawValue: answer.errorCode)
                    switch code {
                    case .none: return .success((answer.baseOffset, answer.logAppendTimeMs))
                    case .duplicateSequenceNumber: return .success((-1, -1))
                    default:
                        let detail = answer.errorMessage.map { " (\($0))" } ?? ""
                        return .failure(.broker(code, "producing to \(batch.partition) via \(inFlight.address)\(detail)"))
                    }
                }
            }
        } catch {
            let failure = error as? KafkaClientError ?? .connection("\(error)")
            outcomes = batches.map { _ in .failure(failure) }
        }
        state.withLock { $0.inFlightPerNode[node, default: 1] -= 1 }
        for (batch, outcome) in zip(batches, outcomes) { settle(batch, outcome) }
        wake.signal()
    }

    /// Retries a retriable failure (in sequence order) while the delivery timeout allows, else
    /// completes the batch.
    private func settle(_ batch: ProducerBatch, _ outcome: Result<DeliveryCompletion.Outcome, KafkaClientError>) {
        if case .failure(let error) = outcome {
            let young = Clocks.monotonicNanos() &- batch.createdAt < UInt64(configuration.deliveryTimeout.nanoseconds)
            // A batch behind a failed one is refused as out of order; it is retried after it.
            let retriable = error.isRetriable || (configuration.idempotence && error.code == .outOfOrderSequenceNumber)
            if retriable && young && configuration.acks != .none {
                state.withLock { state in
                    if error.code?.invalidatesMetadata ?? true { state.metadataStale = true }
                    state.accumulator.requeue(batch)
                }
                if error.code?.invalidatesMetadata ?? true { Task { await cluster.invalidateMetadata() } }
                return
            }
        }
        finish(batch, outcome)
    }

    /// Completes a batch for good and releases its memory.
    func finish(_ batch: ProducerBatch, _ outcome: Result<DeliveryCompletion.Outcome, KafkaClientError>) {
        let waiters = state.withLock { state in
            state.accumulator.finished(batch)
            state.inFlight[ObjectIdentifier(batch.completion)] = nil
            let waiters = state.spaceWaiters
            state.spaceWaiters.removeAll()
            return waiters
        }
        batch.completion.complete(outcome)
        for waiter in waiters { waiter.resume() }
    }

    /// When the producer is closing and cannot get a producer id, fails what waits.
    private func failEverything(_ error: KafkaClientError, ifClosedOnly: Bool) {
        guard !ifClosedOnly || state.withLock({ $0.closed }) else { return }
        let now = Clocks.monotonicNanos()
        let expired = state.withLock { $0.accumulator.expire(now: now &+ UInt64(configuration.deliveryTimeout.nanoseconds) &+ 1, timeout: UInt64(configuration.deliveryTimeout.nanoseconds)) }
        for batch in expired { finish(batch, .failure(error)) }
    }
}

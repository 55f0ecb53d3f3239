import BrokerCore
import Compression
import KafkaProtocol
import LogStore
import NIOCore

extension Broker {
    /// Produce 3-11 (0-2 are listed for old librdkafka and answered UNSUPPORTED_VERSION):
    /// each partition's batch is validated and appended as it was sent; acks=1 answers once it
    /// is in the page cache, acks=all once an fdatasync covers it (group commit), acks=0 not at
    /// all. Idempotent batches are checked against the producer's sequence (a retried batch gets
    /// its original offset).
    func produce(_ request: ProduceRequest, _ context: RequestContext) -> EventLoopFuture<ProduceResponse?> {
        typealias PartitionResponse = ProduceResponse.TopicProduceResponse.PartitionProduceResponse
        let version = context.apiVersion
        let now = Self.nowMs()
        let acks = request.acks
        let acksValid = [-1, 0, 1].contains(acks)
        // Answers decided here (bad acks, old version, unknown partition) are filled in at once;
        // the appends go to their partitions' lanes, one job per lane, and their answers land
        // in the same slots, so the response keeps the request's order.
        var answers: [[PartitionResponse]] = []
        var jobs: [ObjectIdentifier: (lane: AppendLanes.Lane, appends: [PendingAppend])] = [:]
        for (topicIndex, topicData) in request.topicData.enumerated() {
            answers.append([])
            for partitionData in topicData.partitionData {
                var result = PartitionResponse()
                result.index = partitionData.index
                if !acksValid {
                    result.errorCode = KafkaErrorCode.invalidRequiredAcks.rawValue
                } else if version < 3 {
                    result.errorCode = KafkaErrorCode.unsupportedVersion.rawValue
                } else if let log = topics.partitionLog(topic: topicData.name, partition: partitionData.index) {
                    let lane = appendLanes.lane(for: PartitionKey(topic: log.topic, partition: log.partition))
                    let pending = PendingAppend(slot: (topicIndex, answers[topicIndex].count), index: partitionData.index, log: log,
                                                records: partitionData.records ?? ByteBuffer())
                    jobs[ObjectIdentifier(lane), default: (lane, [])].appends.append(pending)
                } else {
                    result.errorCode = KafkaErrorCode.unknownTopicOrPartition.rawValue
                }
                answers[topicIndex].append(result)
            }
        }
        let laneResults = jobs.values.map { job in
            appendLanes.run(on: job.lane, eventLoop: context.eventLoop) { [self] in
                job.appends.map { pending in
                    var records = pending.records
                    var result = PartitionResponse()
                    result.index = pending.index
                    appendBatch(&records, to: pending.log, lane: job.lane, version: version, now: now, into: &result)
                    return (pending, result)
                }
            }
        }
        let names = request.topicData.map(\.name)
        let decided = answers
        let answered = EventLoopFuture.whenAllSucceed(laneResults, on: context.eventLoop).map { [self] results -> (ProduceResponse, [(PartitionLog, Int64)]) in
            var answers = decided
            var durable: [(PartitionLog, Int64)] = []
            for (pending, result) in results.flatMap({ $0 }) {
                answers[pending.slot.topic][pending.slot.partition] = result
                if result.errorCode == 0 && acks == -1 { durable.append((pending.log, result.baseOffset)) }
            }
            var response = ProduceResponse()
            for (name, partitions) in zip(names, answers) {
                var topicResponse = ProduceResponse.TopicProduceResponse()
                topicResponse.name = name
                topicResponse.partitionResponses = partitions.map { result in
                    guard result.errorCode != 0 else { return result }
                    BrokerMetrics.produceErrors(code: result.errorCode).increment()
                    var failed = result
                    failed.baseOffset = -1
                    return failed
                }
                response.responses.append(topicResponse)
            }
            if !laneResults.isEmpty { fetchWaiters.wakeAll() }
            return (response, durable)
        }
        if acks == 0 {
            return context.eventLoop.makeSucceededFuture(nil)
        }
        return answered.flatMap { response, durable in
            guard !durable.isEmpty else { return context.eventLoop.makeSucceededFuture(response) }
            let promise = context.eventLoop.makePromise(of: ProduceResponse?.self)
            promise.completeWithTask {
                for (log, baseOffset) in durable {
                    try await log.waitUntilDurable(offset: baseOffset + 1)
                }
                return response
            }
            return promise.futureResult
        }
    }

    /// One partition's records on their way to its lane.
    struct PendingAppend: Sendable {
        var slot: (topic: Int, partition: Int)
        var index: Int32
        var log: PartitionLog
        var records: ByteBuffer
    }

    /// Validates and appends one partition's records, filling `result`.
    private func appendBatch(
        _ records: inout ByteBuffer, to log: PartitionLog, lane: AppendLanes.Lane,
        version: Int16, now: Int64,
        into result: inout ProduceResponse.TopicProduceResponse.PartitionProduceResponse
    ) {
        guard let header = records.withUnsafeReadableBytes({ RecordBatchHeader(parsing: $0) }) else {
            result.errorCode = KafkaErrorCode.corruptMessage.rawValue
            result.errorMessage = "the records are shorter than a RecordBatch header"
            return
        }
        if header.magic != 2 {
            result.errorCode = KafkaErrorCode.unsupportedVersion.rawValue
            result.errorMessage = "record batch magic \(header.magic); only magic 2 is supported"
            return
        }
        if header.compressionCodecID == Int(CompressionCodec.zstd.rawValue) && version < 7 {
            result.errorCode = KafkaErrorCode.unsupportedCompressionType.rawValue
            return
        }
        if log.configuration.cleanupPolicy.contains(.compact),
           let keyless = CompactedTopicRecords.keylessRecordIndexes(records, header: header), !keyless.isEmpty {
            result.errorCode = KafkaErrorCode.invalidRecord.rawValue
            result.errorMessage = "compacted topic \(log.topic) needs a key on every record; \(keyless.count) of \(header.recordsCount) have none"
            if version >= 8 {
                result.recordErrors = keyless.map { index in
                    var error = ProduceResponse.TopicProduceResponse.PartitionProduceResponse.BatchIndexAndErrorMessage()
                    error.batchIndex = index
                    error.batchIndexErrorMessage = "the record has no key, and \(log.topic) is compacted"
                    return error
                }
            }
            return
        }
        let topicConfigs = topics.metadata.topics[log.topic]?.configs ?? [:]
        if let rules = TopicSchemaValidation(configs: topicConfigs),
           let rejection = schemaRejection(records, header: header, topic: log.topic, rules: rules) {
            result.errorCode = rejection.errorCode
            result.errorMessage = rejection.message
            if version >= 8 {
                result.recordErrors = rejection.recordErrors.map { index, message in
                    var error = ProduceResponse.TopicProduceResponse.PartitionProduceResponse.BatchIndexAndErrorMessage()
                    error.batchIndex = index
                    error.batchIndexErrorMessage = message
                    return error
                }
            }
            return
        }
        if let target = TopicCompression.target(topicConfigs),
           header.compressionCodecID != Int(target.rawValue) {
            // The topic's compression.type: the batch is stored converted, as Kafka does. The
            // producer's batch is validated first, so a corrupt one is never given a fresh CRC.
            do {
                _ = try records.withUnsafeReadableBytes { raw throws(RecordBatchError) in try RecordBatchHeader.validateSingleBatch(raw) }
                records = try TopicCompression.convert(records, header: header, to: target)
            } catch {
                result.errorCode = KafkaErrorCode.corruptMessage.rawValue
                result.errorMessage = "the batch cannot be stored with the topic's compression \(target): \(error)"
                return
            }
        }
        if header.isControl {
            result.errorCode = KafkaErrorCode.invalidRecord.rawValue
            result.errorMessage = "clients may not produce control batches"
            return
        }
        let key = PartitionKey(topic: log.topic, partition: log.partition)
        let batch = ProducerBatch(producerID: header.producerID, epoch: header.producerEpoch,
                                  baseSequence: header.baseSequence, lastOffsetDelta: header.lastOffsetDelta)
        // Idempotent batches: check, append and record under the partition's producer state, so
        // that two retries of one batch cannot both be appended.
        lane.producerStates.withLock { states in
            if header.hasProducerID {
                switch states[key, default: PartitionProducerState()].check(batch) {
                case .append:
                    break
                case .duplicate(let original):
                    result.baseOffset = original.firstOffset
                    result.logStartOffset = log.logStartOffset
                    return
                case let verdict:
                    result.errorCode = verdict.errorCode
                    return
                }
            }
            do {
                let appended = try records.withUnsafeReadableBytes { raw throws(LogStoreError) in
                    try log.append(raw, leaderEpoch: 0, nowMs: now)
                }
                result.baseOffset = appended.baseOffset
                result.logAppendTimeMs = appended.logAppendTime
                result.logStartOffset = appended.logStartOffset
                BrokerMetrics.messagesIn.increment(by: Int(header.recordsCount))
                BrokerMetrics.bytesIn.increment(by: records.readableBytes)
                BrokerMetrics.topicBytesIn(log.topic).increment(by: records.readableBytes)
                if header.hasProducerID {
                    states[key, default: PartitionProducerState()].record(
                        batch, firstOffset: appended.baseOffset, lastOffset: appended.lastOffset, timestamp: now)
                }
            } catch let error as LogStoreError {
                result.errorCode = Self.errorCode(for: error)
                result.errorMessage = error.message
            } catch {
                result.errorCode = KafkaErrorCode.unknownServerError.rawValue
                result.errorMessage = "\(error)"
            }
        }
    }

    static func errorCode(for error: LogStoreError) -> Int16 {
        switch error.code {
        case .corruptBatch: KafkaErrorCode.corruptMessage.rawValue
        case .batchTooLarge: KafkaErrorCode.messageTooLarge.rawValue
        case .offsetOutOfRange: KafkaErrorCode.offsetOutOfRange.rawValue
        case .closed: KafkaErrorCode.notLeaderOrFollower.rawValue
        case .io: KafkaErrorCode.kafkaStorageError.rawValue
        }
    }
}

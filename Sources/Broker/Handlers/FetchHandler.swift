import KafkaProtocol
import LogStore
import NIOConcurrencyHelpers
import NIOCore

extension Broker {
    /// Fetch 4-12: from each partition the batch holding the fetch offset onwards, up to
    /// the partition and response byte limits but always one whole batch; empty (never null)
    /// records for partitions without data; OFFSET_OUT_OF_RANGE outside the log. With
    /// `min.bytes` not reached, the fetch waits up to `max.wait.ms`, woken by appends.
    /// No fetch sessions: the session id is always 0 (clients then send full fetches).
    func fetch(_ request: FetchRequest, _ context: RequestContext) -> EventLoopFuture<FetchReply?> {
        let (first, bytes) = readFetch(request)
        let waitMs = Int64(max(0, request.maxWaitMs))
        if bytes >= Int(max(1, request.minBytes)) || waitMs == 0 || first.response.responses.allSatisfy({ $0.partitions.allSatisfy { $0.errorCode != 0 } }) {
            Self.recordMetrics(of: first)
            return context.eventLoop.makeSucceededFuture(first)
        }
        let eventLoop = context.eventLoop
        let promise = eventLoop.makePromise(of: FetchReply?.self)
        let state = NIOLockedValueBox<(done: Bool, waiter: UInt64?, timeout: Scheduled<Void>?)>((false, nil, nil))
        let finish: @Sendable (Bool) -> Void = { [self] force in
            eventLoop.execute {
                guard !state.withLockedValue({ $0.done }) else { return }
                let (response, bytes) = self.readFetch(request)
                guard force || bytes >= Int(max(1, request.minBytes)) else { return }
                let (waiter, timeout) = state.withLockedValue { value in
                    value.done = true
                    return (value.waiter, value.timeout)
                }
                if let waiter { self.fetchWaiters.remove(waiter) }
                timeout?.cancel()
                Self.recordMetrics(of: response)
                promise.succeed(response)
            }
        }
        let waiter = fetchWaiters.add { finish(false) }
        let timeout = eventLoop.scheduleTask(in: .milliseconds(waitMs)) { finish(true) }
        state.withLockedValue { $0.waiter = waiter; $0.timeout = timeout }
        return promise.futureResult
    }

    /// Bytes out per topic and errors by code, for the response actually sent.
    private static func recordMetrics(of reply: FetchReply) {
        for (topicIndex, topic) in reply.response.responses.enumerated() {
            var bytes = 0
            for (partitionIndex, partition) in topic.partitions.enumerated() {
                bytes += partition.records?.readableBytes ?? reply.externalLengths[topicIndex][partitionIndex] ?? 0
                if partition.errorCode != 0 { BrokerMetrics.fetchErrors(code: partition.errorCode).increment() }
            }
            if bytes > 0 { BrokerMetrics.topicBytesOut(topic.topic).increment(by: bytes) }
        }
    }

    /// Reads below this size are copied into the response; larger ones are sent from the file.
    static let sendFromFileThreshold = 16 << 10

    /// One pass over the requested partitions; returns the reply and the bytes it carries.
    private func readFetch(_ request: FetchRequest) -> (FetchReply, Int) {
        var response = FetchResponse()
        var reply = FetchReply()
        var remaining = Int(request.maxBytes > 0 ? request.maxBytes : Int32.max)
        var total = 0
        for topic in request.topics {
            var topicResponse = FetchResponse.FetchableTopicResponse()
            topicResponse.topic = topic.topic
            topicResponse.topicID = topic.topicID
            var lengths: [Int?] = []
            for partition in topic.partitions {
                lengths.append(nil)
                var result = FetchResponse.FetchableTopicResponse.PartitionData()
                result.partitionIndex = partition.partition
                result.records = ByteBuffer()
                guard let log = topics.partitionLog(topic: topic.topic, partition: partition.partition) else {
                    result.errorCode = KafkaErrorCode.unknownTopicOrPartition.rawValue
                    result.highWatermark = -1
                    result.lastStableOffset = -1
                    topicResponse.partitions.append(result)
                    continue
                }
                // The first partition with data always gets one whole batch (KIP-74), even past
                // the response limit; later ones only what is left.
                let limit = total == 0 ? Int(partition.partitionMaxBytes) : min(Int(partition.partitionMaxBytes), remaining)
                do throws(LogStoreError) {
                    let read = try log.read(from: partition.fetchOffset, maxBytes: max(limit, 0))
                    result.highWatermark = read.logEndOffset
                    result.lastStableOffset = read.logEndOffset
                    result.logStartOffset = read.logStartOffset
                    if limit > 0 || total == 0 {
                        let count = read.byteCount
                        if count >= Self.sendFromFileThreshold {
                            // Sent from the file: the frame gets a hole of this size.
                            result.records = nil
                            lengths[lengths.count - 1] = count
                            reply.fileSlices.append(read.slices)
                        } else {
                            var records = ByteBufferAllocator().buffer(capacity: count)
                            for slice in read.slices { try slice.read(into: &records) }
                            reply.inlineBytes += records.readableBytes
                            result.records = records
                        }
                        total += count
                        remaining -= count
                    }
                } catch {
                    result.errorCode = Self.errorCode(for: error)
                    result.highWatermark = log.logEndOffset
                    result.lastStableOffset = log.logEndOffset
                    result.logStartOffset = log.logStartOffset
                }
                topicResponse.partitions.append(result)
            }
            response.responses.append(topicResponse)
            reply.externalLengths.append(lengths)
        }
        reply.response = response
        return (reply, total)
    }
}

/// A Fetch response and the log-file ranges that carry the records of its larger reads.
struct FetchReply: Sendable {
    var response = FetchResponse()
    /// Per topic, per partition: the bytes sent from files (nil: the records are inline).
    var externalLengths: [[Int?]] = []
    /// The slices of each partition sent from files, in response order.
    var fileSlices: [[FileSlice]] = []
    /// Bytes of inline records (to size the frame).
    var inlineBytes = 0
}

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
    func fetch(_ request: FetchRequest, _ context: RequestContext) -> EventLoopFuture<FetchResponse?> {
        let (first, bytes) = readFetch(request)
        let waitMs = Int64(max(0, request.maxWaitMs))
        if bytes >= Int(max(1, request.minBytes)) || waitMs == 0 || first.responses.allSatisfy({ $0.partitions.allSatisfy { $0.errorCode != 0 } }) {
            Self.recordMetrics(of: first)
            return context.eventLoop.makeSucceededFuture(first)
        }
        let eventLoop = context.eventLoop
        let promise = eventLoop.makePromise(of: FetchResponse?.self)
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
    private static func recordMetrics(of response: FetchResponse) {
        for topic in response.responses {
            var bytes = 0
            for partition in topic.partitions {
                bytes += partition.records?.readableBytes ?? 0
                if partition.errorCode != 0 { BrokerMetrics.fetchErrors(code: partition.errorCode).increment() }
            }
            if bytes > 0 { BrokerMetrics.topicBytesOut(topic.topic).increment(by: bytes) }
        }
    }

    /// One pass over the requested partitions; returns the response and the bytes it carries.
    private func readFetch(_ request: FetchRequest) -> (FetchResponse, Int) {
        var response = FetchResponse()
        var remaining = Int(request.maxBytes > 0 ? request.maxBytes : Int32.max)
        var total = 0
        for topic in request.topics {
            var topicResponse = FetchResponse.FetchableTopicResponse()
            topicResponse.topic = topic.topic
            topicResponse.topicID = topic.topicID
            for partition in topic.partitions {
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
                        var records = ByteBufferAllocator().buffer(capacity: read.byteCount)
                        for slice in read.slices { try slice.read(into: &records) }
                        total += records.readableBytes
                        remaining -= records.readableBytes
                        result.records = records
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
        }
        return (response, total)
    }
}

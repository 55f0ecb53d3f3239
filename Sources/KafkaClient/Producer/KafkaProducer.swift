import NIOCore
import NIOPosix
import Synchronization

/// A Kafka producer: records are batched per partition (`linger`, `batchSize`), compressed,
/// sent to each partition's leader with up to `maxInFlightPerBroker` requests pipelined, and
/// retried in order when idempotent. `send` returns as soon as the record is in a batch (it
/// waits only when `bufferMemory` is used up); the receipt's `metadata()` waits for delivery.
///
/// ```swift
/// let producer = try KafkaProducer(configuration: ProducerConfiguration(bootstrap: "127.0.0.1:9092"))
/// let receipt = try await producer.send(ProducerRecord(topic: "greetings", key: Array("k".utf8), value: Array("hello".utf8)))
/// print(try await receipt.metadata().offset)
/// try await producer.close()
/// ```
public final class KafkaProducer: Sendable {
    struct State {
        var accumulator: RecordAccumulator
        var metadata = ClusterMetadata()
        var metadataStale = true
        var inFlightPerNode: [Int32: Int] = [:]
        var inFlight: [ObjectIdentifier: DeliveryCompletion] = [:]
        var flushing = 0
        var closed = false
        var spaceWaiters: [CheckedContinuation<Void, Never>] = []
        var producerID: Int64 = -1
        var producerEpoch: Int16 = -1
        var random = SystemRandomNumberGenerator()
    }

    let configuration: ProducerConfiguration
    let cluster: KafkaCluster
    let state: Mutex<State>
    let wake = WakeSignal()
    let eventLoop: EventLoop
    let allocator = ByteBufferAllocator()
    private let sender = Mutex<Task<Void, Never>?>(nil)

    /// Creates the producer; connections are made on first use.
    /// - Throws: ``KafkaClientError/invalidArgument(_:)`` for an inconsistent configuration.
    public init(configuration: ProducerConfiguration) throws {
        try configuration.validate()
        self.configuration = configuration
        self.cluster = try KafkaCluster(configuration: configuration.client)
        self.eventLoop = MultiThreadedEventLoopGroup.singleton.next()
        self.state = Mutex(State(accumulator: RecordAccumulator(
            batchSize: configuration.batchSize, linger: UInt64(configuration.linger.nanoseconds),
            bufferMemory: configuration.bufferMemory, idempotent: configuration.idempotence,
            maxInFlightPerPartition: configuration.maxInFlightPerBroker)))
        sender.withLock { $0 = Task { await self.runSender() } }
    }

    /// Adds a record to its partition's batch.
    ///
    /// It runs on the caller's executor (`nonisolated(nonsending)`): appending to a batch takes
    /// less time than the hop to the generic executor a plain async function begins with.
    /// - Returns: a receipt whose `metadata()` waits for the delivery.
    /// - Throws: when the producer is closed, the topic is unknown (and cannot be created) or
    ///   the partition does not exist.
    nonisolated(nonsending) public func send(_ record: ProducerRecord) async throws -> DeliveryReceipt {
        let timestamp = record.timestamp ?? Clocks.wallMillis()
        // The common case takes one lock: the topic is known, the partition is chosen and the
        // record appended together.
        let fast: RecordAccumulator.AppendResult? = try state.withLock { state throws(KafkaClientError) in
            guard !state.closed else { throw .closed("the producer is closed; a record for '\(record.topic)' was not sent") }
            guard let count = state.metadata.partitionCount(record.topic), count > 0 else { return nil }
            let partition: Int32
            if let explicit = record.partition {
                guard explicit >= 0, explicit < count else { return nil }
                partition = explicit
            } else {
                partition = state.accumulator.partition(topic: record.topic, key: record.key, partitionCount: count, random: &state.random)
            }
            return state.accumulator.append(record, partition: TopicPartition(record.topic, partition), timestamp: timestamp, now: Clocks.monotonicNanos())
        }
        if case .appended(let receipt, let wakeSender)? = fast {
            if wakeSender { wake.signal() }
            return receipt
        }
        let partition = try await choosePartition(for: record)
        while true {
            let result: RecordAccumulator.AppendResult = try state.withLock { state throws(KafkaClientError) in
                guard !state.closed else { throw .closed("the producer is closed; \(partition) was not sent") }
                return state.accumulator.append(record, partition: partition, timestamp: timestamp, now: Clocks.monotonicNanos())
            }
            switch result {
            case .appended(let receipt, let wakeSender):
                if wakeSender { wake.signal() }
                return receipt
            case .bufferFull:
                await waitForSpace()
            }
        }
    }

    /// Sends a record and waits for its delivery.
    public func produce(_ record: ProducerRecord) async throws -> RecordMetadata {
        try await send(record).metadata()
    }

    /// Sends every batch now (linger is skipped) and waits until all records sent before the
    /// call are delivered or have failed.
    public func flush() async {
        let pending = state.withLock { state in
            state.flushing += 1
            return state.accumulator.pendingCompletions + Array(state.inFlight.values)
        }
        wake.signal()
        for completion in pending { _ = try? await completion.wait() }
        state.withLock { $0.flushing -= 1 }
    }

    /// Flushes, then stops the sender and closes the connections. Later sends fail.
    public func close() async {
        await flush()
        state.withLock { $0.closed = true }
        wake.signal()
        await sender.withLock { $0 }?.value
        await cluster.close()
    }

    /// The partitions of a topic (refreshing the metadata).
    public func partitions(of topic: String) async throws -> [PartitionMetadata] {
        let metadata = try await cluster.topic(topic)
        let snapshot = await cluster.metadata
        state.withLock { $0.metadata = snapshot }
        return metadata.partitions
    }

    private func choosePartition(for record: ProducerRecord) async throws -> TopicPartition {
        var count = state.withLock { $0.metadata.partitionCount(record.topic) }
        if count == nil {
            let topic = try await cluster.topic(record.topic)
            let snapshot = await cluster.metadata
            state.withLock {
                $0.metadata = snapshot
                $0.metadataStale = false
            }
            count = Int32(topic.partitions.count)
        }
        guard let count, count > 0 else { throw KafkaClientError.broker(.unknownTopicOrPartition, "topic '\(record.topic)' has no partitions") }
        if let partition = record.partition {
            guard partition >= 0, partition < count else {
                throw KafkaClientError.invalidArgument("partition \(partition) of '\(record.topic)', which has \(count) partitions")
            }
            return TopicPartition(record.topic, partition)
        }
        let chosen = state.withLock { state in
            state.accumulator.partition(topic: record.topic, key: record.key, partitionCount: count, random: &state.random)
        }
        return TopicPartition(record.topic, chosen)
    }

    private func waitForSpace() async {
        await withCheckedContinuation { continuation in
            let hasRoom = state.withLock { state in
                if state.accumulator.bufferedBytes < state.accumulator.bufferMemory || state.closed { return true }
                state.spaceWaiters.append(continuation)
                return false
            }
            if hasRoom { continuation.resume() }
        }
    }
}

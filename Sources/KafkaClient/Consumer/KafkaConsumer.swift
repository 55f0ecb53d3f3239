import Synchronization

/// A Kafka consumer: either assigned partitions (`assign`, `seek`) or a member of a group
/// (`subscribe`, with rebalance callbacks). Records are fetched ahead of the application and
/// read with `poll` or as an `AsyncSequence` (`records`). Positions are committed
/// automatically (`autoCommit`) or with `commit`.
///
/// ```swift
/// let consumer = try KafkaConsumer(configuration: ConsumerConfiguration(bootstrap: "127.0.0.1:9092", groupID: "readers"))
/// try await consumer.subscribe(["greetings"])
/// for try await record in consumer.records {
///     print(record.offset, String(decoding: record.value ?? [], as: UTF8.self))
/// }
/// ```
public final class KafkaConsumer: Sendable {
    let configuration: ConsumerConfiguration
    let cluster: KafkaCluster
    let fetcher: PartitionFetcher
    let member: GroupMember?
    private let autoCommitter = Mutex<Task<Void, Never>?>(nil)
    private let closed = Atomic<Bool>(false)

    public init(configuration: ConsumerConfiguration) throws {
        self.configuration = configuration
        let cluster = try KafkaCluster(configuration: configuration.client)
        let fetcher = PartitionFetcher(configuration: configuration, cluster: cluster)
        self.cluster = cluster
        self.fetcher = fetcher
        self.member = configuration.groupID.map { GroupMember(groupID: $0, configuration: configuration, cluster: cluster, fetcher: fetcher) }
        startAutoCommit()
    }

    private func startAutoCommit() {
        guard configuration.autoCommit, member != nil else { return }
        autoCommitter.withLock { $0 = Task { [weak self] in await self?.autoCommitLoop() } }
    }

    // MARK: Partitions

    /// Reads exactly these partitions (no group membership): from the group's committed offset
    /// when a group id is set, else (or when none is committed) per `autoOffsetReset`.
    public func assign(_ partitions: [TopicPartition]) async throws {
        let committed = try await member?.fetchCommitted(partitions) ?? [:]
        fetcher.assign(Dictionary(uniqueKeysWithValues: partitions.map { ($0, committed[$0]) }))
    }

    /// Joins the consumer group and reads the partitions it assigns to this member.
    /// - Throws: ``KafkaClientError/invalidArgument(_:)`` without a `groupID`.
    public func subscribe(_ topics: [String], listener: RebalanceListener = RebalanceListener()) async throws {
        guard let member else { throw KafkaClientError.invalidArgument("subscribe needs a groupID in the configuration") }
        guard !topics.isEmpty else { throw KafkaClientError.invalidArgument("subscribe needs at least one topic") }
        await member.subscribe(topics, listener: listener)
    }

    /// The partitions currently assigned.
    public var assignment: [TopicPartition] { fetcher.assignment }

    /// The next offset `poll` returns for a partition, nil until it is known.
    public func position(_ partition: TopicPartition) -> Int64? { fetcher.positions()[partition] }

    /// Moves a partition's position (it must be assigned).
    public func seek(_ partition: TopicPartition, to offset: Int64) throws {
        try fetcher.seek(partition, to: offset)
    }

    /// Moves partitions to their first offset.
    public func seekToBeginning(_ partitions: [TopicPartition]) async throws {
        for (partition, offset) in try await cluster.listOffsets(Dictionary(uniqueKeysWithValues: partitions.map { ($0, OffsetSpec.earliest) })) {
            try fetcher.seek(partition, to: offset)
        }
    }

    /// Moves partitions past their last record.
    public func seekToEnd(_ partitions: [TopicPartition]) async throws {
        for (partition, offset) in try await cluster.listOffsets(Dictionary(uniqueKeysWithValues: partitions.map { ($0, OffsetSpec.latest) }), isolation: configuration.isolationLevel) {
            try fetcher.seek(partition, to: offset)
        }
    }

    /// The earliest offset whose timestamp is at or after each given time (ms), -1 if none.
    public func offsets(forTimes times: [TopicPartition: Int64]) async throws -> [TopicPartition: Int64] {
        try await cluster.listOffsets(times, isolation: configuration.isolationLevel)
    }

    // MARK: Reading

    /// Up to `maxRecords` records (default `maxPollRecords`), waiting up to `timeout` for the
    /// first; empty when none arrived in time.
    public func poll(maxRecords: Int? = nil, timeout: Duration = .seconds(1)) async throws -> [ConsumerRecord] {
        guard !closed.load(ordering: .relaxed) else { throw KafkaClientError.closed("the consumer is closed") }
        return try await fetcher.poll(maxRecords: maxRecords ?? configuration.maxPollRecords, timeout: timeout)
    }

    /// Every record, as they arrive; ends when the consumer is closed.
    public var records: ConsumerRecords { ConsumerRecords(consumer: self) }

    // MARK: Offsets

    /// Commits the current positions of every assigned partition.
    public func commit() async throws {
        try await commit(fetcher.positions())
    }

    /// Commits the given offsets (the next offset to read, as Kafka counts).
    public func commit(_ offsets: [TopicPartition: Int64]) async throws {
        guard let member else { throw KafkaClientError.invalidArgument("commit needs a groupID in the configuration") }
        try await member.commit(offsets)
    }

    /// The group's committed offsets of the partitions that have one.
    public func committed(_ partitions: [TopicPartition]) async throws -> [TopicPartition: Int64] {
        guard let member else { throw KafkaClientError.invalidArgument("committed offsets need a groupID in the configuration") }
        return try await member.fetchCommitted(partitions)
    }

    /// Commits (when auto-committing), leaves the group, stops fetching and closes the
    /// connections.
    public func close() async {
        guard !closed.exchange(true, ordering: .relaxed) else { return }
        autoCommitter.withLock { $0 }?.cancel()
        if let member {
            if configuration.autoCommit { try? await member.commit(fetcher.positions()) }
            await member.leave()
        }
        await fetcher.close()
        await cluster.close()
    }

    private func autoCommitLoop() async {
        var last: [TopicPartition: Int64] = [:]
        while !Task.isCancelled {
            try? await Task.sleep(for: configuration.autoCommitInterval)
            guard !Task.isCancelled, let member, await member.isStable else { continue }
            let positions = fetcher.positions()
            let changed = positions.filter { last[$0.key] != $0.value }
            guard !changed.isEmpty else { continue }
            if (try? await member.commit(changed)) != nil { last.merge(changed) { $1 } }
        }
    }
}

/// The records of a consumer as an `AsyncSequence`; iteration ends when the consumer closes.
public struct ConsumerRecords: AsyncSequence, Sendable {
    public typealias Element = ConsumerRecord
    let consumer: KafkaConsumer

    public struct AsyncIterator: AsyncIteratorProtocol {
        let consumer: KafkaConsumer
        var pending: [ConsumerRecord] = []
        var index = 0

        public mutating func next() async throws -> ConsumerRecord? {
            try await next(isolation: nil)
        }

        /// `for try await` calls this one: it runs on the caller's executor, so a record already
        /// fetched costs no hop to the generic executor (only `poll` does, once per batch).
        public mutating func next(isolation actor: isolated (any Actor)?) async throws -> ConsumerRecord? {
            while index == pending.count {
                do {
                    pending = try await consumer.poll(timeout: .seconds(1))
                } catch KafkaClientError.closed {
                    return nil
                }
                index = 0
                if Task.isCancelled { return nil }
            }
            defer { index += 1 }
            return pending[index]
        }
    }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(consumer: consumer) }
}

/// How a group's partitions are divided among its members (`partition.assignment.strategy`).
public enum AssignmentStrategy: String, Sendable, CaseIterable {
    /// Each topic's partitions in contiguous ranges over the members subscribed to it
    /// (eager: every rebalance revokes everything first).
    case range
    /// Balanced, keeping each member's partitions where it can, and revoking only what moves
    /// (incremental cooperative rebalancing, KIP-429).
    case cooperativeSticky = "cooperative-sticky"
}

/// A consumer's settings; the defaults are the Java consumer's.
public struct ConsumerConfiguration: Sendable {
    public var client: KafkaClientConfiguration
    /// The consumer group (`group.id`); nil for a consumer that only assigns partitions.
    public var groupID: String?
    /// Static membership (`group.instance.id`): a restart within the session timeout gets the
    /// same partitions back without a rebalance.
    public var groupInstanceID: String?
    public var assignmentStrategy: AssignmentStrategy = .range
    /// `session.timeout.ms` (45 s).
    public var sessionTimeout: Duration = .seconds(45)
    /// `max.poll.interval.ms` sent as the rebalance timeout (5 min).
    public var rebalanceTimeout: Duration = .seconds(300)
    /// `heartbeat.interval.ms` (3 s).
    public var heartbeatInterval: Duration = .seconds(3)
    /// `enable.auto.commit`: positions are committed every `autoCommitInterval`, on rebalance and on close.
    public var autoCommit: Bool = true
    public var autoCommitInterval: Duration = .seconds(5)
    public var autoOffsetReset: OffsetReset = .latest
    public var isolationLevel: IsolationLevel = .readUncommitted
    /// `fetch.min.bytes`, `fetch.max.wait.ms`, `fetch.max.bytes`, `max.partition.fetch.bytes`.
    public var fetchMinBytes: Int32 = 1
    public var fetchMaxWait: Duration = .milliseconds(500)
    public var fetchMaxBytes: Int32 = 50 << 20
    public var maxPartitionFetchBytes: Int32 = 1 << 20
    /// Decoded bytes kept ahead of the application per partition before fetching pauses.
    public var prefetchBytesPerPartition: Int = 4 << 20
    /// `max.poll.records` (500).
    public var maxPollRecords: Int = 500

    public init(client: KafkaClientConfiguration, groupID: String? = nil) {
        self.client = client
        self.groupID = groupID
    }

    /// A consumer for `bootstrap` (comma-separated `host:port` list), in `groupID` if given.
    public init(bootstrap: String, groupID: String? = nil) {
        self.init(client: KafkaClientConfiguration(bootstrap: bootstrap), groupID: groupID)
    }
}

/// Told when the partitions of a group member change. Called in order, before the consumer
/// fetches from newly assigned partitions and after it stopped returning revoked ones.
public struct RebalanceListener: Sendable {
    public var onAssigned: @Sendable ([TopicPartition]) async -> Void
    public var onRevoked: @Sendable ([TopicPartition]) async -> Void
    /// Partitions lost without a chance to commit (the member was fenced out of the group).
    public var onLost: @Sendable ([TopicPartition]) async -> Void

    public init(
        onAssigned: @escaping @Sendable ([TopicPartition]) async -> Void = { _ in },
        onRevoked: @escaping @Sendable ([TopicPartition]) async -> Void = { _ in },
        onLost: @escaping @Sendable ([TopicPartition]) async -> Void = { _ in }
    ) {
        self.onAssigned = onAssigned
        self.onRevoked = onRevoked
        self.onLost = onLost
    }
}

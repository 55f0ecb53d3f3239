import GroupCoordination
import LogStore

/// The broker's settings, with Kafka's names and defaults.
public struct BrokerConfiguration: Sendable {
    public var nodeID: Int32 = 0
    /// The address clients are given (`advertised.listeners`).
    public var advertisedHost = "127.0.0.1"
    public var advertisedPort: Int32 = 9092
    /// `auto.create.topics.enable` (true).
    public var autoCreateTopics = true
    /// `num.partitions` (1): partitions of an auto-created topic, or of CreateTopics with -1.
    public var defaultPartitions: Int32 = 1
    /// `default.replication.factor` (1 on one node).
    public var defaultReplicationFactor: Int16 = 1
    /// `socket.request.max.bytes` (100 MiB): larger requests close the connection.
    public var maxRequestBytes = 100 * 1024 * 1024
    /// `connections.max.idle.ms` (10 minutes).
    public var connectionsMaxIdleMs: Int64 = 600_000
    /// `offsets.topic.num.partitions` (50): partitions of `__consumer_offsets`.
    public var offsetsTopicPartitions: Int32 = 50
    /// `offsets.retention.minutes` (7 days): committed offsets of an empty group expire this
    /// long after it became empty (or after each commit, for a group that never had members).
    public var offsetsRetentionMs: Int64 = 7 * 24 * 3_600_000
    /// `offsets.retention.check.interval.ms` (10 minutes).
    public var offsetsRetentionCheckIntervalMs: Int64 = 600_000
    /// Rebalance settings (`group.*`).
    public var groups = GroupConfiguration()
    /// Consumer-protocol group settings (`group.consumer.*`).
    public var consumerGroups = ConsumerGroupConfiguration()
    /// Broker-wide log defaults (topic settings override them).
    public var logDefaults = LogConfiguration()

    public init() {}
}

/// A topic to create.
public struct NewTopic: Sendable, Equatable {
    public var name: String
    /// -1 takes the broker's `num.partitions`.
    public var partitions: Int32
    /// -1 takes the broker's `default.replication.factor`.
    public var replicationFactor: Int16
    public var configs: [String: String]

    public init(name: String, partitions: Int32 = -1, replicationFactor: Int16 = -1, configs: [String: String] = [:]) {
        self.name = name
        self.partitions = partitions
        self.replicationFactor = replicationFactor
        self.configs = configs
    }
}

/// What a configuration request is about.
public enum ConfigResource: Sendable, Hashable {
    case topic(String)
    case broker(Int32)

    var wireType: Int8 {
        switch self {
        case .topic: 2
        case .broker: 4
        }
    }

    var wireName: String {
        switch self {
        case .topic(let name): name
        case .broker(let id): String(id)
        }
    }
}

/// One configuration value as the broker describes it.
public struct ConfigEntry: Sendable, Equatable {
    public var name: String
    /// Nil for sensitive values.
    public var value: String?
    public var isDefault: Bool
    public var isReadOnly: Bool
    public var isSensitive: Bool
}

/// A change to one configuration key (IncrementalAlterConfigs).
public enum ConfigChange: Sendable, Equatable {
    case set(String, String)
    case delete(String)
}

/// A group in ListGroups.
public struct GroupListing: Sendable, Equatable {
    public var groupID: String
    public var protocolType: String
    /// Empty when the broker does not say (ListGroups before v4).
    public var state: String
}

/// A group member as DescribeGroups reports it.
public struct GroupMemberDescription: Sendable, Equatable {
    public var memberID: String
    public var groupInstanceID: String?
    public var clientID: String
    public var host: String
    /// Decoded from the consumer protocol's assignment (empty for other protocol types).
    public var assignment: [TopicPartition]
}

/// A group as DescribeGroups reports it.
public struct GroupDescription: Sendable, Equatable {
    public var groupID: String
    public var state: String
    public var protocolType: String
    /// The assignor in use (`range`, `cooperative-sticky`, ...).
    public var assignmentStrategy: String
    public var members: [GroupMemberDescription]
}

/// A partition's committed offset next to its end, as `kafka-consumer-groups --describe` prints.
public struct PartitionLag: Sendable, Equatable {
    public var partition: TopicPartition
    /// Nil when the group has committed nothing for it.
    public var committedOffset: Int64?
    public var endOffset: Int64
    /// `endOffset - committedOffset`; nil without a committed offset.
    public var lag: Int64? { committedOffset.map { max(0, endOffset - $0) } }
    /// The member reading it, if any.
    public var memberID: String?
}

/// The cluster as DescribeCluster reports it.
public struct ClusterDescription: Sendable, Equatable {
    public var clusterID: String
    public var controllerID: Int32
    public var brokers: [BrokerAddress]
}

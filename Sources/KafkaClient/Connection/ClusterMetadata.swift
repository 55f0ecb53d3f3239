import KafkaProtocol

/// A topic and one of its partitions.
public struct TopicPartition: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var topic: String
    public var partition: Int32

    public init(_ topic: String, _ partition: Int32) {
        self.topic = topic
        self.partition = partition
    }

    public static func < (a: TopicPartition, b: TopicPartition) -> Bool {
        a.topic != b.topic ? a.topic < b.topic : a.partition < b.partition
    }

    public var description: String { "\(topic)-\(partition)" }
}

/// One partition as the cluster's metadata describes it.
public struct PartitionMetadata: Sendable, Equatable {
    public var partition: Int32
    /// The leader's node id, -1 while there is none.
    public var leader: Int32
    public var leaderEpoch: Int32
    public var replicas: [Int32]
    public var inSyncReplicas: [Int32]
    public var error: KafkaErrorCode
}

/// One topic as the cluster's metadata describes it.
public struct TopicMetadata: Sendable, Equatable {
    public var name: String
    public var isInternal: Bool
    /// Sorted by partition index.
    public var partitions: [PartitionMetadata]
    public var error: KafkaErrorCode
    var topicID: KafkaUUID = .zero
}

/// What the client knows of the cluster: its brokers, its controller and the topics asked about.
public struct ClusterMetadata: Sendable, Equatable {
    public var clusterID: String?
    public var controllerID: Int32 = -1
    public var brokers: [Int32: BrokerAddress] = [:]
    public var topics: [String: TopicMetadata] = [:]

    public init() {}

    /// Builds the model from a Metadata response; `merging` keeps topics the response did not
    /// mention (a refresh of some topics must not forget the others).
    init(_ response: MetadataResponse, merging previous: ClusterMetadata? = nil, allTopics: Bool) {
        clusterID = response.clusterID
        controllerID = response.controllerID
        for broker in response.brokers {
            brokers[broker.nodeID] = BrokerAddress(host: broker.host, port: Int(broker.port), nodeID: broker.nodeID)
        }
        if let previous, !allTopics { topics = previous.topics }
        for topic in response.topics {
            guard let name = topic.name else { continue }
            let partitions = topic.partitions.map {
                PartitionMetadata(partition: $0.partitionIndex, leader: $0.leaderID, leaderEpoch: $0.leaderEpoch,
                                  replicas: $0.replicaNodes, inSyncReplicas: $0.isrNodes, error: KafkaErrorCode(rawValue: $0.errorCode))
            }.sorted { $0.partition < $1.partition }
            let error = KafkaErrorCode(rawValue: topic.errorCode)
            if error == .unknownTopicOrPartition || error == .unknownTopicID {
                topics[name] = nil
                continue
            }
            topics[name] = TopicMetadata(name: name, isInternal: topic.isInternal, partitions: partitions, error: error, topicID: topic.topicID)
        }
    }

    /// The leader of a partition, nil when unknown or without one.
    public func leader(of partition: TopicPartition) -> Int32? {
        guard let topic = topics[partition.topic], partition.partition >= 0, Int(partition.partition) < topic.partitions.count else { return nil }
        let metadata = topic.partitions[Int(partition.partition)]
        return metadata.partition == partition.partition && metadata.leader >= 0 ? metadata.leader : nil
    }

    /// The number of partitions of a topic, nil when the topic is unknown.
    public func partitionCount(_ topic: String) -> Int32? {
        topics[topic].map { Int32($0.partitions.count) }
    }
}

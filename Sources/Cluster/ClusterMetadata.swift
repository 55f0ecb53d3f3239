/// The cluster's metadata: brokers, the controller, and every topic with its partitions. Pure:
/// mutations validate and change the value; a metadata store persists it (the local file for
/// one node, etcd for a cluster).
public struct ClusterMetadata: Sendable, Equatable, Codable {
    /// Kafka's cluster id, fixed when the data directory is first used.
    public var clusterID: String
    public var controllerID: Int32
    public var brokers: [BrokerInfo]
    public private(set) var topics: [String: TopicMetadata] = [:]
    /// The next id for an idempotent producer (InitProducerId); never reused.
    public var nextProducerID: Int64 = 0

    private enum CodingKeys: String, CodingKey {
        case clusterID, controllerID, brokers, topics, nextProducerID
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        clusterID = try container.decode(String.self, forKey: .clusterID)
        controllerID = try container.decode(Int32.self, forKey: .controllerID)
        brokers = try container.decode([BrokerInfo].self, forKey: .brokers)
        topics = try container.decode([String: TopicMetadata].self, forKey: .topics)
        nextProducerID = try container.decodeIfPresent(Int64.self, forKey: .nextProducerID) ?? 0
    }

    public init(clusterID: String, controllerID: Int32, brokers: [BrokerInfo]) {
        self.clusterID = clusterID
        self.controllerID = controllerID
        self.brokers = brokers
    }

    /// Kafka's limit on partitions per topic create request is the broker's memory; this cap
    /// keeps a typo (or a hostile request) from creating millions of directories.
    public static let maxPartitionsPerTopic: Int32 = 100_000

    /// Creates a topic whose partitions are led by brokers in turn, starting at the partition's
    /// index, as Kafka's replica placement does without racks.
    /// - Parameters:
    ///   - validateConfigs: checks the overrides (the log store's rules); throws a message for
    ///     INVALID_CONFIG (40).
    public mutating func createTopic(
        name: String, partitionCount: Int32, replicationFactor: Int16, configs: [String: String],
        topicID: String, validateConfigs: ([String: String]) throws -> Void
    ) throws(MetadataError) {
        if let reason = TopicName.validationError(name) {
            throw MetadataError(code: 17, message: reason)
        }
        if topics[name] != nil {
            throw MetadataError(code: 36, message: "topic '\(name)' already exists")
        }
        if let existing = topics.keys.first(where: { TopicName.collides(name, with: $0) }) {
            throw MetadataError(code: 17, message: "topic '\(name)' collides with existing topic '\(existing)' ('.' and '_' are interchangeable in metric names)")
        }
        guard (1...Self.maxPartitionsPerTopic).contains(partitionCount) else {
            throw MetadataError(code: 37, message: "the number of partitions must be from 1 to \(Self.maxPartitionsPerTopic), not \(partitionCount)")
        }
        guard replicationFactor >= 1 else {
            throw MetadataError(code: 38, message: "the replication factor must be at least 1, not \(replicationFactor)")
        }
        guard Int(replicationFactor) <= brokers.count else {
            throw MetadataError(code: 38, message: "replication factor \(replicationFactor) is larger than the \(brokers.count) available broker(s)")
        }
        do {
            try validateConfigs(configs)
        } catch {
            throw MetadataError(code: 40, message: "\(error)")
        }
        topics[name] = TopicMetadata(
            name: name, topicID: topicID,
            partitions: (0..<partitionCount).map { placement(index: $0, replicationFactor: replicationFactor) },
            configs: configs)
    }

    /// Deletes a topic; its data is removed by the caller.
    public mutating func deleteTopic(name: String) throws(MetadataError) {
        guard topics.removeValue(forKey: name) != nil else { throw .unknownTopic(name) }
    }

    /// Grows a topic to `totalCount` partitions (Kafka never shrinks one).
    public mutating func createPartitions(topic name: String, totalCount: Int32) throws(MetadataError) {
        guard var topic = topics[name] else { throw .unknownTopic(name) }
        let current = Int32(topic.partitions.count)
        guard totalCount > current else {
            throw MetadataError(code: 37, message: "topic '\(name)' has \(current) partitions; the new count \(totalCount) must be larger")
        }
        guard totalCount <= Self.maxPartitionsPerTopic else {
            throw MetadataError(code: 37, message: "at most \(Self.maxPartitionsPerTopic) partitions per topic")
        }
        let replicationFactor = Int16(topic.partitions.first?.replicas.count ?? 1)
        topic.partitions += (current..<totalCount).map { placement(index: $0, replicationFactor: replicationFactor) }
        topics[name] = topic
    }

    /// Replaces a topic's config overrides (AlterConfigs) after validating them.
    public mutating func setConfigs(
        topic name: String, _ configs: [String: String], validateConfigs: ([String: String]) throws -> Void
    ) throws(MetadataError) {
        guard topics[name] != nil else { throw .unknownTopic(name) }
        do {
            try validateConfigs(configs)
        } catch {
            throw MetadataError(code: 40, message: "\(error)")
        }
        topics[name]?.configs = configs
    }

    private func placement(index: Int32, replicationFactor: Int16) -> PartitionMetadata {
        let ids = brokers.map(\.nodeID).sorted()
        let replicas = (0..<Int(replicationFactor)).map { ids[(Int(index) + $0) % ids.count] }
        return PartitionMetadata(index: index, leader: replicas[0], leaderEpoch: 0, replicas: replicas, inSyncReplicas: replicas)
    }
}

import BrokerCore
import Cluster
import Foundation
import Logging
import LogStore
import Synchronization

/// Topics and their partition logs: the single node's metadata (kept in
/// `cluster-metadata.json`) together with the log of every partition. Changes are persisted
/// before they are visible.
public final class TopicManager: Sendable {
    public let logs: LogManager
    let configuration: BrokerConfiguration
    private let store: LocalMetadataStore
    private let state: Mutex<ClusterMetadata>
    private let logger: Logger

    /// Loads (or, on first start, creates) the metadata and opens every partition's log.
    public init(logs: LogManager, configuration: BrokerConfiguration, logger: Logger) throws {
        self.logs = logs
        self.configuration = configuration
        self.logger = logger
        self.store = LocalMetadataStore(dataDirectory: logs.dataDirectory)
        var metadata = try store.load() ?? ClusterMetadata(clusterID: Self.newClusterID(), controllerID: configuration.nodeID, brokers: [])
        metadata.controllerID = configuration.nodeID
        metadata.brokers = [BrokerInfo(nodeID: configuration.nodeID, host: configuration.advertisedHost, port: configuration.advertisedPort)]
        try store.save(metadata)
        self.state = Mutex(metadata)
    }

    /// The current metadata.
    public var metadata: ClusterMetadata { state.withLock { $0 } }

    /// The effective log settings of a topic: broker defaults with its overrides.
    public func logConfiguration(for topic: TopicMetadata) throws -> LogConfiguration {
        try LogConfiguration(properties: topic.configs.filter { LogConfiguration.keys.contains($0.key) }, defaults: configuration.logDefaults)
    }

    /// Topic-level settings the broker accepts besides the log settings.
    static let otherTopicKeys: Set<String> = ["compression.type", "min.insync.replicas", "unclean.leader.election.enable"]

    func validate(_ configs: [String: String]) throws {
        for key in configs.keys where !LogConfiguration.keys.contains(key) && !Self.otherTopicKeys.contains(key)
            && !TopicSchemaValidation.configNames.contains(key) {
            throw LogConfigurationError(key: key, value: configs[key] ?? "", reason: "unknown topic setting")
        }
        if let compression = configs["compression.type"], TopicCompression.names[compression] == nil {
            throw LogConfigurationError(key: "compression.type", value: compression,
                                        reason: "expected producer, uncompressed, gzip, snappy, lz4 or zstd")
        }
        do {
            try TopicSchemaValidation.validate(configs)
        } catch {
            throw LogConfigurationError(key: error.key, value: error.value, reason: error.reason)
        }
        _ = try LogConfiguration(properties: configs.filter { LogConfiguration.keys.contains($0.key) }, defaults: configuration.logDefaults)
    }

    /// Creates a topic and its partition logs.
    @discardableResult
    public func createTopic(name: String, partitions: Int32, replicationFactor: Int16, configs: [String: String], validateOnly: Bool = false) throws(MetadataError) -> TopicMetadata {
        let created = try state.withLock { (metadata) throws(MetadataError) -> TopicMetadata in
            var copy = metadata
            try copy.createTopic(name: name, partitionCount: partitions, replicationFactor: replicationFactor,
                                 configs: configs, topicID: Self.newTopicID(), validateConfigs: validate)
            let topic = copy.topics[name]!
            guard !validateOnly else { return topic }
            do {
                try store.save(copy)
            } catch {
                throw MetadataError(code: KafkaErrorCode.kafkaStorageError.rawValue, message: "cannot save metadata: \(error)")
            }
            metadata = copy
            return topic
        }
        guard !validateOnly else { return created }
        do {
            let logConfiguration = try logConfiguration(for: created)
            for partition in created.partitions {
                _ = try logs.createPartitionLog(topic: name, partition: partition.index, configuration: logConfiguration)
            }
        } catch {
            throw MetadataError(code: KafkaErrorCode.kafkaStorageError.rawValue, message: "cannot create the logs of '\(name)': \(error)")
        }
        logger.info("created topic", metadata: ["topic": "\(name)", "partitions": "\(partitions)"])
        return created
    }

    /// A topic, auto-created with the defaults when allowed and enabled.
    public func topic(named name: String, autoCreate: Bool) throws(MetadataError) -> TopicMetadata {
        if let topic = state.withLock({ $0.topics[name] }) { return topic }
        guard autoCreate && configuration.autoCreateTopics else { throw .unknownTopic(name) }
        do {
            return try createTopic(name: name, partitions: configuration.defaultPartitions,
                                   replicationFactor: min(configuration.defaultReplicationFactor, 1), configs: [:])
        } catch where error.code == KafkaErrorCode.topicAlreadyExists.rawValue {
            // Created concurrently by another request.
            guard let topic = state.withLock({ $0.topics[name] }) else { throw error }
            return topic
        }
    }

    /// Deletes a topic and its data.
    public func deleteTopic(name: String) throws(MetadataError) {
        let removed = try state.withLock { (metadata) throws(MetadataError) -> TopicMetadata in
            guard let topic = metadata.topics[name] else { throw .unknownTopic(name) }
            var copy = metadata
            try copy.deleteTopic(name: name)
            do { try store.save(copy) } catch {
                throw MetadataError(code: KafkaErrorCode.kafkaStorageError.rawValue, message: "cannot save metadata: \(error)")
            }
            metadata = copy
            return topic
        }
        for partition in removed.partitions {
            try? logs.deletePartitionLog(topic: name, partition: partition.index)
        }
        logger.info("deleted topic", metadata: ["topic": "\(name)"])
    }

    /// Replaces a topic's config overrides and applies them to its logs (AlterConfigs).
    public func setConfigs(topic name: String, _ configs: [String: String], validateOnly: Bool) throws(MetadataError) {
        let updated = try state.withLock { (metadata) throws(MetadataError) -> TopicMetadata? in
            var copy = metadata
            try copy.setConfigs(topic: name, configs, validateConfigs: validate)
            guard !validateOnly else { return nil }
            do { try store.save(copy) } catch {
                throw MetadataError(code: KafkaErrorCode.kafkaStorageError.rawValue, message: "cannot save metadata: \(error)")
            }
            metadata = copy
            return copy.topics[name]
        }
        guard let updated, let logConfiguration = try? logConfiguration(for: updated) else { return }
        for partition in updated.partitions {
            logs.partitionLog(topic: name, partition: partition.index)?.update(configuration: logConfiguration)
        }
    }

    /// Grows a topic to `count` partitions (CreatePartitions).
    public func createPartitions(topic name: String, count: Int32, validateOnly: Bool) throws(MetadataError) {
        let updated = try state.withLock { (metadata) throws(MetadataError) -> TopicMetadata? in
            var copy = metadata
            try copy.createPartitions(topic: name, totalCount: count)
            guard !validateOnly else { return nil }
            do { try store.save(copy) } catch {
                throw MetadataError(code: KafkaErrorCode.kafkaStorageError.rawValue, message: "cannot save metadata: \(error)")
            }
            metadata = copy
            return copy.topics[name]
        }
        guard let updated else { return }
        do {
            let logConfiguration = try logConfiguration(for: updated)
            for partition in updated.partitions {
                _ = try logs.createPartitionLog(topic: name, partition: partition.index, configuration: logConfiguration)
            }
        } catch {
            throw MetadataError(code: KafkaErrorCode.kafkaStorageError.rawValue, message: "cannot create the new logs of '\(name)': \(error)")
        }
    }

    /// The partition log, if the topic and partition exist.
    public func partitionLog(topic: String, partition: Int32) -> PartitionLog? {
        logs.partitionLog(topic: topic, partition: partition)
    }

    /// Opens the logs of every known topic with their settings (after `LogManager.loadAll`).
    public func openAllLogs() throws {
        for topic in metadata.topics.values {
            let logConfiguration = try logConfiguration(for: topic)
            for partition in topic.partitions {
                let log = try logs.createPartitionLog(topic: topic.name, partition: partition.index, configuration: logConfiguration)
                log.update(configuration: logConfiguration)
            }
        }
    }

    /// Allocates a producer id for an idempotent producer (persisted, never reused).
    public func allocateProducerID() throws -> Int64 {
        try state.withLock { metadata in
            var copy = metadata
            let id = copy.nextProducerID
            copy.nextProducerID += 1
            try store.save(copy)
            metadata = copy
            return id
        }
    }

    static func newClusterID() -> String {
        // Kafka's cluster ids are URL-safe base64 of a UUID, 22 characters.
        let uuid = UUID()
        let bytes = withUnsafeBytes(of: uuid.uuid) { Array($0) }
        return String(Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").prefix(22))
    }

    static func newTopicID() -> String {
        UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
    }
}

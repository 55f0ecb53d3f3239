import KafkaProtocol

/// Administers a cluster: topics and their partitions and configurations, consumer groups
/// and their offsets, and the cluster's brokers. Requests go to the controller (topics), the
/// group's coordinator (groups) or any broker, and are retried on retriable errors.
///
/// ```swift
/// let admin = try KafkaAdmin(configuration: KafkaClientConfiguration(bootstrap: "127.0.0.1:9092"))
/// try await admin.createTopics([NewTopic(name: "greetings", partitions: 3)])
/// for lag in try await admin.groupLag("readers") { print(lag.partition, lag.lag ?? -1) }
/// await admin.close()
/// ```
public final class KafkaAdmin: Sendable {
    let cluster: KafkaCluster
    let timeout: Duration

    public init(configuration: KafkaClientConfiguration) throws {
        var configuration = configuration
        // An admin client looks at topics; it must not create them by asking.
        configuration.allowAutoTopicCreation = false
        self.cluster = try KafkaCluster(configuration: configuration)
        self.timeout = configuration.requestTimeout
    }

    public func close() async {
        await cluster.close()
    }

    private func controller() async throws -> BrokerConnection {
        let metadata = try await cluster.refreshMetadata()
        return metadata.controllerID >= 0 ? try await cluster.connection(to: metadata.controllerID) : try await cluster.anyConnection()
    }

    // MARK: Topics

    /// Creates topics; throws on the first that fails (TOPIC_ALREADY_EXISTS included).
    public func createTopics(_ topics: [NewTopic], validateOnly: Bool = false) async throws {
        var request = CreateTopicsRequest()
        request.timeoutMs = Int32(clamping: timeout.milliseconds)
        request.validateOnly = validateOnly
        request.topics = topics.map { topic in
            var entry = CreateTopicsRequest.CreatableTopic()
            entry.name = topic.name
            entry.numPartitions = topic.partitions
            entry.replicationFactor = topic.replicationFactor
            entry.configs = topic.configs.sorted { $0.key < $1.key }.map {
                var config = CreateTopicsRequest.CreatableTopic.CreatableTopicConfig()
                config.name = $0.key
                config.value = $0.value
                return config
            }
            return entry
        }
        let response = try await controller().send(request)
        for result in response.topics {
            try KafkaClientError.check(result.errorCode, "creating topic '\(result.name)'\(result.errorMessage.map { " (\($0))" } ?? "")")
        }
    }

    /// Deletes topics by name.
    public func deleteTopics(_ names: [String]) async throws {
        var request = DeleteTopicsRequest()
        request.topicNames = names
        request.timeoutMs = Int32(clamping: timeout.milliseconds)
        let response = try await controller().send(request)
        for result in response.responses {
            try KafkaClientError.check(result.errorCode, "deleting topic '\(result.name ?? "?")'\(result.errorMessage.map { " (\($0))" } ?? "")")
        }
        await cluster.invalidateMetadata()
    }

    /// The names of every topic (internal ones only when asked).
    public func listTopics(includeInternal: Bool = false) async throws -> [String] {
        let metadata = try await cluster.refreshMetadata(all: true)
        return metadata.topics.values.filter { includeInternal || !$0.isInternal }.map(\.name).sorted()
    }

    /// The partitions, leaders and replicas of topics.
    /// - Throws: UNKNOWN_TOPIC_OR_PARTITION for a topic that does not exist.
    public func describeTopics(_ names: [String]) async throws -> [TopicMetadata] {
        var result: [TopicMetadata] = []
        let metadata = try await cluster.refreshMetadata(topics: names)
        for name in names {
            guard let topic = metadata.topics[name] else { throw KafkaClientError.broker(.unknownTopicOrPartition, "describing topic '\(name)'") }
            result.append(topic)
        }
        return result
    }

    /// Grows a topic to `totalCount` partitions.
    public func createPartitions(_ topic: String, totalCount: Int32) async throws {
        var request = CreatePartitionsRequest()
        var entry = CreatePartitionsRequest.CreatePartitionsTopic()
        entry.name = topic
        entry.count = totalCount
        entry.assignments = nil
        request.topics = [entry]
        request.timeoutMs = Int32(clamping: timeout.milliseconds)
        let response = try await controller().send(request)
        for result in response.results {
            try KafkaClientError.check(result.errorCode, "adding partitions to '\(result.name)'\(result.errorMessage.map { " (\($0))" } ?? "")")
        }
        await cluster.invalidateMetadata()
    }

    // MARK: Configurations

    /// The configuration of a topic or broker (every key, or only `keys`).
    public func describeConfigs(_ resource: ConfigResource, keys: [String]? = nil) async throws -> [ConfigEntry] {
        var request = DescribeConfigsRequest()
        var entry = DescribeConfigsRequest.DescribeConfigsResource()
        entry.resourceType = resource.wireType
        entry.resourceName = resource.wireName
        entry.configurationKeys = keys
        request.resources = [entry]
        let connection: BrokerConnection
        if case .broker(let id) = resource { connection = try await cluster.connection(to: id) } else { connection = try await cluster.anyConnection() }
        let response = try await connection.send(request)
        guard let result = response.results.first else { throw KafkaClientError.protocolViolation("DescribeConfigs answered no resource") }
        try KafkaClientError.check(result.errorCode, "describing the configuration of \(resource)\(result.errorMessage.map { " (\($0))" } ?? "")")
        return result.configs.map {
            ConfigEntry(name: $0.name, value: $0.value, isDefault: $0.isDefault || $0.configSource == 5, isReadOnly: $0.readOnly, isSensitive: $0.isSensitive)
        }.sorted { $0.name < $1.name }
    }

    /// Sets or deletes configuration keys of a topic or broker (IncrementalAlterConfigs).
    public func alterConfigs(_ resource: ConfigResource, _ changes: [ConfigChange], validateOnly: Bool = false) async throws {
        var request = IncrementalAlterConfigsRequest()
        request.validateOnly = validateOnly
        var entry = IncrementalAlterConfigsRequest.AlterConfigsResource()
        entry.resourceType = resource.wireType
        entry.resourceName = resource.wireName
        entry.configs = changes.map { change in
            var config = IncrementalAlterConfigsRequest.AlterConfigsResource.AlterableConfig()
            switch change {
            case .set(let name, let value):
                config.name = name
                config.configOperation = 0
                config.value = value
            case .delete(let name):
                config.name = name
                config.configOperation = 1
                config.value = nil
            }
            return config
        }
        request.resources = [entry]
        let response = try await controller().send(request)
        for result in response.responses {
            try KafkaClientError.check(result.errorCode, "altering the configuration of \(resource)\(result.errorMessage.map { " (\($0))" } ?? "")")
        }
    }

    // MARK: Cluster

    /// The cluster id, the controller and every broker.
    public func describeCluster() async throws -> ClusterDescription {
        let connection = try await cluster.anyConnection()
        if connection.supports(DescribeClusterRequest.self) {
            let response = try await connection.send(DescribeClusterRequest())
            try KafkaClientError.check(response.errorCode, "DescribeCluster\(response.errorMessage.map { " (\($0))" } ?? "")")
            return ClusterDescription(
                clusterID: response.clusterID, controllerID: response.controllerID,
                brokers: response.brokers.map { BrokerAddress(host: $0.host, port: Int($0.port), nodeID: $0.brokerID) }.sorted { $0.nodeID < $1.nodeID })
        }
        let metadata = try await cluster.refreshMetadata()
        return ClusterDescription(clusterID: metadata.clusterID ?? "", controllerID: metadata.controllerID,
                                  brokers: metadata.brokers.values.sorted { $0.nodeID < $1.nodeID })
    }
}

import BrokerCore
import Cluster
import KafkaProtocol
import LogStore

/// DescribeConfigs, AlterConfigs and IncrementalAlterConfigs for topics (resource type 2) and
/// the broker (type 4, read-only here).
extension Broker {
    static let topicResource: Int8 = 2
    static let brokerResource: Int8 = 4

    /// Config sources (DescribeConfigs v1+).
    enum ConfigSource: Int8 {
        case dynamicTopic = 1
        case staticBroker = 4
        case defaultConfig = 5
    }

    /// Kafka's config types (DescribeConfigs v3+), for the settings Sluice reports.
    static func configType(_ name: String) -> Int8 {
        switch name {
        case "cleanup.policy": 7  // LIST
        case "message.timestamp.type", "compression.type": 2  // STRING
        case "min.cleanable.dirty.ratio": 6  // DOUBLE
        case "unclean.leader.election.enable", "auto.create.topics.enable",
             "confluent.key.schema.validation", "confluent.value.schema.validation": 1  // BOOLEAN
        case _ where TopicSchemaValidation.configNames.contains(name): 2  // STRING
        case "index.interval.bytes", "segment.bytes", "segment.index.bytes", "max.message.bytes",
             "min.insync.replicas", "num.partitions", "broker.id": 3  // INT
        default: 5  // LONG
        }
    }

    /// Every topic setting with its effective value (pitfall 16: clients expect them all).
    func describedTopicConfigs(_ topic: TopicMetadata) -> [(String, String, ConfigSource)] {
        let effective = (try? topics.logConfiguration(for: topic)) ?? configuration.logDefaults
        var values = effective.properties.mapValues { ($0, ConfigSource.defaultConfig) }
        values["compression.type"] = ("producer", .defaultConfig)
        values["min.insync.replicas"] = ("1", .defaultConfig)
        values["unclean.leader.election.enable"] = ("false", .defaultConfig)
        for (key, value) in TopicSchemaValidation.defaults { values[key] = (value, .defaultConfig) }
        for (key, value) in topic.configs { values[key] = (value, .dynamicTopic) }
        return values.keys.sorted().map { ($0, values[$0]!.0, values[$0]!.1) }
    }

    func describedBrokerConfigs() -> [(String, String, ConfigSource)] {
        var values: [String: String] = [
            "broker.id": "\(configuration.nodeID)", "node.id": "\(configuration.nodeID)",
            "auto.create.topics.enable": "\(configuration.autoCreateTopics)",
            "num.partitions": "\(configuration.defaultPartitions)",
            "default.replication.factor": "\(configuration.defaultReplicationFactor)",
            "socket.request.max.bytes": "\(configuration.maxRequestBytes)",
            "connections.max.idle.ms": "\(configuration.connectionsMaxIdleMs)",
        ]
        for (key, value) in configuration.logDefaults.properties { values["log.\(key)"] = value }
        return values.keys.sorted().map { ($0, values[$0]!, .staticBroker) }
    }

    func describeConfigs(_ request: DescribeConfigsRequest, _ context: RequestContext) -> DescribeConfigsResponse {
        let version = context.apiVersion
        var response = DescribeConfigsResponse()
        response.results = request.resources.map { resource in
            var result = DescribeConfigsResponse.DescribeConfigsResult()
            result.resourceType = resource.resourceType
            result.resourceName = resource.resourceName
            result.errorMessage = nil
            let entries: [(String, String, ConfigSource)]
            switch resource.resourceType {
            case Self.topicResource:
                guard let topic = topics.metadata.topics[resource.resourceName] else {
                    result.errorCode = KafkaErrorCode.unknownTopicOrPartition.rawValue
                    result.errorMessage = "topic '\(resource.resourceName)' does not exist"
                    return result
                }
                entries = describedTopicConfigs(topic)
            case Self.brokerResource:
                entries = describedBrokerConfigs()
            default:
                result.errorCode = KafkaErrorCode.invalidRequest.rawValue
                result.errorMessage = "resource type \(resource.resourceType) is not supported"
                return result
            }
            // A null key list asks for every setting; an empty one for none (as in Kafka).
            let wanted = resource.configurationKeys.map(Set.init)
            result.configs = entries.filter { wanted?.contains($0.0) ?? true }.map { name, value, source in
                var config = DescribeConfigsResponse.DescribeConfigsResult.DescribeConfigsResourceResult()
                config.name = name
                config.value = value
                config.readOnly = resource.resourceType == Self.brokerResource
                config.configSource = source.rawValue
                if version >= 3 {
                    config.configType = Self.configType(name)
                    config.documentation = nil
                }
                if request.includeSynonyms {
                    var synonym = DescribeConfigsResponse.DescribeConfigsResult.DescribeConfigsResourceResult.DescribeConfigsSynonym()
                    synonym.name = name
                    synonym.value = value
                    synonym.source = source.rawValue
                    config.synonyms = [synonym]
                }
                return config
            }
            return result
        }
        return response
    }

    /// AlterConfigs replaces every override of a topic with the given set.
    func alterConfigs(_ request: AlterConfigsRequest, _ context: RequestContext) -> AlterConfigsResponse {
        var response = AlterConfigsResponse()
        response.responses = request.resources.map { resource in
            var result = AlterConfigsResponse.AlterConfigsResourceResponse()
            result.resourceType = resource.resourceType
            result.resourceName = resource.resourceName
            result.errorMessage = nil
            let configs = Dictionary(resource.configs.compactMap { config in config.value.map { (config.name, $0) } }, uniquingKeysWith: { $1 })
            (result.errorCode, result.errorMessage) = applyTopicConfigs(resource.resourceType, resource.resourceName, validateOnly: request.validateOnly) { _ in configs }
            return result
        }
        return response
    }

    /// IncrementalAlterConfigs: SET (0) and DELETE (1) change single overrides; APPEND (2) and
    /// SUBTRACT (3) edit list settings (`cleanup.policy`).
    func incrementalAlterConfigs(_ request: IncrementalAlterConfigsRequest, _ context: RequestContext) -> IncrementalAlterConfigsResponse {
        var response = IncrementalAlterConfigsResponse()
        response.responses = request.resources.map { resource in
            var result = IncrementalAlterConfigsResponse.AlterConfigsResourceResponse()
            result.resourceType = resource.resourceType
            result.resourceName = resource.resourceName
            result.errorMessage = nil
            (result.errorCode, result.errorMessage) = applyTopicConfigs(resource.resourceType, resource.resourceName, validateOnly: request.validateOnly) { (current) throws(MetadataError) -> [String: String] in
                var configs = current
                for change in resource.configs {
                    let list = (configs[change.name] ?? "").split(separator: ",").map(String.init).filter { !$0.isEmpty }
                    switch change.configOperation {
                    case 0: configs[change.name] = change.value
                    case 1: configs[change.name] = nil
                    case 2: configs[change.name] = (list + [change.value ?? ""].filter { !list.contains($0) }).joined(separator: ",")
                    case 3: configs[change.name] = list.filter { $0 != change.value }.joined(separator: ",")
                    default: throw MetadataError(code: KafkaErrorCode.invalidRequest.rawValue, message: "unknown config operation \(change.configOperation)")
                    }
                }
                return configs
            }
            return result
        }
        return response
    }

    private func applyTopicConfigs(
        _ type: Int8, _ name: String, validateOnly: Bool, change: ([String: String]) throws(MetadataError) -> [String: String]
    ) -> (Int16, String?) {
        guard type == Self.topicResource else {
            return (KafkaErrorCode.invalidRequest.rawValue, "only topic configs can be altered; broker settings come from the config file")
        }
        guard let topic = topics.metadata.topics[name] else {
            return (KafkaErrorCode.unknownTopicOrPartition.rawValue, "topic '\(name)' does not exist")
        }
        do throws(MetadataError) {
            try topics.setConfigs(topic: name, try change(topic.configs), validateOnly: validateOnly)
            return (0, nil)
        } catch {
            return (error.code, error.message)
        }
    }
}

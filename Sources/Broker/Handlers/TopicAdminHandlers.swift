import Cluster
import KafkaProtocol

extension Broker {
    /// CreateTopics 2-7: -1 partitions or replication factor (v4+) take the broker defaults;
    /// `validateOnly` checks without creating. Errors carry Kafka's codes and a message.
    func createTopics(_ request: CreateTopicsRequest, _ context: RequestContext) -> CreateTopicsResponse {
        var response = CreateTopicsResponse()
        response.topics = request.topics.map { topic in
            var result = CreateTopicsResponse.CreatableTopicResult()
            result.name = topic.name
            let configs = Dictionary(topic.configs.compactMap { config in config.value.map { (config.name, $0) } }, uniquingKeysWith: { $1 })
            var partitions = topic.numPartitions == -1 ? configuration.defaultPartitions : topic.numPartitions
            var replication = topic.replicationFactor == -1 ? configuration.defaultReplicationFactor : topic.replicationFactor
            do throws(MetadataError) {
                if !topic.assignments.isEmpty {
                    // Manual assignments (numPartitions and replicationFactor are -1 then): each
                    // partition 0..<n once, on brokers that exist.
                    let known = Set(topics.metadata.brokers.map(\.nodeID))
                    let indexes = topic.assignments.map(\.partitionIndex).sorted()
                    guard indexes == Array(0..<Int32(indexes.count)) else {
                        throw MetadataError(code: KafkaErrorCode.invalidReplicaAssignment.rawValue,
                                            message: "assignments must cover partitions 0..<\(indexes.count) once each, got \(indexes)")
                    }
                    guard let first = topic.assignments.first, !first.brokerIDs.isEmpty,
                          topic.assignments.allSatisfy({ $0.brokerIDs.count == first.brokerIDs.count && Set($0.brokerIDs).isSubset(of: known) }) else {
                        throw MetadataError(code: KafkaErrorCode.invalidReplicaAssignment.rawValue,
                                            message: "every partition needs the same number of replicas, on brokers \(known.sorted())")
                    }
                    partitions = Int32(indexes.count)
                    replication = Int16(first.brokerIDs.count)
                }
                let created = try topics.createTopic(name: topic.name, partitions: partitions, replicationFactor: replication,
                                                     configs: configs, validateOnly: request.validateOnly)
                result.topicID = KafkaUUID(bytes: created.topicIDBytes) ?? .zero
                result.numPartitions = Int32(created.partitions.count)
                result.replicationFactor = Int16(created.partitions.first?.replicas.count ?? 1)
                result.configs = []
            } catch {
                result.errorCode = error.code
                result.errorMessage = error.message
                result.numPartitions = -1
                result.replicationFactor = -1
            }
            return result
        }
        return response
    }

    /// DeleteTopics 1-6 (by name; v6 by name or id).
    func deleteTopics(_ request: DeleteTopicsRequest, _ context: RequestContext) -> DeleteTopicsResponse {
        var response = DeleteTopicsResponse()
        let byID = Dictionary(uniqueKeysWithValues: topics.metadata.topics.values.map { (KafkaUUID(bytes: $0.topicIDBytes) ?? .zero, $0.name) })
        let requested: [(String?, KafkaUUID)] = context.apiVersion >= 6
            ? request.topics.map { ($0.name ?? byID[$0.topicID], $0.topicID) }
            : request.topicNames.map { ($0, .zero) }
        response.responses = requested.map { name, id in
            var result = DeleteTopicsResponse.DeletableTopicResult()
            result.name = name
            result.topicID = id
            guard let name else {
                result.errorCode = KafkaErrorCode.unknownTopicOrPartition.rawValue  // UNKNOWN_TOPIC_ID is 100, v6+
                result.errorMessage = "no topic has id \(id)"
                return result
            }
            do throws(MetadataError) {
                try topics.deleteTopic(name: name)
            } catch {
                result.errorCode = error.code
                result.errorMessage = error.message
            }
            return result
        }
        return response
    }

    /// InitProducerId 0-5 for idempotent producers: a new producer id, epoch 0. Transactions
    /// are not supported yet, so a transactional id is refused.
    func initProducerID(_ request: InitProducerIDRequest, _ context: RequestContext) -> InitProducerIDResponse {
        var response = InitProducerIDResponse()
        guard request.transactionalID == nil else {
            response.errorCode = KafkaErrorCode.invalidRequest.rawValue
            response.producerID = -1
            response.producerEpoch = -1
            return response
        }
        do {
            response.producerID = try topics.allocateProducerID()
            response.producerEpoch = 0
        } catch {
            response.errorCode = KafkaErrorCode.kafkaStorageError.rawValue
            response.producerID = -1
            response.producerEpoch = -1
        }
        return response
    }
}

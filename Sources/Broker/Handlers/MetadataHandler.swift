import Cluster
import KafkaProtocol

extension Broker {
    /// Metadata 0-12: brokers, cluster id, controller, and topics with their partitions.
    /// Unknown topics are auto-created when the request allows it (v4+; always before) and
    /// `auto.create.topics.enable` is on. A null topic list (v1+), or an empty one in v0, asks
    /// for every topic. From v10 a topic may be asked for by id alone (the consumer protocol's
    /// clients do): it is answered with its name, or UNKNOWN_TOPIC_ID.
    func metadata(_ request: MetadataRequest, _ context: RequestContext) -> MetadataResponse {
        let version = context.apiVersion
        var response = MetadataResponse()
        let cluster = topics.metadata
        response.brokers = cluster.brokers.map { broker in
            var entry = MetadataResponse.MetadataResponseBroker()
            entry.nodeID = broker.nodeID
            entry.host = broker.host
            entry.port = broker.port
            entry.rack = broker.rack
            return entry
        }
        response.clusterID = cluster.clusterID
        response.controllerID = cluster.controllerID
        let allowAutoCreate = version < 4 || request.allowAutoTopicCreation
        /// A requested topic: by name, or by an id that names no topic.
        enum Wanted { case name(String), unknownID(KafkaUUID) }
        var requested: [Wanted]?
        if let list = request.topics, !(version == 0 && list.isEmpty) {
            let namesByID = Dictionary(cluster.topics.values.map { (KafkaUUID(bytes: $0.topicIDBytes) ?? .zero, $0.name) },
                                       uniquingKeysWith: { first, _ in first })
            requested = list.map { topic in
                if let name = topic.name { return .name(name) }
                return namesByID[topic.topicID].map(Wanted.name) ?? .unknownID(topic.topicID)
            }
        }
        let wanted = requested ?? cluster.topics.keys.sorted().map(Wanted.name)
        response.topics = wanted.map { item in
            var entry = MetadataResponse.MetadataResponseTopic()
            guard case .name(let name) = item else {
                if case .unknownID(let id) = item { entry.topicID = id }
                entry.name = nil
                entry.errorCode = KafkaErrorCode.unknownTopicID.rawValue
                return entry
            }
            entry.name = name
            do throws(MetadataError) {
                let topic = try topics.topic(named: name, autoCreate: requested != nil && allowAutoCreate)
                entry.topicID = KafkaUUID(bytes: topic.topicIDBytes) ?? .zero
                entry.isInternal = TopicName.isInternal(name)
                entry.partitions = topic.partitions.map { partition in
                    var item = MetadataResponse.MetadataResponseTopic.MetadataResponsePartition()
                    item.partitionIndex = partition.index
                    item.leaderID = partition.leader
                    item.leaderEpoch = partition.leaderEpoch
                    item.replicaNodes = partition.replicas
                    item.isrNodes = partition.inSyncReplicas
                    return item
                }
            } catch {
                entry.errorCode = error.code
            }
            return entry
        }
        return response
    }
}

import Cluster
import KafkaProtocol

extension Broker {
    /// Metadata 0-12: brokers, cluster id, controller, and topics with their partitions.
    /// Unknown topics are auto-created when the request allows it (v4+; always before) and
    /// `auto.create.topics.enable` is on. A null topic list (v1+), or an empty one in v0, asks
    /// for every topic.
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
        let requested: [String]?
        if let list = request.topics, !(version == 0 && list.isEmpty) {
            requested = list.map { $0.name ?? "" }
        } else {
            requested = nil
        }
        let names = requested ?? cluster.topics.keys.sorted()
        response.topics = names.map { name in
            var entry = MetadataResponse.MetadataResponseTopic()
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

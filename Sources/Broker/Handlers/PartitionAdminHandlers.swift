import Cluster
import KafkaProtocol
import LogStore

extension Broker {
    /// CreatePartitions 0-3: grows topics; manual assignments (one per new partition) must name
    /// existing brokers.
    func createPartitions(_ request: CreatePartitionsRequest, _ context: RequestContext) -> CreatePartitionsResponse {
        var response = CreatePartitionsResponse()
        response.results = request.topics.map { topic in
            var result = CreatePartitionsResponse.CreatePartitionsTopicResult()
            result.name = topic.name
            do throws(MetadataError) {
                if let assignments = topic.assignments, !assignments.isEmpty {
                    let known = Set(topics.metadata.brokers.map(\.nodeID))
                    let current = topics.metadata.topics[topic.name]?.partitions.count ?? 0
                    guard assignments.count == Int(topic.count) - current,
                          assignments.allSatisfy({ !$0.brokerIDs.isEmpty && Set($0.brokerIDs).isSubset(of: known) }) else {
                        throw MetadataError(code: KafkaErrorCode.invalidReplicaAssignment.rawValue,
                                            message: "give one assignment per new partition (\(Int(topic.count) - current)), on brokers \(known.sorted())")
                    }
                }
                try topics.createPartitions(topic: topic.name, count: topic.count, validateOnly: request.validateOnly)
            } catch {
                result.errorCode = error.code
                result.errorMessage = error.message
            }
            return result
        }
        return response
    }

    /// DeleteRecords 0-2: moves each partition's log start offset (-1: to the high watermark).
    func deleteRecords(_ request: DeleteRecordsRequest, _ context: RequestContext) -> DeleteRecordsResponse {
        var response = DeleteRecordsResponse()
        response.topics = request.topics.map { topic in
            var topicResult = DeleteRecordsResponse.DeleteRecordsTopicResult()
            topicResult.name = topic.name
            topicResult.partitions = topic.partitions.map { partition in
                var result = DeleteRecordsResponse.DeleteRecordsTopicResult.DeleteRecordsPartitionResult()
                result.partitionIndex = partition.partitionIndex
                guard let log = topics.partitionLog(topic: topic.name, partition: partition.partitionIndex) else {
                    result.errorCode = KafkaErrorCode.unknownTopicOrPartition.rawValue
                    result.lowWatermark = -1
                    return result
                }
                do throws(LogStoreError) {
                    result.lowWatermark = try log.deleteRecords(before: partition.offset == -1 ? log.logEndOffset : partition.offset)
                } catch {
                    result.errorCode = Self.errorCode(for: error)
                    result.lowWatermark = -1
                }
                return result
            }
            return topicResult
        }
        return response
    }

    /// OffsetForLeaderEpoch 2-4. Every partition has had one leader epoch (0) so far, so the
    /// end offset of any epoch >= 0 is the log end; a current epoch newer than 0 is unknown.
    func offsetForLeaderEpoch(_ request: OffsetForLeaderEpochRequest, _ context: RequestContext) -> OffsetForLeaderEpochResponse {
        var response = OffsetForLeaderEpochResponse()
        response.topics = request.topics.map { topic in
            var topicResult = OffsetForLeaderEpochResponse.OffsetForLeaderTopicResult()
            topicResult.topic = topic.topic
            topicResult.partitions = topic.partitions.map { partition in
                var result = OffsetForLeaderEpochResponse.OffsetForLeaderTopicResult.EpochEndOffset()
                result.partition = partition.partition
                guard let log = topics.partitionLog(topic: topic.topic, partition: partition.partition) else {
                    result.errorCode = KafkaErrorCode.unknownTopicOrPartition.rawValue
                    return result
                }
                if partition.currentLeaderEpoch > 0 {
                    result.errorCode = 74  // UNKNOWN_LEADER_EPOCH: newer than ours
                } else if partition.leaderEpoch >= 0 {
                    result.leaderEpoch = 0
                    result.endOffset = log.logEndOffset
                }
                return result
            }
            return topicResult
        }
        return response
    }

    /// DescribeCluster 0-1: the brokers and the controller (this node).
    func describeCluster(_ request: DescribeClusterRequest, _ context: RequestContext) -> DescribeClusterResponse {
        var response = DescribeClusterResponse()
        let cluster = topics.metadata
        response.clusterID = cluster.clusterID
        response.controllerID = cluster.controllerID
        response.brokers = cluster.brokers.map { broker in
            var entry = DescribeClusterResponse.DescribeClusterBroker()
            entry.brokerID = broker.nodeID
            entry.host = broker.host
            entry.port = broker.port
            entry.rack = broker.rack
            return entry
        }
        return response
    }
}

import GroupCoordination
import KafkaProtocol
import NIOCore

/// The new consumer group protocol (KIP-848): ConsumerGroupHeartbeat 0-1 and
/// ConsumerGroupDescribe 0. Topics travel as ids on the wire and as names in the coordinator.
extension Broker {
    func consumerGroupHeartbeat(_ request: ConsumerGroupHeartbeatRequest, _ context: RequestContext) -> ConsumerGroupHeartbeatResponse {
        let metadata = topics.metadata
        let namesByID = Dictionary(metadata.topics.values.map { (KafkaUUID(bytes: $0.topicIDBytes) ?? .zero, $0.name) },
                                   uniquingKeysWith: { first, _ in first })
        var response = ConsumerGroupHeartbeatResponse()
        response.heartbeatIntervalMs = groups.consumerConfiguration.heartbeatIntervalMs
        if request.subscribedTopicRegex != nil && request.subscribedTopicNames == nil && request.memberEpoch == 0 {
            response.errorCode = ConsumerGroupError.invalidRequest.rawValue
            response.errorMessage = "subscribing by regular expression is not supported by Sluice; subscribe to topic names"
            return response
        }
        let owned = request.topicPartitions.map { entries in
            Set(entries.flatMap { entry in
                namesByID[entry.topicID].map { name in entry.partitions.map { TopicPartition(topic: name, partition: $0) } } ?? []
            })
        }
        let input = ConsumerGroupHeartbeatInput(
            memberID: request.memberID, memberEpoch: request.memberEpoch, instanceID: request.instanceID,
            rackID: request.rackID, rebalanceTimeoutMs: request.rebalanceTimeoutMs,
            subscribedTopics: request.subscribedTopicNames, serverAssignor: request.serverAssignor,
            ownedPartitions: owned, clientID: context.header.clientID ?? "", clientHost: Self.clientHost(context.peer))
        let counts = metadata.topics.mapValues { Int32($0.partitions.count) }
        let outcome = groups.consumerHeartbeat(group: request.groupID, input, partitionCounts: counts)
        response.errorCode = outcome.error?.rawValue ?? 0
        response.errorMessage = outcome.errorMessage
        response.memberID = outcome.memberID
        response.memberEpoch = outcome.memberEpoch
        if let assignment = outcome.assignment {
            var wire = ConsumerGroupHeartbeatResponse.Assignment()
            wire.topicPartitions = Dictionary(grouping: assignment, by: \.topic).sorted { $0.key < $1.key }.compactMap { name, partitions in
                guard let topic = metadata.topics[name] else { return nil }
                var entry = ConsumerGroupHeartbeatResponse.TopicPartitions()
                entry.topicID = KafkaUUID(bytes: topic.topicIDBytes) ?? .zero
                entry.partitions = partitions.map(\.partition).sorted()
                return entry
            }
            response.assignment = wire
        }
        return response
    }

    func consumerGroupDescribe(_ request: ConsumerGroupDescribeRequest, _ context: RequestContext) -> ConsumerGroupDescribeResponse {
        let metadata = topics.metadata
        func wire(_ partitions: Set<TopicPartition>) -> ConsumerGroupDescribeResponse.Assignment {
            var assignment = ConsumerGroupDescribeResponse.Assignment()
            assignment.topicPartitions = Dictionary(grouping: partitions, by: \.topic).sorted { $0.key < $1.key }.map { name, items in
                var entry = ConsumerGroupDescribeResponse.TopicPartitions()
                entry.topicID = metadata.topics[name].flatMap { KafkaUUID(bytes: $0.topicIDBytes) } ?? .zero
                entry.topicName = name
                entry.partitions = items.map(\.partition).sorted()
                return entry
            }
            return assignment
        }
        var response = ConsumerGroupDescribeResponse()
        response.groups = request.groupIDs.map { id in
            var entry = ConsumerGroupDescribeResponse.DescribedGroup()
            entry.groupID = id
            entry.authorizedOperations = Int32.min
            guard let machine = groups.consumerGroup(id) else {
                entry.errorCode = GroupCoordinator.AdminError.groupIDNotFound.rawValue
                entry.errorMessage = "group \(id) is not a consumer-protocol group known to this coordinator"
                entry.groupState = ConsumerGroupState.dead.rawValue
                return entry
            }
            entry.groupState = machine.state.rawValue
            entry.groupEpoch = machine.groupEpoch
            entry.assignmentEpoch = machine.assignmentEpoch
            entry.assignorName = machine.assignorName
            entry.members = machine.members.values.sorted { $0.memberID < $1.memberID }.map { member in
                var described = ConsumerGroupDescribeResponse.DescribedGroup.Member()
                described.memberID = member.memberID
                described.instanceID = member.instanceID
                described.rackID = member.rackID
                described.memberEpoch = member.memberEpoch
                described.clientID = member.clientID
                described.clientHost = member.clientHost
                described.subscribedTopicNames = member.subscribedTopics
                described.assignment = wire(member.assigned)
                described.targetAssignment = wire(machine.targetAssignment[member.memberID] ?? [])
                return described
            }
            return entry
        }
        return response
    }
}

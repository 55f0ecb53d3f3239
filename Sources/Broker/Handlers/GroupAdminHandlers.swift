import GroupCoordination
import KafkaProtocol
import NIOCore

/// The group admin APIs: ListGroups, DescribeGroups, DeleteGroups, OffsetDelete.
extension Broker {
    /// ListGroups 0-5: v4 filters by state, v5 by type ("classic" or "consumer").
    func listGroups(_ request: ListGroupsRequest, _ context: RequestContext) -> ListGroupsResponse {
        let version = context.apiVersion
        let states = Set(request.statesFilter.map { $0.lowercased() })
        let types = Set(request.typesFilter.map { $0.lowercased() })
        var response = ListGroupsResponse()
        response.groups = groups.listGroups().filter { listing in
            (states.isEmpty || states.contains(listing.state.lowercased()))
                && (types.isEmpty || types.contains(listing.type))
        }.map { listing in
            var entry = ListGroupsResponse.ListedGroup()
            entry.groupID = listing.groupID
            entry.protocolType = listing.protocolType
            if version >= 4 { entry.groupState = listing.state }
            if version >= 5 { entry.groupType = listing.type }
            return entry
        }
        return response
    }

    /// DescribeGroups 0-5: an unknown group is reported Dead with no error, as Kafka does.
    func describeGroups(_ request: DescribeGroupsRequest, _ context: RequestContext) -> DescribeGroupsResponse {
        let version = context.apiVersion
        let known = Set(groups.listGroups().map(\.groupID))
        var response = DescribeGroupsResponse()
        response.groups = request.groups.map { id in
            var entry = DescribeGroupsResponse.DescribedGroup()
            entry.groupID = id
            if version >= 3 { entry.authorizedOperations = Int32.min }
            if let group = groups.consumerGroup(id), !group.members.isEmpty {
                // A consumer-protocol group, shown in the classic layout for older tools.
                entry.groupState = group.state.rawValue
                entry.protocolType = "consumer"
                entry.protocolData = group.assignorName
                entry.members = group.members.values.sorted { $0.memberID < $1.memberID }.map { member in
                    var described = DescribeGroupsResponse.DescribedGroup.DescribedGroupMember()
                    described.memberID = member.memberID
                    if version >= 4 { described.groupInstanceID = member.instanceID }
                    described.clientID = member.clientID
                    described.clientHost = member.clientHost
                    described.memberMetadata = ConsumerSubscriptions.encodedSubscription(member.subscribedTopics)
                    described.memberAssignment = ConsumerSubscriptions.encodedAssignment(member.assigned)
                    return described
                }
                return entry
            }
            guard let machine = groups.group(id), machine.state != .dead else {
                entry.groupState = known.contains(id) ? GroupState.empty.rawValue : GroupState.dead.rawValue
                entry.protocolType = known.contains(id) ? "consumer" : ""
                return entry
            }
            entry.groupState = machine.state.rawValue
            entry.protocolType = machine.protocolType ?? ""
            entry.protocolData = machine.state == .stable || machine.state == .completingRebalance ? machine.protocolName ?? "" : ""
            entry.members = machine.members.map { member in
                var described = DescribeGroupsResponse.DescribedGroup.DescribedGroupMember()
                described.memberID = member.memberID
                if version >= 4 { described.groupInstanceID = member.instanceID }
                described.clientID = member.clientID
                described.clientHost = member.clientHost
                described.memberMetadata = machine.protocolName.flatMap { name in member.protocols.first { $0.name == name }?.metadata } ?? []
                described.memberAssignment = machine.state == .stable ? member.assignment : []
                return described
            }
            return entry
        }
        return response
    }

    /// DeleteGroups 0-2: only groups without members; their offsets are tombstoned.
    func deleteGroups(_ request: DeleteGroupsRequest, _ context: RequestContext) -> DeleteGroupsResponse {
        var response = DeleteGroupsResponse()
        response.results = request.groupsNames.map { id in
            var result = DeleteGroupsResponse.DeletableGroupResult()
            result.groupID = id
            result.errorCode = adminErrorCode { try groups.deleteGroup(id) }
            return result
        }
        return response
    }

    /// OffsetDelete 0: removes committed offsets of partitions the group no longer subscribes to.
    func offsetDelete(_ request: OffsetDeleteRequest, _ context: RequestContext) -> OffsetDeleteResponse {
        let partitions = request.topics.flatMap { topic in
            topic.partitions.map { TopicPartition(topic: topic.name, partition: $0.partitionIndex) }
        }
        var results: [TopicPartition: Int16] = [:]
        var response = OffsetDeleteResponse()
        response.errorCode = adminErrorCode { results = try groups.deleteOffsets(group: request.groupID, partitions: partitions) }
        guard response.errorCode == 0 else { return response }
        response.topics = request.topics.map { topic in
            var entry = OffsetDeleteResponse.OffsetDeleteResponseTopic()
            entry.name = topic.name
            entry.partitions = topic.partitions.map { partition in
                var result = OffsetDeleteResponse.OffsetDeleteResponseTopic.OffsetDeleteResponsePartition()
                result.partitionIndex = partition.partitionIndex
                result.errorCode = results[TopicPartition(topic: topic.name, partition: partition.partitionIndex)] ?? 0
                return result
            }
            return entry
        }
        return response
    }

    private func adminErrorCode(_ body: () throws -> Void) -> Int16 {
        do {
            try body()
            return 0
        } catch let error as GroupCoordinator.AdminError {
            return error.rawValue
        } catch {
            logger.error("group admin request failed", metadata: ["error": "\(error)"])
            return KafkaErrorCode.kafkaStorageError.rawValue
        }
    }
}

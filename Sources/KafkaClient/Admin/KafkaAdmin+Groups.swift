import KafkaProtocol

/// Consumer groups: listing, describing (members and lag), deleting, and resetting or deleting
/// committed offsets.
extension KafkaAdmin {
    /// Every group every broker knows.
    public func listGroups() async throws -> [GroupListing] {
        let metadata = try await cluster.refreshMetadata()
        var groups: [GroupListing] = []
        for node in metadata.brokers.keys.sorted() {
            let response = try await cluster.connection(to: node).send(ListGroupsRequest())
            try KafkaClientError.check(response.errorCode, "ListGroups at broker \(node)")
            groups += response.groups.map { GroupListing(groupID: $0.groupID, protocolType: $0.protocolType, state: $0.groupState) }
        }
        return groups.sorted { $0.groupID < $1.groupID }
    }

    /// The state, protocol and members (with their assignments) of groups.
    public func describeGroups(_ groupIDs: [String]) async throws -> [GroupDescription] {
        var result: [GroupDescription] = []
        for groupID in groupIDs {
            var request = DescribeGroupsRequest()
            request.groups = [groupID]
            let response = try await cluster.withRetries("DescribeGroups of '\(groupID)'") { [cluster, request] in
                let response = try await cluster.coordinator(for: groupID).send(request)
                for group in response.groups { try KafkaClientError.check(group.errorCode, "describing group '\(group.groupID)'") }
                return response
            }
            for group in response.groups {
                result.append(GroupDescription(
                    groupID: group.groupID, state: group.groupState, protocolType: group.protocolType, assignmentStrategy: group.protocolData,
                    members: group.members.map { member in
                        let assignment = group.protocolType == "consumer" ? (try? GroupMember.decodeAssignment(member.memberAssignment)) ?? [] : []
                        return GroupMemberDescription(memberID: member.memberID, groupInstanceID: member.groupInstanceID, clientID: member.clientID,
                                                      host: member.clientHost, assignment: assignment.sorted())
                    }))
            }
        }
        return result
    }

    /// The group's committed offsets (every partition it has committed).
    public func committedOffsets(_ groupID: String) async throws -> [TopicPartition: Int64] {
        var request = OffsetFetchRequest()
        request.groupID = groupID
        request.topics = nil
        let response = try await cluster.withRetries("OffsetFetch of '\(groupID)'") { [cluster, request] in
            let response = try await cluster.coordinator(for: groupID).send(request)
            try KafkaClientError.check(response.errorCode, "fetching the offsets of group '\(groupID)'")
            return response
        }
        var offsets: [TopicPartition: Int64] = [:]
        for topic in response.topics {
            for partition in topic.partitions where partition.errorCode == 0 && partition.committedOffset >= 0 {
                offsets[TopicPartition(topic.name, partition.partitionIndex)] = partition.committedOffset
            }
        }
        return offsets
    }

    /// Per partition of the topics the group reads or has committed: committed offset, end
    /// offset and lag, and the member that reads it (like `kafka-consumer-groups --describe`).
    public func groupLag(_ groupID: String) async throws -> [PartitionLag] {
        let committed = try await committedOffsets(groupID)
        let description = try await describeGroups([groupID]).first
        var owners: [TopicPartition: String] = [:]
        for member in description?.members ?? [] {
            for partition in member.assignment { owners[partition] = member.memberID }
        }
        let partitions = Set(committed.keys).union(owners.keys)
        let ends = try await cluster.listOffsets(Dictionary(uniqueKeysWithValues: partitions.map { ($0, OffsetSpec.latest) }))
        return partitions.sorted().map { partition in
            PartitionLag(partition: partition, committedOffset: committed[partition], endOffset: ends[partition] ?? -1, memberID: owners[partition])
        }
    }

    /// Deletes groups (they must be empty).
    public func deleteGroups(_ groupIDs: [String]) async throws {
        for groupID in groupIDs {
            var request = DeleteGroupsRequest()
            request.groupsNames = [groupID]
            let response = try await cluster.coordinator(for: groupID).send(request)
            for result in response.results { try KafkaClientError.check(result.errorCode, "deleting group '\(result.groupID)'") }
        }
    }

    /// Sets a group's committed offsets (the group must have no members, as with
    /// `kafka-consumer-groups --reset-offsets --execute`).
    public func resetOffsets(_ groupID: String, to offsets: [TopicPartition: Int64]) async throws {
        var request = OffsetCommitRequest()
        request.groupID = groupID
        request.generationIDOrMemberEpoch = -1
        request.memberID = ""
        request.retentionTimeMs = -1
        request.topics = OffsetCommitRequest.topics(committing: offsets)
        try await cluster.coordinator(for: groupID).send(request)
            .checkPartitions { "resetting \($0) of group '\(groupID)'" }
    }

    /// The offsets of partitions at the earliest or latest end, or at a timestamp (ms).
    public func offsets(_ partitions: [TopicPartition], at position: OffsetPosition) async throws -> [TopicPartition: Int64] {
        let spec: Int64
        switch position {
        case .earliest: spec = OffsetSpec.earliest
        case .latest: spec = OffsetSpec.latest
        case .timestamp(let time): spec = time
        }
        return try await cluster.listOffsets(Dictionary(uniqueKeysWithValues: partitions.map { ($0, spec) }))
    }

    /// Deletes a group's committed offsets of partitions it no longer reads (OffsetDelete).
    public func deleteOffsets(_ groupID: String, _ partitions: [TopicPartition]) async throws {
        var request = OffsetDeleteRequest()
        request.groupID = groupID
        request.topics = Dictionary(grouping: partitions, by: \.topic).sorted { $0.key < $1.key }.map { topic, members in
            var entry = OffsetDeleteRequest.OffsetDeleteRequestTopic()
            entry.name = topic
            entry.partitions = members.sorted().map {
                var item = OffsetDeleteRequest.OffsetDeleteRequestTopic.OffsetDeleteRequestPartition()
                item.partitionIndex = $0.partition
                return item
            }
            return entry
        }
        let response = try await cluster.coordinator(for: groupID).send(request)
        try KafkaClientError.check(response.errorCode, "deleting offsets of group '\(groupID)'")
        for topic in response.topics {
            for partition in topic.partitions {
                try KafkaClientError.check(partition.errorCode, "deleting the offset of \(topic.name)-\(partition.partitionIndex) in group '\(groupID)'")
            }
        }
    }
}

/// A position in a partition to look an offset up at.
public enum OffsetPosition: Sendable, Equatable {
    case earliest
    case latest
    /// The first record at or after this time (ms since the epoch).
    case timestamp(Int64)
}

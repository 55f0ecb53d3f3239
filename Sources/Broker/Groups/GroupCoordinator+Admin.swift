import GroupCoordination
import KafkaProtocol
import NIOCore

/// What the group admin APIs (ListGroups, DescribeGroups, DeleteGroups, OffsetDelete), offsets
/// retention and `/v1/groups` need from the coordinator.
extension GroupCoordinator {
    /// A group as ListGroups reports it.
    struct Listing: Sendable, Equatable {
        var groupID: String
        var protocolType: String
        /// Kafka's state names: the classic ones, or the consumer protocol's.
        var state: String
        /// "classic" or "consumer" (ListGroups v5's group type).
        var type: String
    }

    /// Every group this coordinator knows: those with a state machine, and those known only
    /// by their committed offsets (after a restart, or standalone consumers), as Empty.
    func listGroups() -> [Listing] {
        state.withLock { state in
            var listings: [String: Listing] = [:]
            for group in state.offsets.groups {
                listings[group] = Listing(groupID: group, protocolType: "consumer", state: GroupState.empty.rawValue, type: "classic")
            }
            for (id, machine) in state.groups where machine.state != .dead {
                listings[id] = Listing(groupID: id, protocolType: machine.protocolType ?? listings[id]?.protocolType ?? "",
                                       state: machine.state.rawValue, type: "classic")
            }
            for (id, machine) in state.consumerGroups where !machine.members.isEmpty || listings[id] == nil {
                listings[id] = Listing(groupID: id, protocolType: "consumer", state: machine.state.rawValue, type: "consumer")
            }
            return listings.values.sorted { $0.groupID < $1.groupID }
        }
    }

    /// Kafka's error codes of the group admin APIs.
    enum AdminError: Int16, Error {
        case nonEmptyGroup = 68
        case groupIDNotFound = 69
        case groupSubscribedToTopic = 86
    }

    /// Deletes an empty group and its committed offsets (tombstones in `__consumer_offsets`).
    func deleteGroup(_ id: String) throws {
        let records = try state.withLock { state throws(AdminError) -> [ConsumerOffsetsRecord] in
            let machine = state.groups[id]
            let consumerGroup = state.consumerGroups[id]
            guard machine != nil || consumerGroup != nil || state.offsets.groups.contains(id) else { throw .groupIDNotFound }
            guard machine.map({ $0.members.isEmpty }) ?? true, consumerGroup.map({ $0.members.isEmpty }) ?? true else {
                throw .nonEmptyGroup
            }
            return state.offsets.deletionRecords(group: id) + [ConsumerOffsetsRecord(key: .groupMetadata(group: id), value: nil)]
        }
        try offsetsLog.append(records, group: id)
        try state.withLock { state in
            try state.offsets.apply(records)
            if state.groups[id]?.members.isEmpty == true { state.groups[id] = nil }
            if state.consumerGroups[id]?.members.isEmpty == true { state.consumerGroups[id] = nil }
        }
    }

    /// Deletes committed offsets of some partitions; a topic the group's members subscribe to
    /// gets GROUP_SUBSCRIBED_TO_TOPIC instead.
    func deleteOffsets(group id: String, partitions: [TopicPartition]) throws -> [TopicPartition: Int16] {
        let (records, results) = try state.withLock { state throws(AdminError) -> ([ConsumerOffsetsRecord], [TopicPartition: Int16]) in
            let machine = state.groups[id]
            let consumerGroup = state.consumerGroups[id]
            guard machine != nil || consumerGroup != nil || state.offsets.groups.contains(id) else { throw .groupIDNotFound }
            let subscribed = (machine.map(ConsumerSubscriptions.topics(of:)) ?? [])
                .union(consumerGroup?.members.values.flatMap(\.subscribedTopics) ?? [])
            var results: [TopicPartition: Int16] = [:]
            var deletable: [TopicPartition] = []
            for partition in partitions {
                if subscribed.contains(partition.topic) {
                    results[partition] = AdminError.groupSubscribedToTopic.rawValue
                } else {
                    results[partition] = 0
                    deletable.append(partition)
                }
            }
            return (state.offsets.deletionRecords(group: id, partitions: deletable), results)
        }
        try offsetsLog.append(records, group: id)
        try state.withLock { try $0.offsets.apply(records) }
        return results
    }

    /// Removes committed offsets past `offsets.retention.minutes` (Kafka's rule: never while
    /// the group has members). Returns how many were removed.
    @discardableResult
    func expireOffsets(nowMs: Int64, retentionMs: Int64) throws -> Int {
        let expired = state.withLock { state in
            state.offsets.groups.map { group -> (String, [ConsumerOffsetsRecord]) in
                let machine = state.groups[group]
                let hasMembers = !(machine?.members.isEmpty ?? true) || !(state.consumerGroups[group]?.members.isEmpty ?? true)
                return (group, state.offsets.expiredRecords(group: group, hasMembers: hasMembers,
                                                            emptySince: machine?.emptySince, nowMs: nowMs, retentionMs: retentionMs))
            }.filter { !$0.1.isEmpty }
        }
        var count = 0
        for (group, records) in expired {
            try offsetsLog.append(records, group: group)
            try state.withLock { try $0.offsets.apply(records) }
            count += records.count
        }
        return count
    }

    /// A group as `/v1/groups` shows it, whichever protocol it uses.
    struct GroupView: Sendable {
        struct Member: Sendable {
            var memberID: String
            var instanceID: String?
            var clientID: String
            var clientHost: String
            var assigned: [TopicPartition]
        }

        var state: String
        var protocolType: String
        var assignor: String?
        /// The generation (classic) or the group epoch (consumer protocol).
        var generation: Int32
        var members: [Member]
    }

    /// Every group's view and committed offsets, for `/v1/groups` and the lag metrics.
    func snapshot() -> [(id: String, view: GroupView, offsets: [TopicPartition: OffsetCommitValue])] {
        state.withLock { state in
            let ids = Set(state.groups.keys).union(state.consumerGroups.keys).union(state.offsets.groups).sorted()
            return ids.map { id in
                let offsets = state.offsets.committed(group: id)
                if let group = state.consumerGroups[id], !group.members.isEmpty || state.groups[id] == nil {
                    let members = group.members.values.sorted { $0.memberID < $1.memberID }.map {
                        GroupView.Member(memberID: $0.memberID, instanceID: $0.instanceID, clientID: $0.clientID,
                                         clientHost: $0.clientHost, assigned: $0.assigned.sorted { ($0.topic, $0.partition) < ($1.topic, $1.partition) })
                    }
                    return (id, GroupView(state: group.state.rawValue, protocolType: "consumer", assignor: group.assignorName,
                                          generation: group.groupEpoch, members: members), offsets)
                }
                let machine = state.groups[id]
                let stable = machine?.state == .stable
                let members = (machine?.members ?? []).map {
                    GroupView.Member(memberID: $0.memberID, instanceID: $0.instanceID, clientID: $0.clientID, clientHost: $0.clientHost,
                                     assigned: stable ? ConsumerSubscriptions.assignedPartitions($0.assignment) : [])
                }
                return (id, GroupView(state: (machine?.state ?? .empty).rawValue, protocolType: machine?.protocolType ?? "consumer",
                                      assignor: stable ? machine?.protocolName : nil, generation: machine?.generationID ?? 0,
                                      members: members), offsets)
            }
        }
    }
}

/// Reads the consumer protocol's subscription and assignment bytes of classic members.
enum ConsumerSubscriptions {
    /// Topics the members of a consumer group subscribe to.
    static func topics(of machine: ClassicGroupStateMachine) -> Set<String> {
        guard machine.protocolType == "consumer", let name = machine.protocolName else { return [] }
        var topics = Set<String>()
        for member in machine.members {
            let metadata = member.protocols.first { $0.name == name }?.metadata ?? []
            if let subscription = subscription(metadata) { topics.formUnion(subscription.topics) }
        }
        return topics
    }

    static func subscription(_ bytes: [UInt8]) -> ConsumerProtocolSubscription? {
        var buffer = ByteBuffer(bytes: bytes)
        guard let version = buffer.readInteger(as: Int16.self), version >= 0 else { return nil }
        // Later versions only add fields at the end: read them with the newest known layout.
        return try? ConsumerProtocolSubscription(from: &buffer, version: min(version, ConsumerProtocolSubscription.validVersions.upperBound))
    }

    /// Version-0 subscription bytes for a topic list (DescribeGroups of consumer-protocol groups).
    static func encodedSubscription(_ topics: [String]) -> [UInt8] {
        var subscription = ConsumerProtocolSubscription()
        subscription.topics = topics
        var buffer = ByteBuffer()
        buffer.writeInteger(Int16(0))
        try? subscription.encode(into: &buffer, version: 0)
        return Array(buffer.readableBytesView)
    }

    /// Version-0 assignment bytes for a set of partitions.
    static func encodedAssignment(_ partitions: Set<TopicPartition>) -> [UInt8] {
        var assignment = ConsumerProtocolAssignment()
        assignment.assignedPartitions = Dictionary(grouping: partitions, by: \.topic).sorted { $0.key < $1.key }.map { topic, items in
            var entry = ConsumerProtocolAssignment.TopicPartition()
            entry.topic = topic
            entry.partitions = items.map(\.partition).sorted()
            return entry
        }
        var buffer = ByteBuffer()
        buffer.writeInteger(Int16(0))
        try? assignment.encode(into: &buffer, version: 0)
        return Array(buffer.readableBytesView)
    }

    /// The partitions in a member's assignment bytes.
    static func assignedPartitions(_ bytes: [UInt8]) -> [TopicPartition] {
        var buffer = ByteBuffer(bytes: bytes)
        guard let version = buffer.readInteger(as: Int16.self), version >= 0,
              let assignment = try? ConsumerProtocolAssignment(from: &buffer, version: min(version, ConsumerProtocolAssignment.validVersions.upperBound))
        else { return [] }
        return assignment.assignedPartitions.flatMap { topic in topic.partitions.map { TopicPartition(topic: topic.topic, partition: $0) } }
    }
}

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
        var state: GroupState
    }

    /// Every group this coordinator knows: those with a state machine, and those known only
    /// by their committed offsets (after a restart, or standalone consumers), as Empty.
    func listGroups() -> [Listing] {
        state.withLock { state in
            var listings: [String: Listing] = [:]
            for group in state.offsets.groups {
                listings[group] = Listing(groupID: group, protocolType: "consumer", state: .empty)
            }
            for (id, machine) in state.groups where machine.state != .dead {
                listings[id] = Listing(groupID: id, protocolType: machine.protocolType ?? listings[id]?.protocolType ?? "",
                                       state: machine.state)
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
            guard machine != nil || state.offsets.groups.contains(id) else { throw .groupIDNotFound }
            guard machine.map({ $0.members.isEmpty }) ?? true else { throw .nonEmptyGroup }
            return state.offsets.deletionRecords(group: id)
        }
        try offsetsLog.append(records, group: id)
        try state.withLock { state in
            try state.offsets.apply(records)
            if state.groups[id]?.members.isEmpty == true { state.groups[id] = nil }
        }
    }

    /// Deletes committed offsets of some partitions; a topic the group's members subscribe to
    /// gets GROUP_SUBSCRIBED_TO_TOPIC instead.
    func deleteOffsets(group id: String, partitions: [TopicPartition]) throws -> [TopicPartition: Int16] {
        let (records, results) = try state.withLock { state throws(AdminError) -> ([ConsumerOffsetsRecord], [TopicPartition: Int16]) in
            let machine = state.groups[id]
            guard machine != nil || state.offsets.groups.contains(id) else { throw .groupIDNotFound }
            let subscribed = machine.map(ConsumerSubscriptions.topics(of:)) ?? []
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
                return (group, state.offsets.expiredRecords(group: group, hasMembers: !(machine?.members.isEmpty ?? true),
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

    /// Every group's machine and committed offsets, for `/v1/groups` and the lag metrics.
    func snapshot() -> [(id: String, machine: ClassicGroupStateMachine?, offsets: [TopicPartition: OffsetCommitValue])] {
        state.withLock { state in
            let ids = Set(state.groups.keys).union(state.offsets.groups).sorted()
            return ids.map { ($0, state.groups[$0], state.offsets.committed(group: $0)) }
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

    /// The partitions in a member's assignment bytes.
    static func assignedPartitions(_ bytes: [UInt8]) -> [TopicPartition] {
        var buffer = ByteBuffer(bytes: bytes)
        guard let version = buffer.readInteger(as: Int16.self), version >= 0,
              let assignment = try? ConsumerProtocolAssignment(from: &buffer, version: min(version, ConsumerProtocolAssignment.validVersions.upperBound))
        else { return [] }
        return assignment.assignedPartitions.flatMap { topic in topic.partitions.map { TopicPartition(topic: topic.topic, partition: $0) } }
    }
}

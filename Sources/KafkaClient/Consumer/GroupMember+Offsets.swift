import KafkaProtocol

/// Committed offsets (OffsetCommit / OffsetFetch at the group's coordinator), revoking, and
/// leaving the group.
extension GroupMember {
    /// Commits offsets under the member's generation (or as a simple, generation-less commit
    /// when the consumer only assigns partitions).
    func commit(_ offsets: [TopicPartition: Int64]) async throws {
        guard !offsets.isEmpty else { return }
        let (generation, memberID) = isStable ? (self.generation, self.memberID) : (-1, "")
        try await cluster.withRetries("OffsetCommit for group '\(groupID)'") { [groupID, configuration, cluster] in
            var request = OffsetCommitRequest()
            request.groupID = groupID
            request.generationIDOrMemberEpoch = generation
            request.memberID = memberID
            request.groupInstanceID = generation >= 0 ? configuration.groupInstanceID : nil
            request.retentionTimeMs = -1
            request.topics = OffsetCommitRequest.topics(committing: offsets)
            try await cluster.coordinator(for: groupID).send(request)
                .checkPartitions { "OffsetCommit of \($0) for group '\(groupID)'" }
        }
    }

    /// The committed offsets of partitions; a partition without one is absent.
    func fetchCommitted(_ partitions: [TopicPartition]) async throws -> [TopicPartition: Int64] {
        guard !partitions.isEmpty else { return [:] }
        return try await cluster.withRetries("OffsetFetch for group '\(groupID)'") { [groupID, cluster] in
            var request = OffsetFetchRequest()
            request.groupID = groupID
            request.requireStable = true
            request.topics = Dictionary(grouping: partitions, by: \.topic).sorted { $0.key < $1.key }.map { topic, members in
                var entry = OffsetFetchRequest.OffsetFetchRequestTopic()
                entry.name = topic
                entry.partitionIndexes = members.map(\.partition).sorted()
                return entry
            }
            let response = try await cluster.coordinator(for: groupID).send(request)
            try KafkaClientError.check(response.errorCode, "OffsetFetch for group '\(groupID)'")
            var result: [TopicPartition: Int64] = [:]
            for topic in response.topics {
                for partition in topic.partitions {
                    try KafkaClientError.check(partition.errorCode, "OffsetFetch of \(topic.name)-\(partition.partitionIndex) for group '\(groupID)'")
                    if partition.committedOffset >= 0 { result[TopicPartition(topic.name, partition.partitionIndex)] = partition.committedOffset }
                }
            }
            return result
        }
    }

    /// Stops returning partitions: commits their positions first when auto-committing, then
    /// tells the listener.
    func revoke(_ partitions: [TopicPartition]) async {
        guard !partitions.isEmpty else { return }
        if configuration.autoCommit {
            let positions = fetcher.positions().filter { partitions.contains($0.key) }
            try? await commit(positions)
        }
        fetcher.remove(partitions)
        removeOwned(partitions)
        await listener().onRevoked(partitions.sorted())
    }

    /// The member was fenced: its partitions may already be someone else's, so nothing is committed.
    func loseEverything(resetMember: Bool) async {
        let lost = Array(owned).sorted()
        fetcher.remove(lost)
        removeOwned(lost)
        if resetMember && configuration.groupInstanceID == nil { resetMembership() }
        if !lost.isEmpty { await listener().onLost(lost) }
    }

    /// Commits (when auto-committing), revokes, and leaves the group so it rebalances at once.
    /// A static member does not leave: it keeps its partitions for its next start.
    func leave() async {
        await stop()
        await revoke(Array(owned))
        guard configuration.groupInstanceID == nil, !memberID.isEmpty else { return }
        var request = LeaveGroupRequest()
        request.groupID = groupID
        var member = LeaveGroupRequest.MemberIdentity()
        member.memberID = memberID
        member.reason = "the consumer is closing"
        request.members = [member]
        _ = try? await cluster.coordinator(for: groupID).send(request)
        resetMembership()
    }
}

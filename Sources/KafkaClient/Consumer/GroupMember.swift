import KafkaProtocol
import NIOCore

/// One consumer's membership of a group (the classic protocol): JoinGroup, the leader's
/// assignment, SyncGroup, Heartbeat until a rebalance or an error, then again; LeaveGroup on
/// close. Eager strategies revoke everything before joining; cooperative-sticky revokes only
/// what moves and rejoins at once after revoking.
actor GroupMember {
    let groupID: String
    let configuration: ConsumerConfiguration
    let cluster: KafkaCluster
    let fetcher: PartitionFetcher
    private(set) var memberID = ""
    private(set) var generation: Int32 = -1
    private(set) var owned: Set<TopicPartition> = []
    private var topics: [String] = []
    private var rebalanceListener = RebalanceListener()
    private var task: Task<Void, Never>?
    private var stopping = false
    private var joined = false

    init(groupID: String, configuration: ConsumerConfiguration, cluster: KafkaCluster, fetcher: PartitionFetcher) {
        self.groupID = groupID
        self.configuration = configuration
        self.cluster = cluster
        self.fetcher = fetcher
    }

    func subscribe(_ topics: [String], listener: RebalanceListener) {
        self.topics = topics.sorted()
        self.rebalanceListener = listener
        guard task == nil else { return }
        task = Task { await self.run() }
    }

    /// Whether the member has an assignment of the current generation.
    var isStable: Bool { joined }

    func listener() -> RebalanceListener { rebalanceListener }

    func removeOwned(_ partitions: [TopicPartition]) { owned.subtract(partitions) }

    func resetMembership() {
        memberID = ""
        generation = -1
        joined = false
    }

    /// Ends the membership loop (heartbeats stop).
    func stop() async {
        stopping = true
        task?.cancel()
        await task?.value
        task = nil
    }

    private func run() async {
        var needsJoin = true
        while !stopping {
            do {
                if needsJoin { needsJoin = try await joinAndSync() }
                if !needsJoin { needsJoin = try await heartbeatUntilRebalance() }
            } catch let error as KafkaClientError {
                joined = false
                switch error.code {
                case .unknownMemberID, .illegalGeneration:
                    await loseEverything(resetMember: error.code == .unknownMemberID)
                case .fencedInstanceID:
                    await loseEverything(resetMember: false)
                    stopping = true
                case .notCoordinator, .coordinatorNotAvailable, .coordinatorLoadInProgress:
                    await cluster.invalidateCoordinator(for: groupID)
                default: break
                }
                needsJoin = true
                try? await Task.sleep(for: configuration.client.retryBackoff)
            } catch {
                joined = false
                needsJoin = true
                try? await Task.sleep(for: configuration.client.retryBackoff)
            }
        }
    }

    private var protocolName: String { configuration.assignmentStrategy.rawValue }
    private var cooperative: Bool { configuration.assignmentStrategy == .cooperativeSticky }

    /// - Returns: whether the member must join again at once (it revoked partitions).
    private func joinAndSync() async throws -> Bool {
        if !cooperative, !owned.isEmpty { await revoke(Array(owned)) }
        var subscription = ConsumerProtocolSubscription()
        subscription.topics = topics
        subscription.ownedPartitions = Dictionary(grouping: owned, by: \.topic).sorted { $0.key < $1.key }.map { topic, partitions in
            var entry = ConsumerProtocolSubscription.TopicPartition()
            entry.topic = topic
            entry.partitions = partitions.map(\.partition).sorted()
            return entry
        }
        var metadata = ByteBufferAllocator().buffer(capacity: 64)
        metadata.writeInteger(Int16(1))
        try subscription.encode(into: &metadata, version: 1)

        var join = JoinGroupRequest()
        join.groupID = groupID
        join.sessionTimeoutMs = Int32(clamping: configuration.sessionTimeout.milliseconds)
        join.rebalanceTimeoutMs = Int32(clamping: configuration.rebalanceTimeout.milliseconds)
        join.groupInstanceID = configuration.groupInstanceID
        join.protocolType = "consumer"
        var offered = JoinGroupRequest.JoinGroupRequestProtocol()
        offered.name = protocolName
        offered.metadata = Array(metadata.readableBytesView)
        join.protocols = [offered]
        var joined: JoinGroupResponse
        while true {
            join.memberID = memberID
            let connection = try await cluster.coordinator(for: groupID)
            joined = try await connection.send(join, timeout: configuration.rebalanceTimeout + .seconds(5))
            let code = KafkaErrorCode(rawValue: joined.errorCode)
            if code == .memberIDRequired {
                memberID = joined.memberID
                continue
            }
            if code == .rebalanceInProgress { continue }
            try KafkaClientError.check(joined.errorCode, "JoinGroup of '\(groupID)'")
            break
        }
        memberID = joined.memberID
        generation = joined.generationID

        var sync = SyncGroupRequest()
        sync.groupID = groupID
        sync.generationID = generation
        sync.memberID = memberID
        sync.groupInstanceID = configuration.groupInstanceID
        sync.protocolType = "consumer"
        sync.protocolName = joined.protocolName ?? protocolName
        if joined.leader == memberID && !joined.skipAssignment {
            sync.assignments = try await leaderAssignments(joined.members)
        }
        let synced = try await cluster.coordinator(for: groupID).send(sync, timeout: configuration.rebalanceTimeout + .seconds(5))
        try KafkaClientError.check(synced.errorCode, "SyncGroup of '\(groupID)'")
        let assigned = try Self.decodeAssignment(synced.assignment)

        let revoked = owned.subtracting(assigned)
        let added = assigned.subtracting(owned)
        if !revoked.isEmpty { await revoke(Array(revoked)) }
        if !added.isEmpty {
            let committed = try await fetchCommitted(Array(added))
            fetcher.add(Dictionary(uniqueKeysWithValues: added.map { ($0, committed[$0]) }))
            owned.formUnion(added)
            await rebalanceListener.onAssigned(Array(added).sorted())
        } else if !cooperative {
            await rebalanceListener.onAssigned([])
        }
        self.joined = true
        return cooperative && !revoked.isEmpty
    }

    private func leaderAssignments(_ members: [JoinGroupResponse.JoinGroupResponseMember]) async throws -> [SyncGroupRequest.SyncGroupRequestAssignment] {
        var assignorMembers: [AssignorMember] = []
        for member in members {
            var bytes = ByteBuffer(bytes: member.metadata)
            guard let version = bytes.readInteger(as: Int16.self) else {
                throw KafkaClientError.protocolViolation("member \(member.memberID) sent empty subscription metadata")
            }
            let subscription = try ConsumerProtocolSubscription(from: &bytes, version: min(version, ConsumerProtocolSubscription.validVersions.upperBound))
            assignorMembers.append(AssignorMember(
                memberID: member.memberID, groupInstanceID: member.groupInstanceID, topics: subscription.topics,
                ownedPartitions: subscription.ownedPartitions.flatMap { entry in entry.partitions.map { TopicPartition(entry.topic, $0) } }))
        }
        var counts: [String: Int32] = [:]
        for topic in Set(assignorMembers.flatMap(\.topics)) {
            if let metadata = try? await cluster.topic(topic) { counts[topic] = Int32(metadata.partitions.count) }
        }
        let plan = Assignors.assign(configuration.assignmentStrategy, members: assignorMembers, partitionCounts: counts)
        return try assignorMembers.map { member in
            var assignment = ConsumerProtocolAssignment()
            assignment.assignedPartitions = Dictionary(grouping: plan[member.memberID] ?? [], by: \.topic).sorted { $0.key < $1.key }.map { topic, partitions in
                var entry = ConsumerProtocolAssignment.TopicPartition()
                entry.topic = topic
                entry.partitions = partitions.map(\.partition).sorted()
                return entry
            }
            var bytes = ByteBufferAllocator().buffer(capacity: 64)
            bytes.writeInteger(Int16(1))
            try assignment.encode(into: &bytes, version: 1)
            var entry = SyncGroupRequest.SyncGroupRequestAssignment()
            entry.memberID = member.memberID
            entry.assignment = Array(bytes.readableBytesView)
            return entry
        }
    }

    static func decodeAssignment(_ bytes: [UInt8]) throws -> Set<TopicPartition> {
        guard !bytes.isEmpty else { return [] }
        var buffer = ByteBuffer(bytes: bytes)
        guard let version = buffer.readInteger(as: Int16.self) else { return [] }
        let assignment = try ConsumerProtocolAssignment(from: &buffer, version: min(version, ConsumerProtocolAssignment.validVersions.upperBound))
        return Set(assignment.assignedPartitions.flatMap { entry in entry.partitions.map { TopicPartition(entry.topic, $0) } })
    }

    /// - Returns: true when the group is rebalancing and the member must join again.
    private func heartbeatUntilRebalance() async throws -> Bool {
        while !stopping {
            try await Task.sleep(for: configuration.heartbeatInterval)
            guard !stopping else { break }
            var heartbeat = HeartbeatRequest()
            heartbeat.groupID = groupID
            heartbeat.generationID = generation
            heartbeat.memberID = memberID
            heartbeat.groupInstanceID = configuration.groupInstanceID
            let response = try await cluster.coordinator(for: groupID).send(heartbeat)
            if response.errorCode == KafkaErrorCode.rebalanceInProgress.rawValue { return true }
            try KafkaClientError.check(response.errorCode, "Heartbeat of '\(groupID)'")
        }
        return false
    }
}

/// One group of the new consumer rebalance protocol (KIP-848), as a pure state machine: the
/// coordinator computes a target assignment with a server-side assignor whenever the group
/// changes (its epoch moves), and each heartbeat moves its member toward its target:
///
/// - a member first gives up partitions it must lose (it is answered with what it keeps, and
///   keeps its epoch until a heartbeat shows it no longer owns them);
/// - then it gets the partitions of its target that nobody else still owns, and its epoch
///   becomes the target's; partitions still owned elsewhere follow in later heartbeats.
///
/// So no partition is ever owned by two members. The caller passes the current partition
/// counts of the topics (metadata changes move the epoch too) and the time.
public struct ConsumerGroupStateMachine: Sendable {
    public let groupID: String
    public let configuration: ConsumerGroupConfiguration
    public private(set) var groupEpoch: Int32 = 0
    public private(set) var assignmentEpoch: Int32 = 0
    public private(set) var members: [String: ConsumerGroupMember] = [:]
    public private(set) var targetAssignment: [String: Set<TopicPartition>] = [:]
    /// The partition counts the target was computed with.
    private var partitionCounts: [String: Int32] = [:]

    public init(groupID: String, configuration: ConsumerGroupConfiguration = ConsumerGroupConfiguration()) {
        self.groupID = groupID
        self.configuration = configuration
    }

    public var state: ConsumerGroupState {
        if members.isEmpty { return .empty }
        if assignmentEpoch < groupEpoch { return .assigning }
        return members.values.allSatisfy { $0.memberEpoch == assignmentEpoch && $0.revoking.isEmpty
            && $0.assigned == (targetAssignment[$0.memberID] ?? []) } ? .stable : .reconciling
    }

    /// The assignor the group uses: the one its members ask for (the first asked, by member
    /// id), else the default (uniform).
    public var assignorName: String {
        members.values.sorted { $0.memberID < $1.memberID }.compactMap(\.serverAssignor).first ?? ServerAssignors.all[0].name
    }

    // MARK: Heartbeat

    /// Handles one heartbeat. `newMemberID` is used when a joining member sent none (v0).
    public mutating func heartbeat(_ input: ConsumerGroupHeartbeatInput, newMemberID: String,
                                   partitionCounts counts: [String: Int32], nowMs now: Int64) -> ConsumerGroupHeartbeatOutcome {
        func fail(_ error: ConsumerGroupError, _ message: String) -> ConsumerGroupHeartbeatOutcome {
            ConsumerGroupHeartbeatOutcome(error: error, errorMessage: message, memberID: input.memberID, memberEpoch: input.memberEpoch)
        }
        if let assignor = input.serverAssignor, ServerAssignors.named(assignor) == nil {
            return fail(.unsupportedAssignor, "unknown server assignor \(assignor); this coordinator has \(ServerAssignors.all.map(\.name).joined(separator: ", "))")
        }
        switch input.memberEpoch {
        case -1, -2:
            // Leaving (-2: a static member leaving for now; it rejoins as a new member).
            guard members.removeValue(forKey: input.memberID) != nil else {
                return fail(.unknownMemberID, "member \(input.memberID) is not in group \(groupID)")
            }
            bumpEpoch()
            return ConsumerGroupHeartbeatOutcome(memberID: input.memberID, memberEpoch: input.memberEpoch, assignment: nil)
        case 0:
            guard let topics = input.subscribedTopics else {
                return fail(.invalidRequest, "a joining member must send its subscribed topic names")
            }
            let memberID = input.memberID.isEmpty ? newMemberID : input.memberID
            if let instanceID = input.instanceID,
               let holder = members.values.first(where: { $0.instanceID == instanceID && $0.memberID != memberID }) {
                // The instance restarted: its old member goes, the new one takes its place.
                members[holder.memberID] = nil
            }
            if members[memberID] == nil {
                guard members.count < configuration.maxSize else { return fail(.groupMaxSizeReached, "group \(groupID) is full") }
                members[memberID] = ConsumerGroupMember(
                    memberID: memberID, instanceID: input.instanceID, rackID: input.rackID, clientID: input.clientID,
                    clientHost: input.clientHost, subscribedTopics: topics, serverAssignor: input.serverAssignor,
                    rebalanceTimeoutMs: input.rebalanceTimeoutMs, memberEpoch: 0, previousMemberEpoch: 0,
                    assigned: [], revoking: [], lastSentAssignment: nil, sessionDeadline: 0)
                return reconcile(memberID, input: input, counts: counts, now: now, joined: true)
            }
            // A rejoin with epoch 0 restarts the member's reconciliation from scratch.
            members[memberID]?.lastSentAssignment = nil
            return reconcile(memberID, input: input, counts: counts, now: now)
        default:
            guard let member = members[input.memberID] else {
                return fail(.unknownMemberID, "member \(input.memberID) is not in group \(groupID)")
            }
            guard input.memberEpoch == member.memberEpoch || input.memberEpoch == member.previousMemberEpoch else {
                return fail(.fencedMemberEpoch, "member \(input.memberID) sent epoch \(input.memberEpoch), its epoch is \(member.memberEpoch)")
            }
            if input.memberEpoch == member.previousMemberEpoch && input.memberEpoch != member.memberEpoch {
                // It missed our last response: send the assignment again.
                members[input.memberID]?.lastSentAssignment = nil
            }
            return reconcile(input.memberID, input: input, counts: counts, now: now)
        }
    }

    private mutating func bumpEpoch() {
        groupEpoch += 1
    }

    private mutating func reconcile(_ memberID: String, input: ConsumerGroupHeartbeatInput, counts: [String: Int32],
                                    now: Int64, joined: Bool = false) -> ConsumerGroupHeartbeatOutcome {
        guard var member = members[memberID] else {
            return ConsumerGroupHeartbeatOutcome(error: .unknownMemberID, memberID: memberID, memberEpoch: input.memberEpoch)
        }
        var changed = joined
        if let topics = input.subscribedTopics, topics.sorted() != member.subscribedTopics.sorted() {
            member.subscribedTopics = topics
            changed = true
        }
        if let assignor = input.serverAssignor, assignor != member.serverAssignor {
            member.serverAssignor = assignor
            changed = true
        }
        if input.rebalanceTimeoutMs >= 0 { member.rebalanceTimeoutMs = input.rebalanceTimeoutMs }
        if let rack = input.rackID { member.rackID = rack }
        member.sessionDeadline = now + Int64(configuration.sessionTimeoutMs)
        members[memberID] = member
        let subscribed = Set(members.values.flatMap(\.subscribedTopics))
        let relevantCounts = counts.filter { subscribed.contains($0.key) }
        if changed || relevantCounts != partitionCounts { bumpEpoch() }
        if assignmentEpoch < groupEpoch { computeTargetAssignment(counts: relevantCounts) }

        // Revocations first: the member keeps its epoch until it no longer owns them.
        let target = targetAssignment[memberID] ?? []
        member = members[memberID]!
        let mustGo = member.assigned.subtracting(target)
        member.assigned.subtract(mustGo)
        member.revoking.formUnion(mustGo)
        if let owned = input.ownedPartitions {
            member.revoking.formIntersection(owned)
        }
        if member.revoking.isEmpty {
            let ownedElsewhere = members.values.filter { $0.memberID != memberID }.reduce(into: Set<TopicPartition>()) { $0.formUnion($1.owned) }
            member.assigned.formUnion(target.subtracting(ownedElsewhere))
            if member.memberEpoch != assignmentEpoch {
                member.previousMemberEpoch = member.memberEpoch
                member.memberEpoch = assignmentEpoch
            }
        }
        let send = member.lastSentAssignment != member.assigned
            || (input.ownedPartitions.map { $0 != member.owned } ?? false)
        if send { member.lastSentAssignment = member.assigned }
        members[memberID] = member
        return ConsumerGroupHeartbeatOutcome(memberID: memberID, memberEpoch: member.memberEpoch,
                                             assignment: send ? member.assigned : nil)
    }

    private mutating func computeTargetAssignment(counts: [String: Int32]) {
        let assignor = ServerAssignors.named(assignorName) ?? ServerAssignors.all[0]
        let inputs = members.values.sorted { $0.memberID < $1.memberID }.map {
            AssignorMember(memberID: $0.memberID, subscribedTopics: Set($0.subscribedTopics), currentAssignment: $0.owned)
        }
        targetAssignment = assignor.assign(members: inputs, partitionCounts: counts)
        partitionCounts = counts
        assignmentEpoch = groupEpoch
    }

    // MARK: Time

    /// Removes members whose session ended; returns their ids. Call with the current time; the
    /// earliest deadline is ``nextDeadline``.
    public mutating func expireSessions(nowMs now: Int64) -> [String] {
        let expired = members.values.filter { $0.sessionDeadline <= now }.map(\.memberID)
        for id in expired { members[id] = nil }
        if !expired.isEmpty { bumpEpoch() }
        return expired.sorted()
    }

    public var nextDeadline: Int64? { members.values.map(\.sessionDeadline).min() }

    /// The member's epoch check for OffsetCommit v9 and OffsetFetch v9.
    public func validateEpoch(memberID: String, memberEpoch: Int32) -> ConsumerGroupError? {
        guard let member = members[memberID] else { return .unknownMemberID }
        if memberEpoch > member.memberEpoch { return .fencedMemberEpoch }
        if memberEpoch < member.memberEpoch { return .staleMemberEpoch }
        return nil
    }
}

/// A classic group's membership as stored in `__consumer_offsets` (Kafka's group-metadata
/// record), so that after a restart members keep heartbeating in their generation instead of
/// rejoining.
extension ClassicGroupStateMachine {
    /// The record to store after a `.persistGroup` output.
    public func metadataValue(nowMs now: Int64) -> GroupMetadataValue {
        GroupMetadataValue(
            protocolType: protocolType ?? "", generation: generationID, protocolName: protocolName, leader: leaderID,
            currentStateTimestamp: emptySince ?? now,
            members: state == .stable ? members.map { member in
                GroupMetadataValue.Member(
                    memberID: member.memberID, instanceID: member.instanceID, clientID: member.clientID,
                    clientHost: member.clientHost, rebalanceTimeoutMs: member.rebalanceTimeoutMs,
                    sessionTimeoutMs: member.sessionTimeoutMs,
                    subscription: protocolName.map(member.metadata(for:)) ?? [], assignment: member.assignment)
            } : [])
    }

    /// A group taken over from its stored record: Stable with its members (each with a fresh
    /// session, whose timers are in the outputs), or Empty.
    public static func restored(groupID: String, configuration: GroupConfiguration, from value: GroupMetadataValue,
                                nowMs now: Int64) -> (ClassicGroupStateMachine, [GroupOutput]) {
        var machine = ClassicGroupStateMachine(groupID: groupID, configuration: configuration)
        machine.restore(value, now: now)
        let outputs = machine.members.map { GroupOutput.schedule(.session(memberID: $0.memberID), atMs: $0.sessionDeadline) }
        return (machine, outputs)
    }

    private mutating func restore(_ value: GroupMetadataValue, now: Int64) {
        generationID = value.generation
        guard !value.members.isEmpty, let name = value.protocolName else {
            state = .empty
            emptySince = value.currentStateTimestamp >= 0 ? value.currentStateTimestamp : now
            return
        }
        state = .stable
        protocolType = value.protocolType
        protocolName = name
        leaderID = value.leader
        members = value.members.map { stored in
            var member = GroupMember(
                memberID: stored.memberID, instanceID: stored.instanceID, clientID: stored.clientID,
                clientHost: stored.clientHost, sessionTimeoutMs: stored.sessionTimeoutMs,
                rebalanceTimeoutMs: stored.rebalanceTimeoutMs,
                protocols: [GroupProtocol(name: name, metadata: stored.subscription)], assignment: stored.assignment)
            member.sessionDeadline = now + Int64(stored.sessionTimeoutMs)
            return member
        }
    }
}

/// The classic consumer-group protocol (JoinGroup, SyncGroup, Heartbeat, LeaveGroup) for one
/// group, as a pure state machine: no sockets, no clocks. Each event takes the current time in
/// milliseconds and returns what the caller must do: answer held-back requests, arm timers,
/// store the group. Behaviour follows Kafka's classic group coordinator:
///
/// - JoinGroup is a barrier: responses are held until every known member has rejoined or the
///   rebalance timeout ends; the first rebalance of an empty group waits
///   `group.initial.rebalance.delay.ms` for more members.
/// - A new dynamic member on JoinGroup v4+ first gets MEMBER_ID_REQUIRED with its id.
/// - The protocol is chosen by the members' votes; the leader gets every member's metadata and
///   hands the assignment out through SyncGroup.
/// - Static members (`group.instance.id`) that restart within their session timeout take their
///   place back without a rebalance; an old instance is fenced (FENCED_INSTANCE_ID).
public struct ClassicGroupStateMachine: Sendable {
    public let groupID: String
    public let configuration: GroupConfiguration
    public internal(set) var state: GroupState = .empty
    public internal(set) var generationID: Int32 = 0
    public internal(set) var protocolType: String?
    public internal(set) var protocolName: String?
    public internal(set) var leaderID: String?
    /// When the group last became empty (offsets retention counts from here); nil while it has
    /// members or if it never had any.
    public internal(set) var emptySince: Int64?
    /// Members in the order they joined.
    public internal(set) var members: [GroupMember] = []
    /// Members told MEMBER_ID_REQUIRED, with the deadline by which they must join.
    var pendingMembers: [String: Int64] = [:]
    /// End of the current join phase, while preparing a rebalance.
    var joinDeadline: Int64?
    /// The initial-delay join phase of an empty group ends only by its timer, which each join
    /// pushes back, up to this cap (now + rebalance timeout when the phase started).
    private var initialDelayCap: Int64?

    public init(groupID: String, configuration: GroupConfiguration = GroupConfiguration()) {
        self.groupID = groupID
        self.configuration = configuration
    }

    // MARK: Queries

    public func member(_ memberID: String) -> GroupMember? {
        members.first { $0.memberID == memberID }
    }

    func index(of memberID: String) -> Int? {
        members.firstIndex { $0.memberID == memberID }
    }

    func index(ofInstance instanceID: String) -> Int? {
        members.firstIndex { $0.instanceID == instanceID }
    }

    // MARK: JoinGroup

    /// Handles a JoinGroup request; its response is in the returned outputs, now or later.
    public mutating func join(_ input: JoinGroupInput, nowMs now: Int64) -> [GroupOutput] {
        func fail(_ error: GroupErrorCode, memberID: String = input.memberID) -> [GroupOutput] {
            [.joinResponse(input.token, JoinGroupOutcome(error: error, memberID: memberID))]
        }
        guard state != .dead else { return fail(.coordinatorNotAvailable) }
        guard (configuration.minSessionTimeoutMs...configuration.maxSessionTimeoutMs).contains(input.sessionTimeoutMs) else {
            return fail(.invalidSessionTimeout)
        }
        guard supports(protocolType: input.protocolType, protocols: input.protocols) else {
            return fail(.inconsistentGroupProtocol)
        }
        var outputs: [GroupOutput] = []
        if input.memberID.isEmpty {
            if let instanceID = input.instanceID, let existing = index(ofInstance: instanceID) {
                rejoinStaticMember(at: existing, input, now: now, outputs: &outputs)
            } else if members.count >= configuration.maxSize {
                return fail(.groupMaxSizeReached)
            } else if input.requiresKnownMemberID {
                pendingMembers[input.newMemberID] = now + Int64(input.sessionTimeoutMs)
                outputs.append(.schedule(.session(memberID: input.newMemberID), atMs: now + Int64(input.sessionTimeoutMs)))
                outputs.append(.joinResponse(input.token, JoinGroupOutcome(error: .memberIDRequired, memberID: input.newMemberID)))
            } else {
                addMemberAndRebalance(input, memberID: input.newMemberID, now: now, outputs: &outputs)
            }
            return outputs
        }
        if pendingMembers.removeValue(forKey: input.memberID) != nil {
            guard members.count < configuration.maxSize else { return fail(.groupMaxSizeReached) }
            addMemberAndRebalance(input, memberID: input.memberID, now: now, outputs: &outputs)
            return outputs
        }
        if let instanceID = input.instanceID, let holder = index(ofInstance: instanceID),
           members[holder].memberID != input.memberID {
            return fail(.fencedInstanceID)
        }
        guard let position = index(of: input.memberID) else { return fail(.unknownMemberID) }
        switch state {
        case .preparingRebalance:
            updateMember(at: position, input, now: now, outputs: &outputs)
            tryCompleteJoin(now: now, outputs: &outputs)
        case .completingRebalance:
            if members[position].protocols == input.protocols {
                // The member lost our response: send it again.
                members[position].sessionDeadline = now + Int64(members[position].sessionTimeoutMs)
                outputs.append(.joinResponse(input.token, currentJoinOutcome(for: members[position].memberID)))
            } else {
                updateMember(at: position, input, now: now, outputs: &outputs)
                prepareRebalance(now: now, outputs: &outputs)
            }
        case .stable:
            if members[position].memberID == leaderID || members[position].protocols != input.protocols {
                updateMember(at: position, input, now: now, outputs: &outputs)
                prepareRebalance(now: now, outputs: &outputs)
            } else {
                members[position].sessionDeadline = now + Int64(members[position].sessionTimeoutMs)
                outputs.append(.joinResponse(input.token, currentJoinOutcome(for: members[position].memberID)))
            }
        case .empty, .dead:
            return fail(.unknownMemberID)
        }
        return outputs
    }

    /// An empty group accepts any non-empty protocol type and list; otherwise the type must match
    /// and one of the member's protocols must be supported by every current member.
    private func supports(protocolType: String, protocols: [GroupProtocol]) -> Bool {
        guard !protocolType.isEmpty, !protocols.isEmpty else { return false }
        guard !members.isEmpty else { return true }
        guard protocolType == self.protocolType else { return false }
        return protocols.contains { candidate in
            members.allSatisfy { member in member.protocols.contains { $0.name == candidate.name } }
        }
    }

    private mutating func addMemberAndRebalance(
        _ input: JoinGroupInput, memberID: String, now: Int64, outputs: inout [GroupOutput]
    ) {
        var member = GroupMember(
            memberID: memberID, instanceID: input.instanceID, clientID: input.clientID,
            clientHost: input.clientHost, sessionTimeoutMs: input.sessionTimeoutMs,
            rebalanceTimeoutMs: input.rebalanceTimeoutMs, protocols: input.protocols)
        member.pendingJoin = PendingJoin(token: input.token, version: input.version)
        member.sessionDeadline = now + Int64(input.sessionTimeoutMs)
        members.append(member)
        if protocolType == nil { protocolType = input.protocolType }
        if state == .preparingRebalance {
            extendInitialDelay(now: now, outputs: &outputs)
            tryCompleteJoin(now: now, outputs: &outputs)
        } else {
            prepareRebalance(now: now, outputs: &outputs)
        }
    }

    private mutating func updateMember(at position: Int, _ input: JoinGroupInput, now: Int64, outputs: inout [GroupOutput]) {
        if let previous = members[position].pendingJoin, previous.token != input.token {
            // A second join while the first is held: the first is superseded.
            outputs.append(.joinResponse(previous.token, JoinGroupOutcome(error: .unknownMemberID, memberID: members[position].memberID)))
        }
        members[position].protocols = input.protocols
        members[position].sessionTimeoutMs = input.sessionTimeoutMs
        members[position].rebalanceTimeoutMs = input.rebalanceTimeoutMs
        members[position].pendingJoin = PendingJoin(token: input.token, version: input.version)
        members[position].sessionDeadline = now + Int64(input.sessionTimeoutMs)
    }

    /// A static member came back with no member id: it takes over its old entry under a new id,
    /// and the old instance's held requests are fenced.
    private mutating func rejoinStaticMember(
        at position: Int, _ input: JoinGroupInput, now: Int64, outputs: inout [GroupOutput]
    ) {
        let oldID = members[position].memberID
        if let held = members[position].pendingJoin {
            outputs.append(.joinResponse(held.token, JoinGroupOutcome(error: .fencedInstanceID, memberID: oldID)))
            members[position].pendingJoin = nil
        }
        if let held = members[position].pendingSync {
            outputs.append(.syncResponse(held, SyncGroupOutcome(error: .fencedInstanceID)))
            members[position].pendingSync = nil
        }
        members[position].memberID = input.newMemberID
        if leaderID == oldID { leaderID = input.newMemberID }
        let protocolsUnchanged = members[position].protocols == input.protocols
        switch state {
        case .stable where protocolsUnchanged:
            members[position].clientID = input.clientID
            members[position].clientHost = input.clientHost
            members[position].sessionTimeoutMs = input.sessionTimeoutMs
            members[position].rebalanceTimeoutMs = input.rebalanceTimeoutMs
            members[position].sessionDeadline = now + Int64(input.sessionTimeoutMs)
            var outcome = currentJoinOutcome(for: input.newMemberID)
            outcome.skipAssignment = input.newMemberID == leaderID
            outputs.append(.persistGroup)
            outputs.append(.schedule(.session(memberID: input.newMemberID), atMs: members[position].sessionDeadline))
            outputs.append(.joinResponse(input.token, outcome))
        case .preparingRebalance:
            updateMember(at: position, input, now: now, outputs: &outputs)
            tryCompleteJoin(now: now, outputs: &outputs)
        default:
            updateMember(at: position, input, now: now, outputs: &outputs)
            prepareRebalance(now: now, outputs: &outputs)
        }
    }

    /// The JoinGroup response for a member of the current generation: the leader also gets
    /// every member with its metadata for the chosen protocol.
    private func currentJoinOutcome(for memberID: String) -> JoinGroupOutcome {
        var outcome = JoinGroupOutcome(
            error: .none, generationID: generationID, protocolType: protocolType,
            protocolName: protocolName, leaderID: leaderID ?? "", memberID: memberID)
        if memberID == leaderID, let protocolName {
            outcome.members = members.map {
                JoinGroupMemberInfo(memberID: $0.memberID, instanceID: $0.instanceID, metadata: $0.metadata(for: protocolName))
            }
        }
        return outcome
    }

    // MARK: Rebalance

    mutating func prepareRebalance(now: Int64, outputs: inout [GroupOutput]) {
        if state == .completingRebalance {
            for index in members.indices {
                members[index].assignment = []
                if let held = members[index].pendingSync {
                    outputs.append(.syncResponse(held, SyncGroupOutcome(error: .rebalanceInProgress)))
                    members[index].pendingSync = nil
                }
            }
        }
        let wasEmpty = state == .empty
        state = .preparingRebalance
        emptySince = nil
        let rebalanceTimeout = Int64(members.map(\.rebalanceTimeoutMs).max() ?? 0)
        if wasEmpty && configuration.initialRebalanceDelayMs > 0 {
            initialDelayCap = now + rebalanceTimeout
            joinDeadline = now + min(configuration.initialRebalanceDelayMs, rebalanceTimeout)
        } else {
            initialDelayCap = nil
            joinDeadline = now + rebalanceTimeout
        }
        outputs.append(.schedule(.join, atMs: joinDeadline!))
        tryCompleteJoin(now: now, outputs: &outputs)
    }

    private mutating func extendInitialDelay(now: Int64, outputs: inout [GroupOutput]) {
        guard let cap = initialDelayCap else { return }
        let extended = min(now + configuration.initialRebalanceDelayMs, cap)
        if extended > (joinDeadline ?? 0) {
            joinDeadline = extended
            outputs.append(.schedule(.join, atMs: extended))
        }
    }

    /// Completes the join phase early once every member has rejoined and no member is still
    /// expected to come back with its assigned id (the initial delay always runs to its end).
    mutating func tryCompleteJoin(now: Int64, outputs: inout [GroupOutput]) {
        guard state == .preparingRebalance, initialDelayCap == nil, pendingMembers.isEmpty,
              members.allSatisfy({ $0.pendingJoin != nil }) else { return }
        completeJoin(now: now, outputs: &outputs)
    }

    mutating func completeJoin(now: Int64, outputs: inout [GroupOutput]) {
        // Dynamic members that did not rejoin in time are gone; static ones stay until their
        // session ends, so that a restart does not cost them their place.
        members.removeAll { $0.pendingJoin == nil && $0.instanceID == nil }
        joinDeadline = nil
        initialDelayCap = nil
        generationID &+= 1
        guard !members.isEmpty else {
            state = .empty
            emptySince = now
            protocolName = nil
            leaderID = nil
            protocolType = nil
            outputs.append(.persistGroup)
            return
        }
        state = .completingRebalance
        protocolName = selectProtocol()
        if leaderID.map({ index(of: $0) == nil }) ?? true {
            leaderID = members.first(where: { $0.pendingJoin != nil })?.memberID ?? members[0].memberID
        }
        for index in members.indices {
            guard let held = members[index].pendingJoin else { continue }
            members[index].pendingJoin = nil
            members[index].sessionDeadline = now + Int64(members[index].sessionTimeoutMs)
            outputs.append(.schedule(.session(memberID: members[index].memberID), atMs: members[index].sessionDeadline))
            outputs.append(.joinResponse(held.token, currentJoinOutcome(for: members[index].memberID)))
        }
    }

    /// Among the protocols every member supports, each member votes for its most preferred one;
    /// the most votes win, ties going to the earlier protocol in the first member's preference.
    private func selectProtocol() -> String? {
        guard let first = members.first else { return nil }
        let candidates = first.protocols.map(\.name).filter { name in
            members.allSatisfy { member in member.protocols.contains { $0.name == name } }
        }
        var votes: [String: Int] = [:]
        for member in members {
            if let choice = member.protocols.first(where: { candidates.contains($0.name) }) {
                votes[choice.name, default: 0] += 1
            }
        }
        var best: String?
        var bestVotes = -1
        for name in candidates where votes[name, default: 0] > bestVotes {
            best = name
            bestVotes = votes[name, default: 0]
        }
        return best
    }
}

/// SyncGroup, Heartbeat, LeaveGroup and timers of the classic group protocol.
extension ClassicGroupStateMachine {
    // MARK: SyncGroup

    /// Handles a SyncGroup request; followers' responses are held until the leader's assignment
    /// arrives.
    public mutating func sync(_ input: SyncGroupInput, nowMs now: Int64) -> [GroupOutput] {
        func answer(_ error: GroupErrorCode) -> [GroupOutput] {
            [.syncResponse(input.token, SyncGroupOutcome(error: error))]
        }
        guard state != .dead else { return answer(.coordinatorNotAvailable) }
        if let error = memberCheck(memberID: input.memberID, instanceID: input.instanceID) { return answer(error) }
        guard input.generationID == generationID else { return answer(.illegalGeneration) }
        if let type = input.protocolType, type != protocolType { return answer(.inconsistentGroupProtocol) }
        if let name = input.protocolName, name != protocolName { return answer(.inconsistentGroupProtocol) }
        guard let position = index(of: input.memberID) else { return answer(.unknownMemberID) }
        members[position].sessionDeadline = now + Int64(members[position].sessionTimeoutMs)
        var outputs: [GroupOutput] = [
            .schedule(.session(memberID: input.memberID), atMs: members[position].sessionDeadline)
        ]
        switch state {
        case .empty, .dead:
            return answer(.unknownMemberID)
        case .preparingRebalance:
            return answer(.rebalanceInProgress)
        case .stable:
            outputs.append(.syncResponse(input.token, syncOutcome(assignment: members[position].assignment)))
        case .completingRebalance:
            members[position].pendingSync = input.token
            if input.memberID == leaderID {
                for index in members.indices {
                    members[index].assignment = input.assignments[members[index].memberID] ?? []
                }
                state = .stable
                outputs.append(.persistGroup)
                for index in members.indices {
                    guard let held = members[index].pendingSync else { continue }
                    members[index].pendingSync = nil
                    outputs.append(.syncResponse(held, syncOutcome(assignment: members[index].assignment)))
                }
            }
        }
        return outputs
    }

    private func syncOutcome(assignment: [UInt8]) -> SyncGroupOutcome {
        SyncGroupOutcome(error: .none, protocolType: protocolType, protocolName: protocolName, assignment: assignment)
    }

    /// FENCED_INSTANCE_ID when the instance id belongs to another member id, UNKNOWN_MEMBER_ID
    /// when the member is not in the group, nil when it is.
    private func memberCheck(memberID: String, instanceID: String?) -> GroupErrorCode? {
        if let instanceID, let holder = index(ofInstance: instanceID), members[holder].memberID != memberID {
            return .fencedInstanceID
        }
        return index(of: memberID) == nil ? .unknownMemberID : nil
    }

    // MARK: Heartbeat

    /// Handles a Heartbeat: keeps the member's session alive and tells it whether to rejoin.
    public mutating func heartbeat(
        memberID: String, instanceID: String? = nil, generationID: Int32, nowMs now: Int64
    ) -> (GroupErrorCode, [GroupOutput]) {
        guard state != .dead else { return (.coordinatorNotAvailable, []) }
        guard state != .empty else { return (.unknownMemberID, []) }
        if let error = memberCheck(memberID: memberID, instanceID: instanceID) { return (error, []) }
        guard generationID == self.generationID, let position = index(of: memberID) else {
            return (.illegalGeneration, [])
        }
        members[position].sessionDeadline = now + Int64(members[position].sessionTimeoutMs)
        let timer = GroupOutput.schedule(.session(memberID: memberID), atMs: members[position].sessionDeadline)
        return (state == .preparingRebalance ? .rebalanceInProgress : .none, [timer])
    }

    // MARK: LeaveGroup

    /// Handles a LeaveGroup request for one or more members; each gets its own error code.
    public mutating func leave(_ leaving: [LeavingMember], nowMs now: Int64) -> ([GroupErrorCode], [GroupOutput]) {
        guard state != .dead else { return (leaving.map { _ in .coordinatorNotAvailable }, []) }
        var outputs: [GroupOutput] = []
        var errors: [GroupErrorCode] = []
        for member in leaving {
            if let instanceID = member.instanceID {
                guard let position = index(ofInstance: instanceID) else {
                    errors.append(.unknownMemberID)
                    continue
                }
                if !member.memberID.isEmpty, members[position].memberID != member.memberID {
                    errors.append(.fencedInstanceID)
                    continue
                }
                removeMember(at: position, now: now, outputs: &outputs)
            } else if pendingMembers.removeValue(forKey: member.memberID) != nil {
                tryCompleteJoin(now: now, outputs: &outputs)
            } else if let position = index(of: member.memberID) {
                removeMember(at: position, now: now, outputs: &outputs)
            } else {
                errors.append(.unknownMemberID)
                continue
            }
            errors.append(.none)
        }
        return (errors, outputs)
    }

    mutating func removeMember(at position: Int, now: Int64, outputs: inout [GroupOutput]) {
        let removed = members.remove(at: position)
        if let held = removed.pendingJoin {
            outputs.append(.joinResponse(held.token, JoinGroupOutcome(error: .unknownMemberID, memberID: removed.memberID)))
        }
        if let held = removed.pendingSync {
            outputs.append(.syncResponse(held, SyncGroupOutcome(error: .unknownMemberID)))
        }
        switch state {
        case .stable, .completingRebalance:
            prepareRebalance(now: now, outputs: &outputs)
        case .preparingRebalance:
            if members.isEmpty && pendingMembers.isEmpty {
                completeJoin(now: now, outputs: &outputs)
            } else {
                tryCompleteJoin(now: now, outputs: &outputs)
            }
        case .empty, .dead:
            break
        }
    }

    // MARK: Timers

    /// A timer armed through a `.schedule` output fired. Timers that are no longer due (the
    /// member heartbeated since, the phase already ended) do nothing.
    public mutating func timerFired(_ timer: GroupTimer, nowMs now: Int64) -> [GroupOutput] {
        var outputs: [GroupOutput] = []
        switch timer {
        case .join:
            guard state == .preparingRebalance, let deadline = joinDeadline, now >= deadline else { break }
            completeJoin(now: now, outputs: &outputs)
        case .session(let memberID):
            if let deadline = pendingMembers[memberID] {
                guard now >= deadline else { break }
                pendingMembers[memberID] = nil
                tryCompleteJoin(now: now, outputs: &outputs)
            } else if let position = index(of: memberID) {
                let member = members[position]
                guard now >= member.sessionDeadline else { break }
                if member.pendingJoin != nil || member.pendingSync != nil {
                    // Waiting on us is not silence: keep the member and look again later.
                    members[position].sessionDeadline = now + Int64(member.sessionTimeoutMs)
                    outputs.append(.schedule(timer, atMs: members[position].sessionDeadline))
                } else {
                    removeMember(at: position, now: now, outputs: &outputs)
                }
            }
        }
        return outputs
    }

    // MARK: Deletion

    /// DeleteGroups and partition emigration: the group serves nothing afterwards.
    public mutating func markDead() {
        state = .dead
    }
}

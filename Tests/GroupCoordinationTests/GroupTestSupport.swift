@testable import GroupCoordination

/// Drives a group the way the coordinator shell would, with a fake clock and numbered requests.
struct GroupDriver {
    var group: ClassicGroupStateMachine
    var now: Int64 = 1_000_000
    var nextToken: ResponseToken = 1
    var nextMemberNumber = 1
    /// Every output the group produced, in order.
    var outputs: [GroupOutput] = []

    init(configuration: GroupConfiguration = .testing) {
        group = ClassicGroupStateMachine(groupID: "g", configuration: configuration)
    }

    static let range = [GroupProtocol(name: "range", metadata: [1])]

    /// Sends a JoinGroup and returns its token.
    mutating func join(
        memberID: String = "", instanceID: String? = nil, version: Int16 = 5,
        protocols: [GroupProtocol] = range, sessionTimeoutMs: Int32 = 10_000, rebalanceTimeoutMs: Int32 = 30_000
    ) -> ResponseToken {
        let token = nextToken
        nextToken += 1
        let newID = "member-\(nextMemberNumber)"
        nextMemberNumber += 1
        outputs += group.join(JoinGroupInput(
            token: token, version: version, memberID: memberID, instanceID: instanceID,
            protocolType: "consumer", protocols: protocols, sessionTimeoutMs: sessionTimeoutMs,
            rebalanceTimeoutMs: rebalanceTimeoutMs, clientID: "client", clientHost: "/127.0.0.1",
            newMemberID: newID), nowMs: now)
        return token
    }

    /// Two members in generation 2, both joined, nobody synced in it yet: the leader (the
    /// first to join) and the follower.
    static func twoJoinedMembers() -> (GroupDriver, leader: String, follower: String) {
        var driver = GroupDriver()
        _ = driver.join(version: 3)
        let leader = driver.group.members[0].memberID
        _ = driver.sync(memberID: leader, generation: 1, assignments: [leader: [1]])
        _ = driver.join(version: 3)
        let follower = driver.group.members[1].memberID
        _ = driver.join(memberID: leader, version: 3)
        return (driver, leader, follower)
    }

    mutating func sync(memberID: String, instanceID: String? = nil, generation: Int32, assignments: [String: [UInt8]] = [:]) -> ResponseToken {
        let token = nextToken
        nextToken += 1
        outputs += group.sync(SyncGroupInput(
            token: token, memberID: memberID, instanceID: instanceID, generationID: generation,
            assignments: assignments), nowMs: now)
        return token
    }

    mutating func heartbeat(_ memberID: String, generation: Int32, instanceID: String? = nil) -> GroupErrorCode {
        let (error, more) = group.heartbeat(memberID: memberID, instanceID: instanceID, generationID: generation, nowMs: now)
        outputs += more
        return error
    }

    /// Moves the clock and fires every timer that is due, as the shell's timer wheel would.
    mutating func advance(byMs delta: Int64) {
        let target = now + delta
        while true {
            let due = latestSchedules().filter { $0.value <= target }.sorted { $0.value < $1.value }
            guard let next = due.first else { break }
            now = max(now, next.value)
            fired.insert(TimerFiring(timer: next.key, at: next.value))
            outputs += group.timerFired(next.key, nowMs: now)
        }
        now = target
    }

    private struct TimerFiring: Hashable {
        var timer: GroupTimer
        var at: Int64
    }

    private var fired: Set<TimerFiring> = []

    /// The last schedule of each timer that has not fired yet.
    private func latestSchedules() -> [GroupTimer: Int64] {
        var latest: [GroupTimer: Int64] = [:]
        for case .schedule(let timer, let at) in outputs { latest[timer] = at }
        return latest.filter { !fired.contains(TimerFiring(timer: $0.key, at: $0.value)) }
    }

    func joinResponse(_ token: ResponseToken) -> JoinGroupOutcome? {
        for case .joinResponse(let t, let outcome) in outputs where t == token { return outcome }
        return nil
    }

    func syncResponse(_ token: ResponseToken) -> SyncGroupOutcome? {
        for case .syncResponse(let t, let outcome) in outputs where t == token { return outcome }
        return nil
    }

    /// Joins a dynamic member the v4+ way (MEMBER_ID_REQUIRED, then join with the id) and
    /// returns its member id and the token of the held join.
    mutating func joinDynamic() -> (memberID: String, token: ResponseToken) {
        let first = join()
        let memberID = joinResponse(first)!.memberID
        return (memberID, join(memberID: memberID))
    }
}

extension GroupConfiguration {
    static var testing: GroupConfiguration {
        var configuration = GroupConfiguration()
        configuration.initialRebalanceDelayMs = 0
        return configuration
    }
}

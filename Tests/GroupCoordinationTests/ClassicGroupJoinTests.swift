import Testing
@testable import GroupCoordination

@Suite struct ClassicGroupJoinTests {
    @Test func firstJoinOnV4AndLaterRequiresAMemberID() {
        var driver = GroupDriver()
        let token = driver.join(version: 4)
        let outcome = driver.joinResponse(token)
        #expect(outcome?.error == .memberIDRequired)
        #expect(outcome?.memberID == "member-1")
        #expect(driver.group.members.isEmpty)
        #expect(driver.group.state == .empty)
    }

    @Test(arguments: [Int16(0), 1, 2, 3])
    func olderVersionsJoinAtOnceWithoutMemberIDRequired(version: Int16) {
        var driver = GroupDriver()
        let token = driver.join(version: version)
        let outcome = driver.joinResponse(token)
        #expect(outcome?.error == GroupErrorCode.none)
        #expect(outcome?.memberID == "member-1")
        #expect(outcome?.generationID == 1)
        #expect(driver.group.state == .completingRebalance)
    }

    @Test func singleMemberBecomesLeaderAndGetsItsOwnMetadata() {
        var driver = GroupDriver()
        let (memberID, token) = driver.joinDynamic()
        let outcome = driver.joinResponse(token)
        #expect(outcome?.error == GroupErrorCode.none)
        #expect(outcome?.leaderID == memberID)
        #expect(outcome?.protocolName == "range")
        #expect(outcome?.members == [JoinGroupMemberInfo(memberID: memberID, instanceID: nil, metadata: [1])])
    }

    @Test func joinIsABarrierUntilEveryKnownMemberRejoins() {
        var driver = GroupDriver()
        let (a, tokenA) = driver.joinDynamic()
        #expect(driver.joinResponse(tokenA) != nil)
        _ = driver.sync(memberID: a, generation: 1, assignments: [a: [9]])
        #expect(driver.group.state == .stable)

        // A second member joins: a rebalance starts and its join is held...
        let (b, tokenB) = driver.joinDynamic()
        #expect(driver.group.state == .preparingRebalance)
        #expect(driver.joinResponse(tokenB) == nil)
        // ...the first member learns it through its heartbeat...
        #expect(driver.heartbeat(a, generation: 1) == .rebalanceInProgress)
        // ...and once it rejoins, both get generation 2.
        let rejoinA = driver.join(memberID: a)
        let outcomeA = driver.joinResponse(rejoinA)
        let outcomeB = driver.joinResponse(tokenB)
        #expect(outcomeA?.generationID == 2)
        #expect(outcomeB?.generationID == 2)
        #expect(outcomeA?.leaderID == a)
        #expect(outcomeA?.members.map(\.memberID) == [a, b])
        #expect(outcomeB?.members == [])
    }

    @Test func memberThatDoesNotRejoinIsDroppedWhenTheRebalanceTimeoutEnds() {
        var driver = GroupDriver()
        _ = driver.join(version: 3, sessionTimeoutMs: 60_000)
        let a = driver.group.members[0].memberID
        _ = driver.sync(memberID: a, generation: 1, assignments: [:])
        let tokenB = driver.join(version: 3, sessionTimeoutMs: 60_000)
        let b = driver.group.members[1].memberID
        #expect(driver.joinResponse(tokenB) == nil)
        // a keeps heartbeating but never rejoins; the 30 s rebalance timeout ends the join phase.
        driver.advance(byMs: 15_000)
        #expect(driver.heartbeat(a, generation: 1) == .rebalanceInProgress)
        driver.advance(byMs: 14_999)
        #expect(driver.joinResponse(tokenB) == nil)
        driver.advance(byMs: 1)
        let outcome = driver.joinResponse(tokenB)
        #expect(outcome?.error == GroupErrorCode.none)
        #expect(outcome?.generationID == 2)
        #expect(outcome?.leaderID == b)
        #expect(driver.group.members.map(\.memberID) == [b])
    }

    @Test func protocolIsChosenByVotesAmongThoseEveryoneSupports() {
        var driver = GroupDriver()
        let both = [GroupProtocol(name: "cooperative-sticky", metadata: [2]), GroupProtocol(name: "range", metadata: [1])]
        let rangeFirst = [GroupProtocol(name: "range", metadata: [1]), GroupProtocol(name: "cooperative-sticky", metadata: [2])]
        _ = driver.join(version: 3, protocols: both)
        let a = driver.group.members[0].memberID
        // Second and third members prefer range; the leader's rejoin keeps its preference.
        let tokenB = driver.join(version: 3, protocols: rangeFirst)
        let tokenC = driver.join(version: 3, protocols: rangeFirst)
        _ = driver.join(memberID: a, version: 3, protocols: both)
        #expect(driver.joinResponse(tokenB)?.protocolName == "range")
        #expect(driver.joinResponse(tokenC)?.protocolName == "range")
    }

    @Test func incompatibleProtocolsAreRejected() {
        var driver = GroupDriver()
        _ = driver.join(version: 3)
        let token = driver.join(version: 3, protocols: [GroupProtocol(name: "roundrobin", metadata: [])])
        #expect(driver.joinResponse(token)?.error == .inconsistentGroupProtocol)
    }

    @Test(arguments: [Int32(5_999), 1_800_001])
    func sessionTimeoutOutsideTheBrokerBoundsIsRejected(timeout: Int32) {
        var driver = GroupDriver()
        let token = driver.join(sessionTimeoutMs: timeout)
        #expect(driver.joinResponse(token)?.error == .invalidSessionTimeout)
    }

    @Test func unknownMemberIDIsRejected() {
        var driver = GroupDriver()
        let token = driver.join(memberID: "nobody")
        #expect(driver.joinResponse(token)?.error == .unknownMemberID)
    }

    @Test func initialRebalanceDelayCollectsMembersBeforeTheFirstGeneration() {
        var configuration = GroupConfiguration.testing
        configuration.initialRebalanceDelayMs = 3_000
        var driver = GroupDriver(configuration: configuration)
        let tokenA = driver.join(version: 3)
        driver.advance(byMs: 2_000)
        let tokenB = driver.join(version: 3)
        driver.advance(byMs: 2_000)  // 4 s after the first join; B's join pushed the end to 5 s
        #expect(driver.joinResponse(tokenA) == nil)
        driver.advance(byMs: 1_000)
        #expect(driver.joinResponse(tokenA)?.generationID == 1)
        #expect(driver.joinResponse(tokenB)?.generationID == 1)
        #expect(driver.group.members.count == 2)
    }

    @Test func groupMaxSizeIsEnforced() {
        var configuration = GroupConfiguration.testing
        configuration.maxSize = 1
        var driver = GroupDriver(configuration: configuration)
        _ = driver.join(version: 3)
        let token = driver.join(version: 3)
        #expect(driver.joinResponse(token)?.error == .groupMaxSizeReached)
    }
}

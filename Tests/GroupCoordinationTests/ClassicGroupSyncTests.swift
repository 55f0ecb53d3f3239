import Testing
@testable import GroupCoordination

@Suite struct ClassicGroupSyncTests {
    private func twoMembers() -> (GroupDriver, leader: String, follower: String) {
        GroupDriver.twoJoinedMembers()
    }

    @Test func followerWaitsForTheLeadersAssignment() {
        var (driver, leader, follower) = twoMembers()
        #expect(driver.group.generationID == 2)
        let followerSync = driver.sync(memberID: follower, generation: 2)
        #expect(driver.syncResponse(followerSync) == nil)
        let leaderSync = driver.sync(memberID: leader, generation: 2, assignments: [leader: [0xA], follower: [0xB]])
        #expect(driver.syncResponse(leaderSync)?.assignment == [0xA])
        #expect(driver.syncResponse(followerSync)?.assignment == [0xB])
        #expect(driver.syncResponse(followerSync)?.protocolName == "range")
        #expect(driver.group.state == .stable)
        #expect(driver.outputs.contains(.persistGroup))
    }

    @Test func syncInStableStateReturnsTheCurrentAssignment() {
        var (driver, leader, follower) = twoMembers()
        _ = driver.sync(memberID: leader, generation: 2, assignments: [leader: [0xA], follower: [0xB]])
        let again = driver.sync(memberID: follower, generation: 2)
        #expect(driver.syncResponse(again)?.assignment == [0xB])
    }

    @Test func errorsAsKafkaAnswersThem() {
        var (driver, leader, _) = twoMembers()
        let stale = driver.sync(memberID: leader, generation: 1)
        #expect(driver.syncResponse(stale)?.error == .illegalGeneration)
        let ghost = driver.sync(memberID: "ghost", generation: 2)
        #expect(driver.syncResponse(ghost)?.error == .unknownMemberID)
        #expect(driver.heartbeat("ghost", generation: 2) == .unknownMemberID)
        #expect(driver.heartbeat(leader, generation: 7) == .illegalGeneration)
        #expect(driver.heartbeat(leader, generation: 2) == GroupErrorCode.none)
    }

    @Test func aRebalanceDuringCompletingRebalanceAnswersHeldSyncsWithRebalanceInProgress() {
        var (driver, _, follower) = twoMembers()
        let held = driver.sync(memberID: follower, generation: 2)
        _ = driver.join(version: 3)  // a third member arrives before the leader synced
        #expect(driver.syncResponse(held)?.error == .rebalanceInProgress)
        #expect(driver.group.state == .preparingRebalance)
    }

    @Test func silentMemberExpiresAfterItsSessionTimeoutAndTheOthersRebalance() {
        var (driver, leader, follower) = twoMembers()
        _ = driver.sync(memberID: leader, generation: 2, assignments: [leader: [1], follower: [2]])
        _ = driver.sync(memberID: follower, generation: 2)
        for _ in 0..<3 {
            driver.advance(byMs: 3_000)
            #expect(driver.heartbeat(leader, generation: 2) == GroupErrorCode.none)
        }
        #expect(driver.group.member(follower) != nil)
        // 12 s without a heartbeat from the follower: its 10 s session is over.
        driver.advance(byMs: 3_000)
        #expect(driver.group.member(follower) == nil)
        #expect(driver.heartbeat(leader, generation: 2) == .rebalanceInProgress)
        let rejoin = driver.join(memberID: leader, version: 3)
        #expect(driver.joinResponse(rejoin)?.generationID == 3)
        #expect(driver.joinResponse(rejoin)?.members.map(\.memberID) == [leader])
    }

    @Test func leaveGroupRemovesMembersAndStartsARebalance() {
        var (driver, leader, follower) = twoMembers()
        _ = driver.sync(memberID: leader, generation: 2, assignments: [:])
        let (errors, outputs) = driver.group.leave(
            [LeavingMember(memberID: follower), LeavingMember(memberID: "ghost")], nowMs: driver.now)
        driver.outputs += outputs
        #expect(errors == [GroupErrorCode.none, .unknownMemberID])
        #expect(driver.group.state == .preparingRebalance)
        let rejoin = driver.join(memberID: leader, version: 3)
        #expect(driver.joinResponse(rejoin)?.generationID == 3)
    }

    @Test func lastMemberLeavingEmptiesTheGroup() {
        var driver = GroupDriver()
        _ = driver.join(version: 3)
        let only = driver.group.members[0].memberID
        _ = driver.sync(memberID: only, generation: 1, assignments: [:])
        let (errors, _) = driver.group.leave([LeavingMember(memberID: only)], nowMs: driver.now)
        #expect(errors == [GroupErrorCode.none])
        #expect(driver.group.state == .empty)
        #expect(driver.group.generationID == 2)
        #expect(driver.group.protocolName == nil)
    }
}

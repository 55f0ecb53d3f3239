import Testing
@testable import GroupCoordination

@Suite struct ClassicGroupStaticMembershipTests {
    /// Two static members, stable in generation 1.
    private func stableStaticGroup() -> (GroupDriver, String, String) {
        var configuration = GroupConfiguration.testing
        configuration.initialRebalanceDelayMs = 1_000
        var driver = GroupDriver(configuration: configuration)
        _ = driver.join(instanceID: "i-1")
        _ = driver.join(instanceID: "i-2")
        driver.advance(byMs: 1_000)
        let a = driver.group.members[0].memberID
        let b = driver.group.members[1].memberID
        _ = driver.sync(memberID: a, instanceID: "i-1", generation: 1, assignments: [a: [1], b: [2]])
        _ = driver.sync(memberID: b, instanceID: "i-2", generation: 1)
        return (driver, a, b)
    }

    @Test func staticMembersJoinWithoutMemberIDRequired() {
        let (driver, _, _) = stableStaticGroup()
        #expect(driver.group.state == .stable)
        #expect(driver.group.members.map(\.instanceID) == ["i-1", "i-2"])
    }

    @Test func restartWithinTheSessionTimeoutRejoinsWithoutARebalance() {
        var (driver, a, b) = stableStaticGroup()
        driver.advance(byMs: 4_000)
        _ = driver.heartbeat(a, generation: 1, instanceID: "i-1")
        // i-2 restarts: a new process joins with no member id and the same instance id.
        let token = driver.join(instanceID: "i-2")
        let outcome = driver.joinResponse(token)
        #expect(outcome?.error == GroupErrorCode.none)
        #expect(outcome?.generationID == 1)
        #expect(outcome?.memberID != b)
        #expect(driver.group.state == .stable)
        // The others see no rebalance...
        #expect(driver.heartbeat(a, generation: 1, instanceID: "i-1") == GroupErrorCode.none)
        // ...and the restarted member gets its old assignment back.
        let newID = outcome!.memberID
        let sync = driver.sync(memberID: newID, instanceID: "i-2", generation: 1)
        #expect(driver.syncResponse(sync)?.assignment == [2])
        // The old process is fenced.
        #expect(driver.heartbeat(b, generation: 1, instanceID: "i-2") == .fencedInstanceID)
    }

    @Test func restartedStaticLeaderIsToldToSkipAssignment() {
        var (driver, _, _) = stableStaticGroup()
        let token = driver.join(instanceID: "i-1")
        let outcome = driver.joinResponse(token)
        #expect(outcome?.leaderID == outcome?.memberID)
        #expect(outcome?.skipAssignment == true)
        #expect(outcome?.members.count == 2)
        #expect(driver.group.state == .stable)
    }

    @Test func staticMemberThatStaysAwayPastItsSessionIsRemoved() {
        var (driver, a, b) = stableStaticGroup()
        for _ in 0..<4 {
            driver.advance(byMs: 3_000)
            _ = driver.heartbeat(a, generation: 1, instanceID: "i-1")
        }
        #expect(driver.group.member(b) == nil)
        #expect(driver.group.state == .preparingRebalance)
    }

    @Test func leaveByInstanceIDWithAnotherMembersIDIsFenced() {
        var (driver, a, _) = stableStaticGroup()
        let (errors, _) = driver.group.leave([LeavingMember(memberID: a, instanceID: "i-2")], nowMs: driver.now)
        #expect(errors == [.fencedInstanceID])
        let (more, _) = driver.group.leave([LeavingMember(memberID: "", instanceID: "i-2")], nowMs: driver.now)
        #expect(more == [GroupErrorCode.none])
        #expect(driver.group.members.count == 1)
    }
}

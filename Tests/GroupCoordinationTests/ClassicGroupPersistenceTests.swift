import NIOCore
import Testing
@testable import GroupCoordination

@Suite struct ClassicGroupPersistenceTests {
    /// A Stable group of two members in generation 2.
    private func stableGroup() -> (GroupDriver, leader: String, follower: String) {
        var (driver, leader, follower) = GroupDriver.twoJoinedMembers()
        _ = driver.sync(memberID: leader, generation: 2, assignments: [leader: [0xA], follower: [0xB]])
        return (driver, leader, follower)
    }

    @Test func aStoredStableGroupIsTakenOverAsItWas() throws {
        let (driver, leader, follower) = stableGroup()
        var buffer = ByteBuffer()
        driver.group.metadataValue(nowMs: driver.now).encode(into: &buffer)
        let stored = try GroupMetadataValue(from: &buffer)
        let (restored, outputs) = ClassicGroupStateMachine.restored(groupID: "g", configuration: .testing, from: stored, nowMs: 5_000_000)
        #expect(restored.state == .stable)
        #expect(restored.generationID == 2)
        #expect(restored.leaderID == leader)
        #expect(restored.protocolName == "range")
        #expect(restored.members.map(\.memberID) == [leader, follower])
        #expect(restored.member(follower)?.assignment == [0xB])
        // Each member has a fresh session, with its timer armed.
        #expect(outputs == [.schedule(.session(memberID: leader), atMs: 5_010_000),
                            .schedule(.session(memberID: follower), atMs: 5_010_000)])
        // Members keep heartbeating in their generation.
        var group = restored
        #expect(group.heartbeat(memberID: follower, instanceID: nil, generationID: 2, nowMs: 5_000_100).0 == .none)
        // One that never comes back is expired after its session.
        let expiry = group.timerFired(.session(memberID: leader), nowMs: 5_010_000)
        #expect(group.member(leader) == nil)
        #expect(group.state == .preparingRebalance)
        #expect(!expiry.isEmpty)
    }

    @Test func anEmptyGroupIsStoredWithoutMembers() throws {
        var driver = GroupDriver()
        _ = driver.join(version: 3)
        let only = driver.group.members[0].memberID
        _ = driver.sync(memberID: only, generation: 1, assignments: [only: [1]])
        _ = driver.group.leave([LeavingMember(memberID: only)], nowMs: driver.now)
        driver.advance(byMs: 60_000)
        let value = driver.group.metadataValue(nowMs: driver.now)
        #expect(value.members.isEmpty)
        let (restored, outputs) = ClassicGroupStateMachine.restored(groupID: "g", configuration: .testing, from: value, nowMs: driver.now)
        #expect(restored.state == .empty)
        #expect(outputs.isEmpty)
        #expect(restored.emptySince != nil)
    }
}

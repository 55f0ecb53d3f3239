import Testing
@testable import GroupCoordination

@Suite struct ConsumerGroupStateMachineTests {
    let counts: [String: Int32] = ["t": 4]

    func tp(_ partitions: Int32...) -> Set<TopicPartition> {
        Set(partitions.map { TopicPartition(topic: "t", partition: $0) })
    }

    func join(_ group: inout ConsumerGroupStateMachine, _ id: String, now: Int64 = 0) -> ConsumerGroupHeartbeatOutcome {
        group.heartbeat(ConsumerGroupHeartbeatInput(memberID: id, memberEpoch: 0, subscribedTopics: ["t"], ownedPartitions: []),
                        newMemberID: "unused", partitionCounts: counts, nowMs: now)
    }

    func beat(_ group: inout ConsumerGroupStateMachine, _ id: String, epoch: Int32, owned: Set<TopicPartition>? = nil,
              now: Int64 = 0) -> ConsumerGroupHeartbeatOutcome {
        group.heartbeat(ConsumerGroupHeartbeatInput(memberID: id, memberEpoch: epoch, ownedPartitions: owned),
                        newMemberID: "unused", partitionCounts: counts, nowMs: now)
    }

    @Test func aSingleMemberGetsEverything() {
        var group = ConsumerGroupStateMachine(groupID: "g")
        let outcome = join(&group, "a")
        #expect(outcome.error == nil)
        #expect(outcome.memberEpoch == 1)
        #expect(outcome.assignment == tp(0, 1, 2, 3))
        #expect(group.state == .stable)
        // An unchanged assignment is not sent again.
        #expect(beat(&group, "a", epoch: 1).assignment == nil)
    }

    @Test func aPartitionMovesOnlyAfterItsOwnerRevokedIt() {
        var group = ConsumerGroupStateMachine(groupID: "g")
        _ = join(&group, "a")
        let second = join(&group, "b")
        // b joined, but a still owns everything: b gets nothing yet.
        #expect(second.assignment == [])
        #expect(group.state == .reconciling)
        // a is told what it keeps; its epoch stays until it confirms.
        let keep = beat(&group, "a", epoch: 1, owned: tp(0, 1, 2, 3))
        #expect(keep.memberEpoch == 1)
        let kept = try! #require(keep.assignment)
        #expect(kept.count == 2)
        #expect(beat(&group, "b", epoch: 2).assignment == nil)
        // a confirms: its epoch moves, and b receives the released partitions.
        let confirmed = beat(&group, "a", epoch: 1, owned: kept)
        #expect(confirmed.memberEpoch == 2)
        let moved = beat(&group, "b", epoch: 2)
        #expect(moved.assignment == tp(0, 1, 2, 3).subtracting(kept))
        #expect(group.state == .stable)
        // Never two owners.
        #expect(group.members["a"]!.owned.isDisjoint(with: group.members["b"]!.owned))
    }

    @Test func leavingAndExpiringHandTheirPartitionsOver() {
        var group = ConsumerGroupStateMachine(groupID: "g")
        _ = join(&group, "a", now: 0)
        _ = join(&group, "b", now: 0)
        let kept = beat(&group, "a", epoch: 1, owned: tp(0, 1, 2, 3)).assignment!
        _ = beat(&group, "a", epoch: 1, owned: kept)
        _ = beat(&group, "b", epoch: 2)
        let left = group.heartbeat(ConsumerGroupHeartbeatInput(memberID: "b", memberEpoch: -1), newMemberID: "",
                                   partitionCounts: counts, nowMs: 10)
        #expect(left.memberEpoch == -1)
        #expect(beat(&group, "a", epoch: 2, now: 10).assignment == tp(0, 1, 2, 3))
        // a's session ends without heartbeats.
        #expect(group.expireSessions(nowMs: 10 + 45_000) == ["a"])
        #expect(group.state == .empty)
    }

    @Test(arguments: [
        (Int32(5), ConsumerGroupError.fencedMemberEpoch),
    ])
    func wrongEpochsAreFenced(epoch: Int32, error: ConsumerGroupError) {
        var group = ConsumerGroupStateMachine(groupID: "g")
        _ = join(&group, "a")
        #expect(beat(&group, "a", epoch: epoch).error == error)
        #expect(beat(&group, "nobody", epoch: 1).error == .unknownMemberID)
        #expect(group.validateEpoch(memberID: "a", memberEpoch: 0) == .staleMemberEpoch)
        #expect(group.validateEpoch(memberID: "a", memberEpoch: 1) == nil)
    }

    @Test func joinValidation() {
        var group = ConsumerGroupStateMachine(groupID: "g")
        let noTopics = group.heartbeat(ConsumerGroupHeartbeatInput(memberID: "a", memberEpoch: 0), newMemberID: "x",
                                       partitionCounts: counts, nowMs: 0)
        #expect(noTopics.error == .invalidRequest)
        let badAssignor = group.heartbeat(ConsumerGroupHeartbeatInput(memberID: "a", memberEpoch: 0, subscribedTopics: ["t"], serverAssignor: "magic"),
                                          newMemberID: "x", partitionCounts: counts, nowMs: 0)
        #expect(badAssignor.error == .unsupportedAssignor)
        let generated = group.heartbeat(ConsumerGroupHeartbeatInput(memberID: "", memberEpoch: 0, subscribedTopics: ["t"]),
                                        newMemberID: "generated", partitionCounts: counts, nowMs: 0)
        #expect(generated.memberID == "generated")
    }

    @Test func newPartitionsMoveTheEpoch() {
        var group = ConsumerGroupStateMachine(groupID: "g")
        _ = join(&group, "a")
        let grown = group.heartbeat(ConsumerGroupHeartbeatInput(memberID: "a", memberEpoch: 1), newMemberID: "",
                                    partitionCounts: ["t": 6], nowMs: 0)
        #expect(grown.memberEpoch == 2)
        #expect(grown.assignment?.count == 6)
    }
}

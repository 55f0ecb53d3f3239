import Testing
@testable import KafkaClient

@Suite struct AssignorTests {
    private func tp(_ topic: String, _ partition: Int32) -> TopicPartition { TopicPartition(topic, partition) }

    /// Kafka's RangeAssignor: contiguous ranges per topic, the first members get the remainder.
    @Test(arguments: [
        (Int32(4), 2, [[0, 1], [2, 3]]),
        (Int32(5), 2, [[0, 1, 2], [3, 4]]),
        (Int32(7), 3, [[0, 1, 2], [3, 4], [5, 6]]),
        (Int32(2), 3, [[0], [1], []]),
    ])
    func rangeSplitsEachTopic(partitions: Int32, memberCount: Int, expected: [[Int32]]) {
        let members = (0..<memberCount).map { AssignorMember(memberID: "m\($0)", topics: ["t"]) }
        let plan = Assignors.range(members: members, partitionCounts: ["t": partitions])
        for (index, partitionIndexes) in expected.enumerated() {
            #expect(plan["m\(index)"] == partitionIndexes.map { tp("t", $0) })
        }
    }

    @Test func rangeOnlyGivesATopicToItsSubscribers() {
        let members = [AssignorMember(memberID: "a", topics: ["x", "y"]), AssignorMember(memberID: "b", topics: ["y"])]
        let plan = Assignors.range(members: members, partitionCounts: ["x": 2, "y": 2])
        #expect(plan["a"] == [tp("x", 0), tp("x", 1), tp("y", 0)])
        #expect(plan["b"] == [tp("y", 1)])
    }

    @Test func rangeOrdersStaticMembersByInstanceID() {
        // Member ids change on restart; instance ids do not, so the ranges must follow them.
        let members = [AssignorMember(memberID: "zzz", groupInstanceID: "first", topics: ["t"]),
                       AssignorMember(memberID: "aaa", groupInstanceID: "second", topics: ["t"])]
        let plan = Assignors.range(members: members, partitionCounts: ["t": 2])
        #expect(plan["zzz"] == [tp("t", 0)])
        #expect(plan["aaa"] == [tp("t", 1)])
    }

    @Test(arguments: [(Int32(6), 1), (Int32(6), 4), (Int32(10), 3), (Int32(1), 2)])
    func cooperativeStickyIsBalancedAndCompleteFromScratch(partitions: Int32, memberCount: Int) {
        let members = (0..<memberCount).map { AssignorMember(memberID: "m\($0)", topics: ["t"]) }
        let plan = Assignors.cooperativeSticky(members: members, partitionCounts: ["t": partitions])
        let all = plan.values.flatMap { $0 }
        #expect(all.count == Int(partitions))
        #expect(Set(all).count == Int(partitions))
        let counts = plan.values.map(\.count)
        #expect(counts.max()! - counts.min()! <= 1)
    }

    @Test func cooperativeStickyKeepsOwnedPartitionsAndWithholdsMovesForOneRound() {
        // One member owned everything; a second joins. Round one: the owner keeps half, the other
        // half is withheld (still owned); after the owner revokes it, round two hands it over.
        let first = Assignors.cooperativeSticky(members: [
            AssignorMember(memberID: "a", topics: ["t"], ownedPartitions: (0..<4).map { tp("t", $0) }),
            AssignorMember(memberID: "b", topics: ["t"]),
        ], partitionCounts: ["t": 4])
        #expect(first["a"]!.count == 2)
        #expect(first["b"] == [])
        let second = Assignors.cooperativeSticky(members: [
            AssignorMember(memberID: "a", topics: ["t"], ownedPartitions: first["a"]!),
            AssignorMember(memberID: "b", topics: ["t"]),
        ], partitionCounts: ["t": 4])
        #expect(second["a"] == first["a"])
        #expect(Set(second["b"]!) == Set((0..<4).map { tp("t", $0) }).subtracting(first["a"]!))
    }

    @Test func cooperativeStickyGivesALeaversPartitionsToTheOthers() {
        let plan = Assignors.cooperativeSticky(members: [
            AssignorMember(memberID: "a", topics: ["t"], ownedPartitions: [tp("t", 0), tp("t", 1)]),
            AssignorMember(memberID: "c", topics: ["t"], ownedPartitions: [tp("t", 4), tp("t", 5)]),
        ], partitionCounts: ["t": 6])
        // b (owner of 2 and 3) left: a and c keep theirs and take one each.
        #expect(plan["a"]!.starts(with: [tp("t", 0), tp("t", 1)]) || Set(plan["a"]!).isSuperset(of: [tp("t", 0), tp("t", 1)]))
        #expect(Set(plan["c"]!).isSuperset(of: [tp("t", 4), tp("t", 5)]))
        #expect(plan["a"]!.count == 3 && plan["c"]!.count == 3)
    }

    @Test func cooperativeStickyIgnoresPartitionsClaimedTwiceOrGone() {
        let plan = Assignors.cooperativeSticky(members: [
            AssignorMember(memberID: "a", topics: ["t"], ownedPartitions: [tp("t", 0), tp("t", 9)]),
            AssignorMember(memberID: "b", topics: ["t"], ownedPartitions: [tp("t", 0)]),
        ], partitionCounts: ["t": 2])
        let all = plan.values.flatMap { $0 }
        #expect(Set(all) == [tp("t", 0), tp("t", 1)])
        #expect(all.count == 2)
        #expect(plan["a"]!.contains(tp("t", 0)))
    }
}

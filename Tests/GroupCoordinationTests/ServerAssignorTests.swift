import Testing
@testable import GroupCoordination

@Suite struct ServerAssignorTests {
    static let assignors: [any ServerAssignor] = ServerAssignors.all

    private func check(_ assignment: [String: Set<TopicPartition>], members: [AssignorMember], counts: [String: Int32]) {
        // Every subscribed partition exactly once, and only to a member subscribed to its topic.
        var seen: [TopicPartition: String] = [:]
        for (memberID, partitions) in assignment {
            let member = members.first { $0.memberID == memberID }!
            for partition in partitions {
                #expect(seen[partition] == nil, "\(partition) assigned twice")
                seen[partition] = memberID
                #expect(member.subscribedTopics.contains(partition.topic))
            }
        }
        let subscribed = Set(members.flatMap(\.subscribedTopics))
        let expected = counts.filter { subscribed.contains($0.key) }.reduce(0) { $0 + Int($1.value) }
        #expect(seen.count == expected)
    }

    @Test(arguments: ServerAssignorTests.assignors.map(\.name), [1, 2, 3, 5, 7])
    func coversEveryPartitionOnceAndBalances(name: String, memberCount: Int) {
        let assignor = ServerAssignors.named(name)!
        let members = (0..<memberCount).map { AssignorMember(memberID: "m\($0)", subscribedTopics: ["a", "b"]) }
        let counts: [String: Int32] = ["a": 6, "b": 4, "unsubscribed": 3]
        let assignment = assignor.assign(members: members, partitionCounts: counts)
        check(assignment, members: members, counts: counts)
        let loads = assignment.values.map(\.count)
        // Uniform balances the total; range balances per topic, so at most one extra per topic.
        #expect(loads.max()! - loads.min()! <= (name == "uniform" ? 1 : 2))
    }

    @Test(arguments: ServerAssignorTests.assignors.map(\.name))
    func mixedSubscriptionsOnlyGetTheirTopics(name: String) {
        let assignor = ServerAssignors.named(name)!
        let members = [
            AssignorMember(memberID: "x", subscribedTopics: ["a"]),
            AssignorMember(memberID: "y", subscribedTopics: ["a", "b"]),
            AssignorMember(memberID: "z", subscribedTopics: ["c"]),
        ]
        let counts: [String: Int32] = ["a": 3, "b": 2]  // "c" does not exist yet
        let assignment = assignor.assign(members: members, partitionCounts: counts)
        check(assignment, members: members, counts: counts)
        #expect(assignment["z"] == [])
    }

    @Test func rangeGivesContiguousRangesInMemberOrder() {
        let members = ["b", "a", "c"].map { AssignorMember(memberID: $0, subscribedTopics: ["t"]) }
        let assignment = RangeAssignor().assign(members: members, partitionCounts: ["t": 7])
        func numbers(_ id: String) -> [Int32] { assignment[id]!.map(\.partition).sorted() }
        #expect(numbers("a") == [0, 1, 2])
        #expect(numbers("b") == [3, 4])
        #expect(numbers("c") == [5, 6])
    }

    @Test func uniformIsStickyWhenAMemberJoins() {
        let counts: [String: Int32] = ["t": 12]
        let before = UniformAssignor().assign(
            members: ["a", "b", "c"].map { AssignorMember(memberID: $0, subscribedTopics: ["t"]) }, partitionCounts: counts)
        var members = ["a", "b", "c"].map { AssignorMember(memberID: $0, subscribedTopics: ["t"], currentAssignment: before[$0]!) }
        members.append(AssignorMember(memberID: "d", subscribedTopics: ["t"]))
        let after = UniformAssignor().assign(members: members, partitionCounts: counts)
        check(after, members: members, counts: counts)
        #expect(after.values.allSatisfy { $0.count == 3 })
        // Only the three partitions the newcomer takes move.
        let moved = ["a", "b", "c"].reduce(0) { $0 + before[$1]!.subtracting(after[$1]!).count }
        #expect(moved == 3)
    }

    @Test func uniformKeepsAssignmentsWhenNothingChanges() {
        let counts: [String: Int32] = ["t": 5, "u": 3]
        let first = UniformAssignor().assign(
            members: ["a", "b"].map { AssignorMember(memberID: $0, subscribedTopics: ["t", "u"]) }, partitionCounts: counts)
        let members = ["a", "b"].map { AssignorMember(memberID: $0, subscribedTopics: ["t", "u"], currentAssignment: first[$0]!) }
        #expect(UniformAssignor().assign(members: members, partitionCounts: counts) == first)
    }

    @Test func noMembersNoAssignment() {
        for assignor in ServerAssignors.all {
            #expect(assignor.assign(members: [], partitionCounts: ["t": 3]).isEmpty)
        }
    }
}

/// A group member as the leader sees it when assigning: what it subscribes to and, for the
/// cooperative protocol, what it owns now.
public struct AssignorMember: Sendable, Equatable {
    public var memberID: String
    /// Static members sort by instance id, so a restarted member gets the same range.
    public var groupInstanceID: String?
    public var topics: [String]
    public var ownedPartitions: [TopicPartition]

    public init(memberID: String, groupInstanceID: String? = nil, topics: [String], ownedPartitions: [TopicPartition] = []) {
        self.memberID = memberID
        self.groupInstanceID = groupInstanceID
        self.topics = topics
        self.ownedPartitions = ownedPartitions
    }

    var sortKey: String { groupInstanceID ?? memberID }
}

/// The client-side assignors of the classic consumer protocol; pure functions of the members
/// and the partition counts, computed by the group's leader.
public enum Assignors {
    /// Kafka's RangeAssignor: per topic, the members subscribed to it (sorted) get contiguous
    /// ranges; the first `partitions % members` get one more.
    public static func range(members: [AssignorMember], partitionCounts: [String: Int32]) -> [String: [TopicPartition]] {
        var result: [String: [TopicPartition]] = Dictionary(uniqueKeysWithValues: members.map { ($0.memberID, []) })
        let topics = Set(members.flatMap(\.topics)).sorted()
        for topic in topics {
            guard let count = partitionCounts[topic], count > 0 else { continue }
            let subscribed = members.filter { $0.topics.contains(topic) }.sorted { $0.sortKey < $1.sortKey }
            let each = Int(count) / subscribed.count
            let extra = Int(count) % subscribed.count
            var next: Int32 = 0
            for (index, member) in subscribed.enumerated() {
                let size = each + (index < extra ? 1 : 0)
                for _ in 0..<size {
                    result[member.memberID, default: []].append(TopicPartition(topic, next))
                    next += 1
                }
            }
        }
        return result
    }

    /// The cooperative sticky assignor: members keep what they own while the assignment stays
    /// balanced (counts differ by at most one among members that can take a partition); the
    /// rest go to the least loaded. A partition that moves from one live member to another is
    /// left out of this round: its owner revokes it and rejoins, and the next round hands it
    /// over, so no partition is ever owned twice (KIP-429).
    public static func cooperativeSticky(members: [AssignorMember], partitionCounts: [String: Int32]) -> [String: [TopicPartition]] {
        let sorted = members.sorted { $0.sortKey < $1.sortKey }
        let subscriptions = Dictionary(uniqueKeysWithValues: sorted.map { ($0.memberID, Set($0.topics)) })
        var all: [TopicPartition] = []
        for topic in Set(sorted.flatMap(\.topics)).sorted() {
            for partition in 0..<(partitionCounts[topic] ?? 0) { all.append(TopicPartition(topic, partition)) }
        }
        let valid = Set(all)
        // Previous owners; a partition claimed twice stays with its first claimant.
        var previousOwner: [TopicPartition: String] = [:]
        var assignment: [String: [TopicPartition]] = Dictionary(uniqueKeysWithValues: sorted.map { ($0.memberID, []) })
        for member in sorted {
            for partition in member.ownedPartitions.sorted()
            where valid.contains(partition) && previousOwner[partition] == nil && subscriptions[member.memberID]!.contains(partition.topic) {
                previousOwner[partition] = member.memberID
                assignment[member.memberID]!.append(partition)
            }
        }
        let eligible: (TopicPartition) -> [String] = { partition in
            sorted.map(\.memberID).filter { subscriptions[$0]!.contains(partition.topic) }
        }
        // Members above their fair share give back their newest extras first.
        let fair = sorted.isEmpty ? 0 : (all.count + sorted.count - 1) / sorted.count
        var unassigned = all.filter { previousOwner[$0] == nil }
        for member in sorted.map(\.memberID) where assignment[member]!.count > fair {
            let excess = assignment[member]!.count - fair
            unassigned += assignment[member]!.suffix(excess)
            assignment[member]!.removeLast(excess)
        }
        for partition in unassigned.sorted() {
            guard let target = eligible(partition).min(by: { (assignment[$0]!.count, $0) < (assignment[$1]!.count, $1) }) else { continue }
            assignment[target]!.append(partition)
        }
        // Balance: move from the most to the least loaded member that can take the partition.
        var moved = true
        while moved {
            moved = false
            let byLoad = sorted.map(\.memberID).sorted { (assignment[$0]!.count, $0) < (assignment[$1]!.count, $1) }
            guard let least = byLoad.first else { break }
            for most in byLoad.reversed() where assignment[most]!.count > assignment[least]!.count + 1 {
                if let index = assignment[most]!.lastIndex(where: { subscriptions[least]!.contains($0.topic) }) {
                    assignment[least]!.append(assignment[most]!.remove(at: index))
                    moved = true
                    break
                }
            }
        }
        // Cooperative: withhold partitions still owned by another member this round.
        for (member, partitions) in assignment {
            assignment[member] = partitions.filter { previousOwner[$0] == nil || previousOwner[$0] == member }.sorted()
        }
        return assignment
    }

    /// Runs the named strategy.
    public static func assign(_ strategy: AssignmentStrategy, members: [AssignorMember], partitionCounts: [String: Int32]) -> [String: [TopicPartition]] {
        switch strategy {
        case .range: range(members: members, partitionCounts: partitionCounts)
        case .cooperativeSticky: cooperativeSticky(members: members, partitionCounts: partitionCounts)
        }
    }
}

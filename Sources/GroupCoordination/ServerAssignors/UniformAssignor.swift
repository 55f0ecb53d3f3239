/// Kafka's default server-side assignor ("uniform"): spreads partitions so member loads differ
/// by at most one among members with the same subscriptions, and keeps each member's current
/// partitions where that balance allows, so a rebalance moves as little as possible.
public struct UniformAssignor: ServerAssignor {
    public let name = "uniform"

    public init() {}

    public func assign(members: [AssignorMember], partitionCounts: [String: Int32]) -> [String: Set<TopicPartition>] {
        let members = members.sorted { $0.memberID < $1.memberID }
        var result: [String: Set<TopicPartition>] = Dictionary(uniqueKeysWithValues: members.map { ($0.memberID, []) })
        guard !members.isEmpty else { return result }

        // Every partition someone subscribes to, in a stable order.
        let topics = Set(members.flatMap(\.subscribedTopics)).filter { partitionCounts[$0] != nil }.sorted()
        var unassigned: [TopicPartition] = []
        var owner: [TopicPartition: String] = [:]
        let subscribers: [String: [String]] = Dictionary(uniqueKeysWithValues: topics.map { topic in
            (topic, members.filter { $0.subscribedTopics.contains(topic) }.map(\.memberID))
        })
        // The fair share of each member: total partitions it could take, divided as evenly as
        // possible (exact when everyone subscribes to the same topics).
        let total = topics.reduce(0) { $0 + Int(partitionCounts[$1] ?? 0) }
        let quota = total / members.count
        var extra = total % members.count

        // 1. Keep current partitions, up to the quota (+1 while extra slots remain).
        for member in members {
            let kept = member.currentAssignment
                .filter { member.subscribedTopics.contains($0.topic) && $0.partition < (partitionCounts[$0.topic] ?? 0) }
                .sorted { ($0.topic, $0.partition) < ($1.topic, $1.partition) }
            var limit = quota
            if kept.count > quota && extra > 0 {
                limit += 1
                extra -= 1
            }
            for partition in kept.prefix(limit) where owner[partition] == nil {
                owner[partition] = member.memberID
                result[member.memberID, default: []].insert(partition)
            }
        }
        for topic in topics {
            for index in 0..<(partitionCounts[topic] ?? 0) {
                let partition = TopicPartition(topic: topic, partition: index)
                if owner[partition] == nil { unassigned.append(partition) }
            }
        }
        // 2. Each remaining partition goes to the least-loaded member subscribed to its topic
        //    (ties by member id, so the result does not depend on input order).
        for partition in unassigned {
            guard let candidates = subscribers[partition.topic], !candidates.isEmpty else { continue }
            let target = candidates.min { (result[$0]?.count ?? 0, $0) < (result[$1]?.count ?? 0, $1) }!
            result[target, default: []].insert(partition)
        }
        return result
    }
}

/// The server-side range assignor ("range"): per topic, the subscribed members in member-id
/// order each take a contiguous range of partitions, the first `count % members` one more.
/// Members subscribed to the same topics get the same partition numbers of each, which is what
/// joins of co-partitioned topics need.
public struct RangeAssignor: ServerAssignor {
    public let name = "range"

    public init() {}

    public func assign(members: [AssignorMember], partitionCounts: [String: Int32]) -> [String: Set<TopicPartition>] {
        var result: [String: Set<TopicPartition>] = Dictionary(uniqueKeysWithValues: members.map { ($0.memberID, []) })
        let topics = Set(members.flatMap(\.subscribedTopics)).filter { partitionCounts[$0] != nil }
        for topic in topics {
            let subscribers = members.filter { $0.subscribedTopics.contains(topic) }.map(\.memberID).sorted()
            guard !subscribers.isEmpty, let count = partitionCounts[topic], count > 0 else { continue }
            let share = Int(count) / subscribers.count
            let withExtra = Int(count) % subscribers.count
            var next: Int32 = 0
            for (index, memberID) in subscribers.enumerated() {
                let size = share + (index < withExtra ? 1 : 0)
                for partition in next..<(next + Int32(size)) {
                    result[memberID, default: []].insert(TopicPartition(topic: topic, partition: partition))
                }
                next += Int32(size)
            }
        }
        return result
    }
}

import KafkaProtocol

extension OffsetCommitRequest {
    /// The request's topics for committing `offsets`, topics and partitions in sorted order (a
    /// consumer's commit and the admin's offset reset send the same shape).
    static func topics(committing offsets: [TopicPartition: Int64]) -> [OffsetCommitRequestTopic] {
        Dictionary(grouping: offsets.keys, by: \.topic).sorted { $0.key < $1.key }.map { topic, partitions in
            var entry = OffsetCommitRequestTopic()
            entry.name = topic
            entry.partitions = partitions.sorted().map { partition in
                var item = OffsetCommitRequestTopic.OffsetCommitRequestPartition()
                item.partitionIndex = partition.partition
                item.committedOffset = offsets[partition]!
                item.committedLeaderEpoch = -1
                item.commitTimestamp = -1
                return item
            }
            return entry
        }
    }
}

extension OffsetCommitResponse {
    /// Throws the first partition error, described as `what` of that partition.
    func checkPartitions(_ what: (_ partition: String) -> String) throws {
        for topic in topics {
            for partition in topic.partitions {
                try KafkaClientError.check(partition.errorCode, what("\(topic.name)-\(partition.partitionIndex)"))
            }
        }
    }
}

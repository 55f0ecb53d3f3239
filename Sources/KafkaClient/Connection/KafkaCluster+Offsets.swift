import KafkaProtocol

/// Special timestamps of ListOffsets.
enum OffsetSpec {
    static let latest: Int64 = -1
    static let earliest: Int64 = -2
}

extension KafkaCluster {
    /// The offset of the first record at or after each timestamp (or the earliest / latest
    /// offset for `OffsetSpec`), asking each partition's leader; retried on stale metadata.
    func listOffsets(_ query: [TopicPartition: Int64], isolation: IsolationLevel = .readUncommitted) async throws -> [TopicPartition: Int64] {
        guard !query.isEmpty else { return [:] }
        return try await withRetries("ListOffsets") {
            for topic in Set(query.keys.map(\.topic)) { _ = try await self.topic(topic) }
            let metadata = await self.metadata
            var byLeader: [Int32: [TopicPartition]] = [:]
            for partition in query.keys {
                guard let leader = metadata.leader(of: partition) else {
                    throw KafkaClientError.broker(.leaderNotAvailable, "ListOffsets for \(partition)")
                }
                byLeader[leader, default: []].append(partition)
            }
            var result: [TopicPartition: Int64] = [:]
            for (leader, partitions) in byLeader {
                var request = ListOffsetsRequest()
                request.replicaID = -1
                request.isolationLevel = isolation.rawValue
                for (topic, members) in Dictionary(grouping: partitions, by: \.topic) {
                    var entry = ListOffsetsRequest.ListOffsetsTopic()
                    entry.name = topic
                    entry.partitions = members.map {
                        var partition = ListOffsetsRequest.ListOffsetsTopic.ListOffsetsPartition()
                        partition.partitionIndex = $0.partition
                        partition.currentLeaderEpoch = -1
                        partition.timestamp = query[$0]!
                        return partition
                    }
                    request.topics.append(entry)
                }
                let response = try await self.connection(to: leader).send(request)
                for topic in response.topics {
                    for partition in topic.partitions {
                        let key = TopicPartition(topic.name, partition.partitionIndex)
                        try KafkaClientError.check(partition.errorCode, "ListOffsets for \(key)")
                        result[key] = partition.offset
                    }
                }
            }
            return result
        }
    }
}

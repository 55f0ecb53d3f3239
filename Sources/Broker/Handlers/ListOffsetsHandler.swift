import KafkaProtocol
import LogStore

extension Broker {
    /// ListOffsets 1-7: -2 earliest (log start), -1 latest (log end), -3 the record with the
    /// largest timestamp (v7), otherwise the first record at or after the timestamp (-1 when none).
    func listOffsets(_ request: ListOffsetsRequest, _ context: RequestContext) -> ListOffsetsResponse {
        var response = ListOffsetsResponse()
        response.topics = request.topics.map { topic in
            var topicResponse = ListOffsetsResponse.ListOffsetsTopicResponse()
            topicResponse.name = topic.name
            topicResponse.partitions = topic.partitions.map { partition in
                var result = ListOffsetsResponse.ListOffsetsTopicResponse.ListOffsetsPartitionResponse()
                result.partitionIndex = partition.partitionIndex
                guard let log = topics.partitionLog(topic: topic.name, partition: partition.partitionIndex) else {
                    result.errorCode = KafkaErrorCode.unknownTopicOrPartition.rawValue
                    return result
                }
                if context.apiVersion >= 4 { result.leaderEpoch = 0 }  // the field exists from v4
                result.timestamp = -1
                do throws(LogStoreError) {
                    switch partition.timestamp {
                    case -2: result.offset = log.logStartOffset
                    case -1: result.offset = log.logEndOffset
                    case -3:
                        if let found = try log.maxTimestampOffset() {
                            (result.offset, result.timestamp) = (found.offset, found.timestamp)
                        } else {
                            result.offset = -1
                        }
                    default:
                        if let found = try log.offset(forTimestamp: partition.timestamp) {
                            (result.offset, result.timestamp) = (found.offset, found.timestamp)
                        } else {
                            result.offset = -1
                        }
                    }
                } catch {
                    result.errorCode = Self.errorCode(for: error)
                }
                return result
            }
            return topicResponse
        }
        return response
    }
}

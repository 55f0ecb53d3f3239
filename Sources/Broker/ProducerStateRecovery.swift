import BrokerCore
import KafkaProtocol
import LogStore

extension Broker {
    /// Rebuilds the idempotent producers' state of every partition from the batches of its
    /// active segment, so that after a restart a retried batch is still recognized as a
    /// duplicate and a gap in sequences is still OUT_OF_ORDER_SEQUENCE_NUMBER. Producers seen
    /// only in older segments start afresh, as producers whose state expired do in Kafka.
    func recoverProducerStates() throws -> Int {
        var recovered: [PartitionKey: PartitionProducerState] = [:]
        var batches = 0
        for topic in topics.metadata.topics.values {
            for partition in topic.partitions {
                guard let log = topics.partitionLog(topic: topic.name, partition: partition.index) else { continue }
                var state = PartitionProducerState()
                try log.forEachActiveSegmentBatchHeader { header in
                    guard header.hasProducerID, !header.isControl else { return }
                    let batch = ProducerBatch(producerID: header.producerID, epoch: header.producerEpoch,
                                              baseSequence: header.baseSequence, lastOffsetDelta: header.lastOffsetDelta)
                    state.record(batch, firstOffset: header.baseOffset, lastOffset: header.lastOffset, timestamp: header.maxTimestamp)
                    batches += 1
                }
                if !state.entries.isEmpty {
                    recovered[PartitionKey(topic: topic.name, partition: partition.index)] = state
                }
            }
        }
        appendLanes.replaceProducerStates(recovered)
        return batches
    }
}

/// What the broker remembers of one idempotent producer on one partition: its epoch and the
/// metadata of its last five batches, enough to recognise a retried batch and a gap.
public struct ProducerEntry: Sendable, Equatable {
    public var epoch: Int16
    /// Newest last; at most ``PartitionProducerState/cachedBatchCount``.
    public var batches: [ProducerBatchMetadata]
    /// The append time (ms) of the newest batch, for `producer.id.expiration.ms`.
    public var lastTimestamp: Int64

    /// The sequence of the last record appended.
    public var lastSequence: Int32? { batches.last?.lastSequence }
}

/// The offsets and sequences of one appended batch.
public struct ProducerBatchMetadata: Sendable, Equatable {
    public var firstSequence: Int32
    public var lastSequence: Int32
    public var firstOffset: Int64
    public var lastOffset: Int64

    public init(firstSequence: Int32, lastSequence: Int32, firstOffset: Int64, lastOffset: Int64) {
        self.firstSequence = firstSequence
        self.lastSequence = lastSequence
        self.firstOffset = firstOffset
        self.lastOffset = lastOffset
    }
}

/// The idempotence fields of a batch about to be appended (from its RecordBatch header).
public struct ProducerBatch: Sendable, Equatable {
    public var producerID: Int64
    public var epoch: Int16
    public var baseSequence: Int32
    /// `lastOffsetDelta` of the batch: its last sequence is `baseSequence + lastOffsetDelta`,
    /// wrapping from Int32.max to 0.
    public var lastOffsetDelta: Int32

    public init(producerID: Int64, epoch: Int16, baseSequence: Int32, lastOffsetDelta: Int32) {
        self.producerID = producerID
        self.epoch = epoch
        self.baseSequence = baseSequence
        self.lastOffsetDelta = lastOffsetDelta
    }

    public var lastSequence: Int32 { ProducerBatch.sequence(baseSequence, plus: lastOffsetDelta) }

    /// `sequence + delta` with Kafka's wrap from Int32.max to 0.
    public static func sequence(_ sequence: Int32, plus delta: Int32) -> Int32 {
        let sum = Int64(sequence) + Int64(delta)
        return Int32(truncatingIfNeeded: sum > Int64(Int32.max) ? sum - Int64(Int32.max) - 1 : sum)
    }
}

/// The verdict on a batch before it is appended.
public enum ProducerBatchCheck: Sendable, Equatable {
    /// Append it.
    case append
    /// The same batch was appended already: answer NONE with its original offsets, append nothing.
    case duplicate(ProducerBatchMetadata)
    /// OUT_OF_ORDER_SEQUENCE_NUMBER (45): a gap or a reordering.
    case outOfOrderSequence(expected: Int32, received: Int32)
    /// INVALID_PRODUCER_EPOCH (47): an older epoch than the partition has seen.
    case invalidProducerEpoch(current: Int16, received: Int16)

    /// The Kafka error code of the verdict (0 for append and duplicate).
    public var errorCode: Int16 {
        switch self {
        case .append, .duplicate: 0
        case .outOfOrderSequence: 45
        case .invalidProducerEpoch: 47
        }
    }
}

/// The idempotent-producer state of one partition, as Kafka keeps it (see the RecordBatch notes,
/// "Idempotent producers"): per producer id the epoch and the last five batches.
///
/// Pure: the caller checks a batch with ``check(_:)``, appends it, then ``record(_:firstOffset:lastOffset:timestamp:)``
/// it; on start it rebuilds the state by recording every idempotent batch header in the log.
public struct PartitionProducerState: Sendable {
    /// Kafka's `max.in.flight.requests.per.connection` limit for idempotence, and so the number
    /// of batches remembered per producer.
    public static let cachedBatchCount = 5

    public private(set) var entries: [Int64: ProducerEntry] = [:]

    public init() {}

    /// Decides what to do with an idempotent batch (producerID >= 0).
    public func check(_ batch: ProducerBatch) -> ProducerBatchCheck {
        guard let entry = entries[batch.producerID] else {
            // No state (new, or expired): Kafka accepts any sequence rather than fail a producer
            // whose state it no longer has.
            return .append
        }
        if batch.epoch < entry.epoch {
            return .invalidProducerEpoch(current: entry.epoch, received: batch.epoch)
        }
        if batch.epoch > entry.epoch {
            return batch.baseSequence == 0 ? .append : .outOfOrderSequence(expected: 0, received: batch.baseSequence)
        }
        if let original = entry.batches.first(where: {
            $0.firstSequence == batch.baseSequence && $0.lastSequence == batch.lastSequence
        }) {
            return .duplicate(original)
        }
        guard let last = entry.lastSequence else { return .append }
        let expected = ProducerBatch.sequence(last, plus: 1)
        return batch.baseSequence == expected ? .append : .outOfOrderSequence(expected: expected, received: batch.baseSequence)
    }

    /// Remembers an appended batch (also used to rebuild the state from the log).
    public mutating func record(_ batch: ProducerBatch, firstOffset: Int64, lastOffset: Int64, timestamp: Int64) {
        let metadata = ProducerBatchMetadata(
            firstSequence: batch.baseSequence, lastSequence: batch.lastSequence,
            firstOffset: firstOffset, lastOffset: lastOffset)
        if var entry = entries[batch.producerID], entry.epoch == batch.epoch {
            entry.batches.append(metadata)
            if entry.batches.count > Self.cachedBatchCount {
                entry.batches.removeFirst(entry.batches.count - Self.cachedBatchCount)
            }
            entry.lastTimestamp = max(entry.lastTimestamp, timestamp)
            entries[batch.producerID] = entry
        } else {
            entries[batch.producerID] = ProducerEntry(epoch: batch.epoch, batches: [metadata], lastTimestamp: timestamp)
        }
    }

    /// Forgets producers silent for `producer.id.expiration.ms` (Kafka: 1 day). Expiring too
    /// early turns a late retry into a spurious error, so callers should keep Kafka's default.
    public mutating func expire(nowMs: Int64, expirationMs: Int64) {
        entries = entries.filter { nowMs - $0.value.lastTimestamp < expirationMs }
    }

    /// Drops state for batches at or past `offset` (the log was truncated there, e.g. after a
    /// torn tail): the remaining state describes only what the log still holds.
    public mutating func truncate(fromOffset offset: Int64) {
        for (producerID, var entry) in entries {
            entry.batches.removeAll { $0.lastOffset >= offset }
            entries[producerID] = entry.batches.isEmpty ? nil : entry
        }
    }
}

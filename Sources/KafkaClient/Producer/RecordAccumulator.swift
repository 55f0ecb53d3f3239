import NIOCore

/// A batch on its way: its records, the completion its receipts wait on, and once drained its
/// sequence number and sealed bytes (kept for retries, so a retry sends the same bytes).
struct ProducerBatch {
    let partition: TopicPartition
    var writer: RecordBatchWriter
    let completion = DeliveryCompletion()
    let createdAt: UInt64
    /// Bytes counted against the buffer memory while the batch lives.
    var accountedBytes = 0
    var baseSequence: Int32 = -1
    var sealed: ByteBuffer?
    var attempts = 0

    var recordCount: Int32 { writer.recordCount }
}

/// The producer's pure core: per-partition open batches that records are appended to, the
/// batches ready to send, and which of them may go now (linger, size, in-flight limits, the
/// order idempotent retries need). Times are nanoseconds of a monotonic clock passed in, so the
/// rules are tested without sleeping. The caller serializes access (one lock).
struct RecordAccumulator {
    struct PartitionQueue {
        var open: ProducerBatch?
        /// Sealed batches waiting, sorted by sequence once they have one.
        var ready: [ProducerBatch] = []
        var inFlight = 0
        var nextSequence: Int32 = 0
        /// A batch failed and was put back: send one at a time until the retries are through,
        /// so the broker sees sequences in order.
        var retrying = false
    }

    let batchSize: Int
    let linger: UInt64
    let bufferMemory: Int
    let idempotent: Bool
    let maxInFlightPerPartition: Int
    private(set) var queues: [TopicPartition: PartitionQueue] = [:]
    private(set) var bufferedBytes = 0
    private var stickyPartitions: [String: Int32] = [:]
    private var freeBuffers: [ByteBuffer] = []
    private let allocator = ByteBufferAllocator()

    init(batchSize: Int, linger: UInt64, bufferMemory: Int, idempotent: Bool, maxInFlightPerPartition: Int = 5) {
        self.batchSize = batchSize
        self.linger = linger
        self.bufferMemory = bufferMemory
        self.idempotent = idempotent
        self.maxInFlightPerPartition = idempotent ? min(5, maxInFlightPerPartition) : maxInFlightPerPartition
    }

    // MARK: Partitioning

    /// The partition of a record without an explicit one: murmur2 of the key (as Java), or the
    /// topic's sticky partition for a null key, which changes when its batch is sent.
    mutating func partition(topic: String, key: [UInt8]?, partitionCount: Int32, random: inout some RandomNumberGenerator) -> Int32 {
        if let key { return DefaultPartitioner.partition(forKey: key, partitionCount: partitionCount) }
        if let sticky = stickyPartitions[topic], sticky < partitionCount { return sticky }
        let chosen = Int32.random(in: 0..<partitionCount, using: &random)
        stickyPartitions[topic] = chosen
        return chosen
    }

    // MARK: Appending

    enum AppendResult {
        /// The record is in a batch; `wakeSender` when a batch became ready or a linger timer starts.
        case appended(DeliveryReceipt, wakeSender: Bool)
        /// The buffer memory is used up: wait for deliveries and try again.
        case bufferFull
    }

    mutating func append(_ record: ProducerRecord, partition: TopicPartition, timestamp: Int64, now: UInt64) -> AppendResult {
        let size = RecordBatchWriter.maxEncodedSize(key: record.key, value: record.value, headers: record.headers)
        // One record larger than the whole buffer still goes, alone, or it would wait forever.
        guard bufferedBytes + size <= bufferMemory || bufferedBytes == 0 else { return .bufferFull }
        // Appended in place: the dictionary's modify access keeps the batch buffer uniquely
        // referenced (appending to a copy the dictionary still shared would copy the whole
        // buffer for every record), with one hash lookup rather than a removal and an insert.
        let (receipt, wake, closed, grown) = Self.append(record, size: size, timestamp: timestamp, now: now, partition: partition,
                                                         to: &queues[partition, default: PartitionQueue()], batchSize: batchSize,
                                                         freeBuffers: &freeBuffers, allocator: allocator)
        bufferedBytes += grown
        if closed, stickyPartitions[partition.topic] == partition.partition { stickyPartitions[partition.topic] = nil }
        return .appended(receipt, wakeSender: wake)
    }

    /// `append` on one partition's queue: the receipt, whether the sender should look, whether
    /// a batch was closed, and the bytes the record added.
    private static func append(
        _ record: ProducerRecord, size: Int, timestamp: Int64, now: UInt64, partition: TopicPartition, to queue: inout PartitionQueue,
        batchSize: Int, freeBuffers: inout [ByteBuffer], allocator: ByteBufferAllocator
    ) -> (DeliveryReceipt, wake: Bool, closed: Bool, grown: Int) {
        var wake = false
        var closed = false
        if let open = queue.open, open.writer.sizeInBytes + size > batchSize, open.recordCount > 0 {
            queue.ready.append(open)
            queue.open = nil
            closed = true
            wake = true
        }
        if queue.open == nil {
            let buffer = freeBuffers.popLast() ?? allocator.buffer(capacity: max(batchSize, size + 61))
            queue.open = ProducerBatch(partition: partition, writer: RecordBatchWriter(reusing: buffer), createdAt: now)
            wake = true
        }
        let before = queue.open!.writer.sizeInBytes
        queue.open!.writer.append(timestamp: timestamp, key: record.key, value: record.value, headers: record.headers)
        let grown = queue.open!.writer.sizeInBytes - before
        queue.open!.accountedBytes += grown
        let receipt = DeliveryReceipt(topicPartition: partition, offsetDelta: queue.open!.recordCount - 1, timestamp: timestamp, completion: queue.open!.completion)
        if queue.open!.writer.sizeInBytes >= batchSize {
            queue.ready.append(queue.open!)
            queue.open = nil
            closed = true
            wake = true
        }
        return (receipt, wake, closed, grown)
    }

    // MARK: Draining

    /// Takes the batches that may be sent now, grouped by leader: full batches, and open ones
    /// whose linger has passed (all of them when `flushing`). Sequence numbers are assigned here,
    /// in the order batches leave, the order the broker will see them.
    mutating func drain(now: UInt64, flushing: Bool, leader: (TopicPartition) -> Int32?, nodeHasRoom: (Int32) -> Bool, maxRequestSize: Int) -> [Int32: [ProducerBatch]] {
        var requests: [Int32: [ProducerBatch]] = [:]
        var requestBytes: [Int32: Int] = [:]
        for partition in queues.keys.sorted() {
            guard var queue = queues.removeValue(forKey: partition) else { continue }
            if let open = queue.open, flushing || now &- open.createdAt >= linger {
                queue.ready.append(open)
                queue.open = nil
                if stickyPartitions[partition.topic] == partition.partition { stickyPartitions[partition.topic] = nil }
            }
            defer { queues[partition] = queue }
            guard !queue.ready.isEmpty, let node = leader(partition), nodeHasRoom(node) else { continue }
            let limit = queue.retrying ? 1 : maxInFlightPerPartition
            guard queue.inFlight < limit else { continue }
            let size = queue.ready[0].writer.sizeInBytes
            if let used = requestBytes[node], used + size > maxRequestSize { continue }
            var batch = queue.ready.removeFirst()
            if batch.baseSequence < 0 && idempotent {
                batch.baseSequence = queue.nextSequence
                queue.nextSequence = queue.nextSequence &+ batch.recordCount
                if queue.nextSequence < 0 { queue.nextSequence -= Int32.min }
            }
            batch.attempts += 1
            queue.inFlight += 1
            requests[node, default: []].append(batch)
            requestBytes[node, default: 0] += size
        }
        return requests
    }

    /// The earliest time an open batch's linger ends, if any batch is open.
    func nextLingerDeadline() -> UInt64? {
        queues.values.compactMap { $0.open.map { $0.createdAt &+ linger } }.min()
    }

    /// Whether anything waits to be sent (open, ready) or is in flight.
    var isEmpty: Bool { queues.values.allSatisfy { $0.open == nil && $0.ready.isEmpty && $0.inFlight == 0 } }

    /// Every completion of the batches currently held or in flight is among `inFlight` plus these.
    var pendingCompletions: [DeliveryCompletion] {
        queues.values.flatMap { queue in (queue.open.map { [$0.completion] } ?? []) + queue.ready.map(\.completion) }
    }

    // MARK: Outcomes

    /// A batch is done (delivered or failed for good): its memory and buffer are released.
    mutating func finished(_ batch: ProducerBatch) {
        bufferedBytes -= batch.accountedBytes
        guard var queue = queues.removeValue(forKey: batch.partition) else { return }
        queue.inFlight -= 1
        if queue.retrying, queue.inFlight == 0, !queue.ready.contains(where: { $0.baseSequence >= 0 }) { queue.retrying = false }
        queues[batch.partition] = queue
        var buffer = batch.writer.buffer
        if buffer.capacity >= batchSize, buffer.capacity <= 2 * batchSize, freeBuffers.count < 16 {
            buffer.clear()
            freeBuffers.append(buffer)
        }
    }

    /// A batch failed retriably: it goes back in sequence order, and its partition sends one
    /// batch at a time until the retries are through.
    mutating func requeue(_ batch: ProducerBatch) {
        guard var queue = queues.removeValue(forKey: batch.partition) else { return }
        queue.inFlight -= 1
        queue.retrying = true
        let index = queue.ready.firstIndex { $0.baseSequence < 0 || (batch.baseSequence >= 0 && $0.baseSequence > batch.baseSequence) } ?? queue.ready.endIndex
        queue.ready.insert(batch, at: index)
        queues[batch.partition] = queue
    }

    /// Removes batches whose delivery timeout has passed (not in flight), for failing them.
    mutating func expire(now: UInt64, timeout: UInt64) -> [ProducerBatch] {
        var expired: [ProducerBatch] = []
        for (partition, var queue) in queues where queue.ready.contains(where: { now &- $0.createdAt > timeout }) {
            let (old, young) = (queue.ready.filter { now &- $0.createdAt > timeout }, queue.ready.filter { now &- $0.createdAt <= timeout })
            guard !old.isEmpty else { continue }
            queue.ready = young
            queue.inFlight += old.count  // `finished` below takes them off again
            queues[partition] = queue
            expired += old
        }
        return expired
    }
}

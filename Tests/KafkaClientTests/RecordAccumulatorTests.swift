import Testing
@testable import KafkaClient

@Suite struct RecordAccumulatorTests {
    private let p0 = TopicPartition("t", 0)
    private let p1 = TopicPartition("t", 1)
    private let ms: UInt64 = 1_000_000

    private func record(_ size: Int, key: [UInt8]? = nil) -> ProducerRecord {
        ProducerRecord(topic: "t", key: key, value: [UInt8](repeating: 7, count: size))
    }

    private func drain(_ accumulator: inout RecordAccumulator, at now: UInt64, flushing: Bool = false, maxRequestSize: Int = 1 << 20) -> [ProducerBatch] {
        accumulator.drain(now: now, flushing: flushing, leader: { _ in 0 }, nodeHasRoom: { _ in true }, maxRequestSize: maxRequestSize)[0] ?? []
    }

    @Test func aBatchWaitsForLingerUnlessFull() {
        var accumulator = RecordAccumulator(batchSize: 1000, linger: 5 * ms, bufferMemory: 1 << 20, idempotent: false)
        _ = accumulator.append(record(10), partition: p0, timestamp: 0, now: 0)
        #expect(drain(&accumulator, at: 4 * ms).isEmpty)
        #expect(accumulator.nextLingerDeadline() == 5 * ms)
        let sent = drain(&accumulator, at: 5 * ms)
        #expect(sent.map(\.recordCount) == [1])
    }

    @Test func aFullBatchIsReadyAtOnceAndTheNextRecordStartsANewOne() {
        var accumulator = RecordAccumulator(batchSize: 400, linger: 1000 * ms, bufferMemory: 1 << 20, idempotent: false)
        var wakes: [Bool] = []
        for _ in 0..<5 {
            if case .appended(_, let wake) = accumulator.append(record(100), partition: p0, timestamp: 0, now: 0) { wakes.append(wake) }
        }
        let sent = drain(&accumulator, at: 0)
        // 61-byte header + 107 bytes per record (136 at most): two fit in 400, the third seals the batch.
        #expect(sent.count == 1)
        #expect(sent[0].recordCount == 2)
        #expect(wakes.first == true)
    }

    @Test func flushingSendsOpenBatchesAtOnce() {
        var accumulator = RecordAccumulator(batchSize: 1000, linger: 1000 * ms, bufferMemory: 1 << 20, idempotent: false)
        _ = accumulator.append(record(10), partition: p0, timestamp: 0, now: 0)
        _ = accumulator.append(record(10), partition: p1, timestamp: 0, now: 0)
        #expect(drain(&accumulator, at: 0, flushing: true).map(\.partition) == [p0, p1])
    }

    @Test func sequencesFollowTheOrderBatchesLeaveAndRecordCounts() {
        var accumulator = RecordAccumulator(batchSize: 200, linger: 0, bufferMemory: 1 << 20, idempotent: true)
        for _ in 0..<6 { _ = accumulator.append(record(100), partition: p0, timestamp: 0, now: 0) }
        var sequences: [Int32] = []
        for _ in 0..<4 { sequences += drain(&accumulator, at: 1).map(\.baseSequence) }
        #expect(sequences == [0, 1, 2, 3])
        #expect(accumulator.queues[p0]!.inFlight == sequences.count)
    }

    @Test func aRetriedBatchGoesFirstAloneAndKeepsItsSequence() {
        var accumulator = RecordAccumulator(batchSize: 200, linger: 0, bufferMemory: 1 << 20, idempotent: true)
        for _ in 0..<4 { _ = accumulator.append(record(100), partition: p0, timestamp: 0, now: 0) }
        let first = drain(&accumulator, at: 1) + drain(&accumulator, at: 1)
        #expect(first.map(\.baseSequence) == [0, 1])
        // Both fail: the later one (refused as out of order) comes back first, then the earlier.
        accumulator.requeue(first[1])
        accumulator.requeue(first[0])
        let retry = drain(&accumulator, at: 1)
        #expect(retry.map(\.baseSequence) == [0])
        #expect(retry[0].attempts == 2)
        #expect(drain(&accumulator, at: 1).isEmpty, "one batch at a time while retrying")
        accumulator.finished(retry[0])
        #expect(drain(&accumulator, at: 1).map(\.baseSequence) == [1])
    }

    @Test func aFullBufferRefusesUntilABatchFinishes() {
        var accumulator = RecordAccumulator(batchSize: 300, linger: 0, bufferMemory: 500, idempotent: false)
        var refused = false
        for _ in 0..<10 {
            if case .bufferFull = accumulator.append(record(100), partition: p0, timestamp: 0, now: 0) {
                refused = true
                break
            }
        }
        #expect(refused)
        let sent = drain(&accumulator, at: 1)
        #expect(!sent.isEmpty)
        for batch in sent { accumulator.finished(batch) }
        guard case .appended = accumulator.append(record(100), partition: p0, timestamp: 0, now: 0) else {
            Issue.record("the buffer should have room after a delivery")
            return
        }
    }

    @Test func nullKeysStickToOnePartitionUntilItsBatchIsSent() {
        var accumulator = RecordAccumulator(batchSize: 1000, linger: 0, bufferMemory: 1 << 20, idempotent: false)
        var random = SystemRandomNumberGenerator()
        let first = accumulator.partition(topic: "t", key: nil, partitionCount: 100, random: &random)
        for _ in 0..<20 { #expect(accumulator.partition(topic: "t", key: nil, partitionCount: 100, random: &random) == first) }
        _ = accumulator.append(record(10), partition: TopicPartition("t", first), timestamp: 0, now: 0)
        _ = drain(&accumulator, at: 1)
        var others: Set<Int32> = []
        for _ in 0..<5 {
            let next = accumulator.partition(topic: "t", key: nil, partitionCount: 100, random: &random)
            others.insert(next)
            _ = accumulator.append(record(10), partition: TopicPartition("t", next), timestamp: 0, now: 0)
            _ = drain(&accumulator, at: 1)
        }
        #expect(others.count > 1, "a new sticky partition is chosen after each send")
        #expect(accumulator.partition(topic: "t", key: Array("k".utf8), partitionCount: 6, random: &random)
                == DefaultPartitioner.partition(forKey: Array("k".utf8), partitionCount: 6))
    }

    @Test func aRequestStaysUnderTheMaximumSizeButCarriesAtLeastOneBatch() {
        var accumulator = RecordAccumulator(batchSize: 1000, linger: 0, bufferMemory: 1 << 20, idempotent: false)
        _ = accumulator.append(record(900), partition: p0, timestamp: 0, now: 0)
        _ = accumulator.append(record(900), partition: p1, timestamp: 0, now: 0)
        #expect(drain(&accumulator, at: 1, maxRequestSize: 1200).count == 1)
        #expect(drain(&accumulator, at: 1, maxRequestSize: 1200).count == 1)
    }
}

import Testing
@testable import BrokerCore

@Suite struct PartitionProducerStateTests {
    /// A batch of `count` records from producer 7.
    private func batch(epoch: Int16 = 0, sequence: Int32, count: Int32 = 1) -> ProducerBatch {
        ProducerBatch(producerID: 7, epoch: epoch, baseSequence: sequence, lastOffsetDelta: count - 1)
    }

    /// Appends when the check says so, with offsets following each other from 100.
    private func appendAll(_ batches: [ProducerBatch], to state: inout PartitionProducerState) -> [ProducerBatchCheck] {
        var nextOffset: Int64 = 100
        return batches.map { batch in
            let verdict = state.check(batch)
            if verdict == .append {
                let last = nextOffset + Int64(batch.lastOffsetDelta)
                state.record(batch, firstOffset: nextOffset, lastOffset: last, timestamp: 0)
                nextOffset = last + 1
            }
            return verdict
        }
    }

    @Test func inOrderBatchesAppend() {
        var state = PartitionProducerState()
        let verdicts = appendAll([batch(sequence: 0, count: 3), batch(sequence: 3, count: 2), batch(sequence: 5)], to: &state)
        #expect(verdicts == [.append, .append, .append])
        #expect(state.entries[7]?.lastSequence == 5)
    }

    @Test func aRetriedBatchIsADuplicateWithItsOriginalOffsets() {
        var state = PartitionProducerState()
        _ = appendAll([batch(sequence: 0, count: 3), batch(sequence: 3, count: 2)], to: &state)
        #expect(state.check(batch(sequence: 0, count: 3)) == .duplicate(
            ProducerBatchMetadata(firstSequence: 0, lastSequence: 2, firstOffset: 100, lastOffset: 102)))
        #expect(state.check(batch(sequence: 3, count: 2)) == .duplicate(
            ProducerBatchMetadata(firstSequence: 3, lastSequence: 4, firstOffset: 103, lastOffset: 104)))
    }

    @Test func onlyTheLastFiveBatchesAreRemembered() {
        var state = PartitionProducerState()
        _ = appendAll((0..<6).map { batch(sequence: Int32($0)) }, to: &state)
        #expect(state.entries[7]?.batches.count == 5)
        // The first batch fell out of the cache: a retry of it is now out of order.
        #expect(state.check(batch(sequence: 0)) == .outOfOrderSequence(expected: 6, received: 0))
        #expect(state.check(batch(sequence: 1)) != .append)
    }

    @Test(arguments: [(Int32(5), Int32(3)), (2, 3), (4, 3)])
    func aGapOrAReorderIsOutOfOrder(sent: Int32, expected: Int32) {
        var state = PartitionProducerState()
        _ = appendAll([batch(sequence: 0, count: 3)], to: &state)
        #expect(state.check(batch(sequence: sent)) == .outOfOrderSequence(expected: expected, received: sent))
        #expect(state.check(batch(sequence: sent)).errorCode == 45)
    }

    @Test func anOlderEpochIsFenced() {
        var state = PartitionProducerState()
        _ = appendAll([batch(epoch: 3, sequence: 0)], to: &state)
        let verdict = state.check(batch(epoch: 2, sequence: 1))
        #expect(verdict == .invalidProducerEpoch(current: 3, received: 2))
        #expect(verdict.errorCode == 47)
    }

    @Test func aNewEpochMustStartAtSequenceZero() {
        var state = PartitionProducerState()
        _ = appendAll([batch(epoch: 0, sequence: 0, count: 10)], to: &state)
        #expect(state.check(batch(epoch: 1, sequence: 10)) == .outOfOrderSequence(expected: 0, received: 10))
        #expect(appendAll([batch(epoch: 1, sequence: 0)], to: &state) == [.append])
        #expect(state.entries[7]?.epoch == 1)
        #expect(state.entries[7]?.batches.count == 1)
    }

    @Test func anUnknownProducerMayStartAnywhere() {
        let state = PartitionProducerState()
        #expect(state.check(batch(sequence: 42)) == .append)
    }

    @Test func sequencesWrapFromInt32MaxToZero() {
        #expect(ProducerBatch.sequence(Int32.max, plus: 1) == 0)
        #expect(ProducerBatch.sequence(Int32.max - 1, plus: 3) == 1)
        var state = PartitionProducerState()
        _ = appendAll([batch(sequence: Int32.max - 1, count: 2)], to: &state)
        #expect(state.entries[7]?.lastSequence == Int32.max)
        #expect(state.check(batch(sequence: 0)) == .append)
        let wrapping = batch(sequence: Int32.max, count: 3)
        #expect(wrapping.lastSequence == 1)
    }

    @Test func expiryForgetsSilentProducersOnly() {
        var state = PartitionProducerState()
        state.record(batch(sequence: 0), firstOffset: 0, lastOffset: 0, timestamp: 1_000)
        state.record(ProducerBatch(producerID: 8, epoch: 0, baseSequence: 0, lastOffsetDelta: 0), firstOffset: 1, lastOffset: 1, timestamp: 5_000)
        state.expire(nowMs: 6_000, expirationMs: 4_000)
        #expect(state.entries[7] == nil)
        #expect(state.entries[8] != nil)
    }

    @Test func truncationDropsBatchesTheLogNoLongerHolds() {
        var state = PartitionProducerState()
        _ = appendAll([batch(sequence: 0, count: 2), batch(sequence: 2, count: 2)], to: &state)  // offsets 100-101, 102-103
        state.truncate(fromOffset: 102)
        #expect(state.entries[7]?.lastSequence == 1)
        #expect(state.check(batch(sequence: 2, count: 2)) == .append)
        state.truncate(fromOffset: 0)
        #expect(state.entries[7] == nil)
    }
}

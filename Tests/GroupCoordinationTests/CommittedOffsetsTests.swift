import NIOCore
import Testing
@testable import GroupCoordination

@Suite struct CommittedOffsetsTests {
    let p0 = TopicPartition(topic: "orders", partition: 0)
    let p1 = TopicPartition(topic: "orders", partition: 1)

    @Test func commitsApplyOnlyOnceAppendedAndMetadataRoundTrips() throws {
        var offsets = CommittedOffsets()
        let records = offsets.commitRecords(group: "g", offsets: [
            p1: OffsetCommitValue(offset: 20, metadata: "{\"k\":1}", commitTimestamp: 5),
            p0: OffsetCommitValue(offset: 10, leaderEpoch: 3, commitTimestamp: 5),
        ])
        #expect(records.map(\.key) == [
            .offsetCommit(group: "g", topic: "orders", partition: 0),
            .offsetCommit(group: "g", topic: "orders", partition: 1),
        ])
        #expect(offsets.committed(group: "g", p0) == nil)
        try offsets.apply(records)
        #expect(offsets.committed(group: "g", p0)?.offset == 10)
        #expect(offsets.committed(group: "g", p0)?.leaderEpoch == 3)
        #expect(offsets.committed(group: "g", p1)?.metadata == "{\"k\":1}")
        #expect(offsets.committed(group: "other", p0) == nil)
    }

    @Test func replayKeepsTheLatestValueAndTombstonesDelete() throws {
        var offsets = CommittedOffsets()
        for offset in [Int64(1), 2, 3] {
            try offsets.apply(offsets.commitRecords(group: "g", offsets: [p0: OffsetCommitValue(offset: offset, commitTimestamp: offset)]))
        }
        #expect(offsets.committed(group: "g", p0)?.offset == 3)
        try offsets.replay(key: .groupMetadata(group: "g"), value: ByteBuffer(bytes: [0xff]))  // not an offset: ignored
        try offsets.apply(offsets.deletionRecords(group: "g"))
        #expect(offsets.committed(group: "g").isEmpty)
        #expect(offsets.groups.isEmpty)
    }

    @Test func deletingAPartitionWithoutACommitWritesNothing() {
        let offsets = CommittedOffsets()
        #expect(offsets.deletionRecords(group: "g", partitions: [p0]).isEmpty)
    }

    @Test(arguments: [
        // hasMembers, emptySince, now, expected expired count
        (true, Int64?.none, Int64(1_000_000), 0),
        (false, Int64?.some(500), Int64(1_000), 0),      // empty for 500 ms < 1000 ms retention
        (false, Int64?.some(500), Int64(1_500), 2),      // empty for 1000 ms
        (false, Int64?.none, Int64(1_099), 0),           // standalone: 1099 - 100 < 1000
        (false, Int64?.none, Int64(1_100), 1),           // p0 committed at 100 expires, p1 at 200 not yet
    ])
    func retentionFollowsKafkasRule(hasMembers: Bool, emptySince: Int64?, now: Int64, expired: Int) throws {
        var offsets = CommittedOffsets()
        try offsets.apply(offsets.commitRecords(group: "g", offsets: [
            p0: OffsetCommitValue(offset: 1, commitTimestamp: 100),
            p1: OffsetCommitValue(offset: 1, commitTimestamp: 200),
        ]))
        let records = offsets.expiredRecords(group: "g", hasMembers: hasMembers, emptySince: emptySince, nowMs: now, retentionMs: 1_000)
        #expect(records.count == expired)
        #expect(records.allSatisfy { $0.value == nil })
    }

    @Test func explicitExpireTimestampWins() throws {
        var offsets = CommittedOffsets()
        try offsets.apply(offsets.commitRecords(group: "g", offsets: [
            p0: OffsetCommitValue(offset: 1, commitTimestamp: 100, expireTimestamp: 150)
        ]))
        #expect(offsets.expiredRecords(group: "g", hasMembers: false, emptySince: nil, nowMs: 149, retentionMs: 1_000).isEmpty)
        #expect(offsets.expiredRecords(group: "g", hasMembers: false, emptySince: nil, nowMs: 150, retentionMs: 1_000).count == 1)
    }
}

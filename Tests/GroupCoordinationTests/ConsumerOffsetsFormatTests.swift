import NIOCore
import Testing
@testable import GroupCoordination

@Suite struct ConsumerOffsetsFormatTests {
    private func hex(_ text: String) -> ByteBuffer {
        let digits = Array(text.filter { !$0.isWhitespace })
        var bytes: [UInt8] = []
        var index = 0
        while index + 1 < digits.count {
            bytes.append(UInt8(String(digits[index...index + 1]), radix: 16)!)
            index += 2
        }
        return ByteBuffer(bytes: bytes)
    }

    @Test func offsetCommitKeyBytes() throws {
        // version 1, "g", "t", partition 3: laid out by hand from Kafka's OffsetCommitKey.
        let expected = hex("0001 0001 67 0001 74 00000003")
        var buffer = ByteBuffer()
        ConsumerOffsetsKey.offsetCommit(group: "g", topic: "t", partition: 3).encode(into: &buffer)
        #expect(buffer == expected)
        var input = expected
        #expect(try ConsumerOffsetsKey(from: &input) == .offsetCommit(group: "g", topic: "t", partition: 3))
    }

    @Test func groupMetadataKeyBytesAndVersionZeroOffsetKey() throws {
        var buffer = ByteBuffer()
        ConsumerOffsetsKey.groupMetadata(group: "ab").encode(into: &buffer)
        #expect(buffer == hex("0002 0002 6162"))
        var old = hex("0000 0001 67 0001 74 00000000")
        #expect(try ConsumerOffsetsKey(from: &old) == .offsetCommit(group: "g", topic: "t", partition: 0))
    }

    @Test func offsetCommitValueVersion3Bytes() throws {
        let value = OffsetCommitValue(offset: 5, leaderEpoch: -1, metadata: "m", commitTimestamp: 1000)
        var buffer = ByteBuffer()
        value.encode(into: &buffer)
        #expect(buffer == hex("0003 0000000000000005 ffffffff 0001 6d 00000000000003e8"))
        #expect(try OffsetCommitValue(from: &buffer) == value)
    }

    @Test(arguments: [
        ("0000 0000000000000007 0000 0000000000000001", OffsetCommitValue(offset: 7, commitTimestamp: 1)),
        ("0001 0000000000000007 0002 6869 0000000000000001 0000000000000009",
         OffsetCommitValue(offset: 7, metadata: "hi", commitTimestamp: 1, expireTimestamp: 9)),
        ("0002 0000000000000007 0000 0000000000000001", OffsetCommitValue(offset: 7, commitTimestamp: 1)),
    ])
    func olderOffsetCommitValueVersionsDecode(bytes: String, expected: OffsetCommitValue) throws {
        var buffer = hex(bytes)
        #expect(try OffsetCommitValue(from: &buffer) == expected)
        #expect(buffer.readableBytes == 0)
    }

    @Test func groupMetadataValueRoundTripsAndReadsVersion0() throws {
        let value = GroupMetadataValue(
            protocolType: "consumer", generation: 4, protocolName: "range", leader: "m1",
            currentStateTimestamp: 1234,
            members: [.init(memberID: "m1", instanceID: "i1", clientID: "c", clientHost: "/127.0.0.1",
                            rebalanceTimeoutMs: 300_000, sessionTimeoutMs: 45_000, subscription: [1, 2], assignment: [3])])
        var buffer = ByteBuffer()
        value.encode(into: &buffer)
        #expect(try GroupMetadataValue(from: &buffer) == value)

        // Version 0: one member, session timeout 10 (also the rebalance timeout), empty bytes.
        var old = hex("""
            0000 0001 63 00000001 ffff ffff 00000001
            0002 6d31 0001 63 0001 68 0000000a 00000000 00000000
            """)
        let decoded = try GroupMetadataValue(from: &old)
        #expect(decoded.generation == 1)
        #expect(decoded.protocolName == nil)
        #expect(decoded.currentStateTimestamp == -1)
        #expect(decoded.members.first?.sessionTimeoutMs == 10)
        #expect(decoded.members.first?.rebalanceTimeoutMs == 10)
    }

    @Test func truncatedRecordsThrowAtEveryLength() throws {
        let value = GroupMetadataValue(
            protocolType: "consumer", generation: 1, protocolName: "range", leader: "m",
            currentStateTimestamp: 0,
            members: [.init(memberID: "m", instanceID: nil, clientID: "c", clientHost: "h",
                            rebalanceTimeoutMs: 1, sessionTimeoutMs: 1, subscription: [9], assignment: [8])])
        var full = ByteBuffer()
        value.encode(into: &full)
        for length in 0..<full.readableBytes {
            var cut = full.getSlice(at: 0, length: length)!
            #expect(throws: ConsumerOffsetsFormatError.self) { try GroupMetadataValue(from: &cut) }
        }
    }

    @Test func hostileCountsAndLengthsThrowWithoutAllocating() {
        var members = hex("0003 0001 63 00000001 ffff ffff 0000000000000000 7fffffff")
        #expect(throws: ConsumerOffsetsFormatError.self) { try GroupMetadataValue(from: &members) }
        var negative = hex("0003 0000000000000005 ffffffff 8000 00")
        #expect(throws: ConsumerOffsetsFormatError.self) { try OffsetCommitValue(from: &negative) }
        var unknown = hex("0005 0001 67")
        #expect(throws: ConsumerOffsetsFormatError.self) { try ConsumerOffsetsKey(from: &unknown) }
    }

    /// Expected partitions computed independently (Python, Java's String.hashCode over UTF-16
    /// code units, then `& 0x7fffffff` and `% 50`), matching Kafka's `partitionFor`.
    @Test(arguments: [
        ("my-group", Int32(36)), ("console-consumer-12345", 6), ("", 0), ("groupé", 42), ("😀", 49),
    ])
    func groupPartitionMatchesKafka(group: String, partition: Int32) {
        #expect(ConsumerOffsetsKey.partition(forGroup: group, partitionCount: 50) == partition)
    }
}

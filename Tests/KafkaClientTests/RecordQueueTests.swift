import Testing
@testable import KafkaClient

@Suite struct RecordQueueTests {
    private func record(_ offset: Int64, valueBytes: Int = 10) -> ConsumerRecord {
        ConsumerRecord(topic: "t", partition: 0, offset: offset, timestamp: 0, timestampType: .createTime, key: nil,
                       value: [UInt8](repeating: 1, count: valueBytes), headers: [], leaderEpoch: -1)
    }

    private func chunks(_ offsets: Range<Int64>, size: Int) -> RecordChunks {
        var chunks = RecordChunks(chunkSize: size)
        for offset in offsets { chunks.append(record(offset)) }
        return chunks
    }

    @Test(arguments: [(0..<0, 3, [Int]()), (0..<1, 3, [1]), (0..<3, 3, [3]), (0..<7, 3, [3, 3, 1]), (0..<5, 1, [1, 1, 1, 1, 1])] as [(Range<Int64>, Int, [Int])])
    func chunksHoldAtMostTheirSize(offsets: Range<Int64>, size: Int, expected: [Int]) {
        let made = chunks(offsets, size: size)
        #expect(made.chunks.map(\.count) == expected)
        #expect(made.records.map(\.offset) == Array(offsets))
        #expect(made.records.count == offsets.count)
    }

    /// Fetches of `fetched` records each (chunks of 4), then takes of `takes` records each:
    /// the offsets of each take, and what is left.
    @Test(arguments: [
        ([10], [4, 4, 4], [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]], 0),
        ([10], [3, 3], [[0, 1, 2], [3, 4, 5]], 4),
        ([2, 2], [5], [[0, 1, 2, 3]], 0),
        ([5, 5], [6, 1], [[0, 1, 2, 3, 4, 5], [6]], 3),
        ([3], [0, 3], [[], [0, 1, 2]], 0),
    ] as [([Int], [Int], [[Int64]], Int)])
    func takesComeOutInOrder(fetched: [Int], takes: [Int], expected: [[Int64]], left: Int) {
        var queue = RecordQueue()
        var next: Int64 = 0
        for count in fetched {
            queue.append(chunks(next..<(next + Int64(count)), size: 4))
            next += Int64(count)
        }
        var got: [[Int64]] = []
        for limit in takes {
            var taken: [ConsumerRecord] = []
            queue.take(upTo: limit, into: &taken)
            got.append(taken.map(\.offset))
        }
        #expect(got == expected)
        #expect(queue.count == left)
        #expect(queue.bytes == left * (10 + 64))
        #expect(queue.isEmpty == (left == 0))
    }

    @Test func takeAppendsAfterWhatIsAlreadyTaken() {
        var queue = RecordQueue()
        queue.append(chunks(0..<3, size: 8))
        var taken = [record(100)]
        queue.take(upTo: 2, into: &taken)
        #expect(taken.map(\.offset) == [100, 0, 1])
        #expect(queue.count == 1)
    }
}

import Compression
import KafkaProtocol
import NIOCore
import Testing
@testable import KafkaClient

@Suite struct RecordBatchCodecTests {
    private let records: [(key: [UInt8]?, value: [UInt8]?, headers: [RecordHeader], timestamp: Int64)] = [
        (Array("k1".utf8), Array("hello".utf8), [RecordHeader(key: "h", value: [1, 2])], 1_700_000_000_000),
        (nil, Array("world".utf8), [], 1_700_000_000_005),
        ([], nil, [RecordHeader(key: "empty", value: []), RecordHeader(key: "null", value: nil)], 1_699_999_999_990),
        (Array(repeating: 9, count: 300), Array(repeating: 0xab, count: 5000), [], 1_700_000_000_100),
    ]

    private func sealed(_ codec: CompressionCodec, producerID: Int64 = 42, sequence: Int32 = 7) throws -> ByteBuffer {
        var writer = RecordBatchWriter(reusing: ByteBufferAllocator().buffer(capacity: 64))
        for record in records { writer.append(timestamp: record.timestamp, key: record.key, value: record.value, headers: record.headers) }
        return try writer.seal(producerID: producerID, producerEpoch: 3, baseSequence: sequence, codec: codec, allocator: ByteBufferAllocator())
    }

    @Test(arguments: CompressionCodec.allCases)
    func aSealedBatchHasAValidHeaderAndDecodesToTheSameRecords(codec: CompressionCodec) throws {
        let batch = try sealed(codec)
        let header = batch.withUnsafeReadableBytes { RecordBatchHeader(parsing: $0)! }
        #expect(header.magic == 2)
        #expect(header.totalSize == batch.readableBytes)
        #expect(header.recordsCount == 4 && header.lastOffsetDelta == 3)
        #expect(header.compressionCodecID == Int(codec.rawValue))
        #expect(header.producerID == 42 && header.producerEpoch == 3 && header.baseSequence == 7)
        #expect(header.baseTimestamp == records[0].timestamp && header.maxTimestamp == 1_700_000_000_100)
        let decoded = try FetchedRecordsDecoder().decode(batch, topic: "t", partition: 0, fetchOffset: 0, isolation: .readUncommitted, abortedTransactions: [])
        #expect(decoded.nextOffset == 4)
        #expect(decoded.chunks.records.map(\.offset) == [0, 1, 2, 3])
        for (got, want) in zip(decoded.chunks.records, records) {
            #expect(got.key == want.key && got.value == want.value && got.headers == want.headers && got.timestamp == want.timestamp)
        }
    }

    @Test func theUncompressedRecordsMatchKafkaProtocolsReader() throws {
        let batch = try sealed(.none)
        let bytes = Array(batch.readableBytesView)
        let parsed = try RecordReader.readAll(records: Array(bytes[RecordBatchHeader.size...]), count: 4)
        #expect(parsed.map(\.key) == records.map(\.key))
        #expect(parsed.map(\.value) == records.map(\.value))
        #expect(parsed.map(\.offsetDelta) == [0, 1, 2, 3])
        #expect(RecordBatchValidationProbe.crcMatches(bytes))
    }

    @Test func recordsBeforeTheFetchOffsetAndAPartialTrailingBatchAreSkipped() throws {
        var stream = try sealed(.none)
        var second = try sealed(.zstd)
        second.setInteger(Int64(4), at: second.readerIndex)  // baseOffset is outside the CRC
        stream.writeBuffer(&second)
        var partial = try sealed(.none)
        stream.writeBytes(partial.readBytes(length: 40)!)
        let decoded = try FetchedRecordsDecoder().decode(stream, topic: "t", partition: 0, fetchOffset: 2, isolation: .readUncommitted, abortedTransactions: [])
        #expect(decoded.chunks.records.map(\.offset) == [2, 3, 4, 5, 6, 7])
        #expect(decoded.nextOffset == 8)
    }

    @Test func aCorruptBatchIsReportedWithItsOffset() throws {
        var batch = try sealed(.none)
        batch.setInteger(UInt8(0xff), at: batch.readerIndex + 100)
        #expect(throws: KafkaClientError.self) {
            try FetchedRecordsDecoder().decode(batch, topic: "t", partition: 3, fetchOffset: 0, isolation: .readUncommitted, abortedTransactions: [])
        }
    }

    @Test func readCommittedSkipsAbortedTransactionsAndControlBatches() throws {
        var aborted = try sealed(.none, producerID: 9)
        aborted.setInteger(Int16(0x10), at: aborted.readerIndex + 21)  // transactional
        RecordBatchRewriteProbe.recomputeCRC(&aborted)
        var marker = try sealed(.none, producerID: 9)
        marker.setInteger(Int64(4), at: marker.readerIndex)
        marker.setInteger(Int16(0x30), at: marker.readerIndex + 21)  // transactional control
        RecordBatchRewriteProbe.recomputeCRC(&marker)
        var committed = try sealed(.none, producerID: 5)
        committed.setInteger(Int64(8), at: committed.readerIndex)
        var stream = aborted
        stream.writeBuffer(&marker)
        stream.writeBuffer(&committed)
        let decoder = FetchedRecordsDecoder()
        let readCommitted = try decoder.decode(stream, topic: "t", partition: 0, fetchOffset: 0, isolation: .readCommitted, abortedTransactions: [(9, 0)])
        #expect(readCommitted.chunks.records.map(\.offset) == [8, 9, 10, 11])
        let uncommitted = try decoder.decode(stream, topic: "t", partition: 0, fetchOffset: 0, isolation: .readUncommitted, abortedTransactions: [(9, 0)])
        #expect(uncommitted.chunks.records.map(\.offset) == [0, 1, 2, 3, 8, 9, 10, 11])
        #expect(readCommitted.nextOffset == 12)
    }
}

enum RecordBatchValidationProbe {
    static func crcMatches(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { raw in
            let header = RecordBatchHeader(parsing: raw)!
            return CRC32C.checksum(UnsafeRawBufferPointer(rebasing: raw[RecordBatchHeader.crcCoveredFrom...])) == header.crc
        }
    }
}

enum RecordBatchRewriteProbe {
    static func recomputeCRC(_ batch: inout ByteBuffer) {
        batch.withUnsafeMutableReadableBytes { RecordBatchRewrite.recomputeCRC(in: $0) }
    }
}

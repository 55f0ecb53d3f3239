import Testing
@testable import KafkaProtocol

func hexBytes(_ text: String) -> [UInt8] {
    let digits = Array(text.filter { !$0.isWhitespace })
    return stride(from: 0, to: digits.count - 1, by: 2).map { UInt8(String(digits[$0...$0 + 1]), radix: 16)! }
}

/// The record-batch notes' test vector: two records produced by kafka-python, re-checked.
let producedVector = hexBytes("0000000000000000000000480000000002212500a30000000000010000018bcfe568000000018bcfe56805ffffffffffffffffffffffffffff000000021000000001046869001a000a02026b0476320202680278")

@Suite struct RecordBatchTests {
    @Test func parsesAndValidatesTheReferenceVector() throws {
        let header = try producedVector.withUnsafeBytes { raw throws(RecordBatchError) in try RecordBatchHeader.validateSingleBatch(raw) }
        #expect(header.totalSize == 84)
        #expect(header.crc == 0x2125_00a3)
        #expect(header.recordsCount == 2)
        #expect(header.lastOffsetDelta == 1)
        #expect(header.baseTimestamp == 1_700_000_000_000)
        #expect(header.maxTimestamp == 1_700_000_000_005)
        #expect(header.producerID == -1)
        #expect(!header.isLogAppendTime)
    }

    @Test func readsTheVectorsRecords() throws {
        let records = try RecordReader.readAll(records: Array(producedVector[61...]), count: 2)
        #expect(records == [
            Record(timestampDelta: 0, offsetDelta: 0, key: nil, value: Array("hi".utf8)),
            Record(timestampDelta: 5, offsetDelta: 1, key: Array("k".utf8), value: Array("v2".utf8),
                   headers: [.init(key: "h", value: Array("x".utf8))]),
        ])
    }

    @Test func builderReproducesTheVectorByteForByte() {
        var builder = RecordBatchBuilder(baseTimestamp: 1_700_000_000_000)
        builder.partitionLeaderEpoch = 0
        builder.append(key: nil, value: Array("hi".utf8))
        builder.append(key: Array("k".utf8), value: Array("v2".utf8), timestamp: 1_700_000_000_005, headers: [.init(key: "h", value: Array("x".utf8))])
        #expect(builder.build() == producedVector)
    }

    @Test func assigningOffsetAndEpochKeepsTheCRC() throws {
        var batch = producedVector
        batch.withUnsafeMutableBytes { RecordBatchRewrite.assign(baseOffset: 42, leaderEpoch: 7, in: $0) }
        #expect(batch == hexBytes("000000000000002a000000480000000702212500a30000000000010000018bcfe568000000018bcfe56805ffffffffffffffffffffffffffff000000021000000001046869001a000a02026b0476320202680278"))
        _ = try batch.withUnsafeBytes { raw throws(RecordBatchError) in try RecordBatchHeader.validate(raw) }
    }

    @Test func logAppendTimeRewriteMatchesTheVector() throws {
        var batch = producedVector
        batch.withUnsafeMutableBytes {
            RecordBatchRewrite.assign(baseOffset: 42, leaderEpoch: 7, in: $0)
            RecordBatchRewrite.setLogAppendTime(1_700_000_001_234, in: $0)
        }
        #expect(batch == hexBytes("000000000000002a000000480000000702adff77fc0008000000010000018bcfe568000000018bcfe56cd2ffffffffffffffffffffffffffff000000021000000001046869001a000a02026b0476320202680278"))
    }

    static let corruptions: [(Int, RecordBatchError.Code)] = [
        (17, .crcMismatch),          // a CRC byte
        (70, .crcMismatch),          // a record byte
        (16, .unsupportedMagic),
        (60, .invalidRecordCount),   // recordsCount low byte 2 -> 3
    ]

    @Test(arguments: corruptions)
    func corruptionIsDetected(byte: Int, code: RecordBatchError.Code) {
        var batch = producedVector
        batch[byte] ^= 0x01
        do {
            _ = try batch.withUnsafeBytes { raw throws(RecordBatchError) in try RecordBatchHeader.validate(raw) }
            Issue.record("corruption at byte \(byte) was not detected")
        } catch let error as RecordBatchError {
            #expect(error.code == code)
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func everyTruncationIsAnInvalidLength() {
        for length in 0..<producedVector.count {
            let cut = Array(producedVector[..<length])
            #expect(throws: RecordBatchError.self) {
                _ = try cut.withUnsafeBytes { raw throws(RecordBatchError) in try RecordBatchHeader.validate(raw) }
            }
        }
    }

    @Test func trailingBytesAreRejectedForProduce() {
        let two = producedVector + [0]
        do {
            _ = try two.withUnsafeBytes { raw throws(RecordBatchError) in try RecordBatchHeader.validateSingleBatch(raw) }
            Issue.record("trailing bytes accepted")
        } catch let error as RecordBatchError {
            #expect(error.code == .trailingBytes)
            #expect(error.position == 84)
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func nullAndEmptyKeysAndValuesRoundTrip() throws {
        var builder = RecordBatchBuilder(baseTimestamp: 5)
        builder.append(key: nil, value: nil)
        builder.append(key: [], value: [])
        builder.append(key: [1], value: nil, headers: [.init(key: "n", value: nil), .init(key: "e", value: [])])
        let batch = builder.build()
        let records = try RecordReader.readAll(records: Array(batch[61...]), count: 3)
        #expect(records.map(\.key) == [nil, [], [1]])
        #expect(records.map(\.value) == [nil, [], nil])
        #expect(records[2].headers == [.init(key: "n", value: nil), .init(key: "e", value: [])])
    }

    static let malformed: [([UInt8], String)] = [
        ([], "record 0"),                    // no bytes for the one record
        ([0x02, 0x00], "record 0"),                 // length 1 but fields need more
        ([0x7f], "record 0"),                       // length -64
        ([0xff, 0xff, 0xff, 0xff, 0xff, 0x01], "record 0"),  // 6-byte varint
    ]

    @Test(arguments: malformed)
    func malformedRecordsThrowNamingTheRecord(records: [UInt8], expected: String) {
        do {
            _ = try RecordReader.readAll(records: records, count: 1)
            Issue.record("malformed records accepted")
        } catch {
            #expect(error.description.contains(expected))
        }
    }

    static let zigzag: [(Int64, [UInt8])] = [
        (0, [0x00]), (-1, [0x01]), (1, [0x02]), (63, [0x7e]), (64, [0x80, 0x01]),
        (-64, [0x7f]), (-65, [0x81, 0x01]), (300, [0xd8, 0x04]),
    ]

    @Test(arguments: zigzag)
    func zigzagVarintsMatchTheNotes(value: Int64, bytes: [UInt8]) throws {
        var written: [UInt8] = []
        VarintWriter.writeVarlong(value, into: &written)
        #expect(written == bytes)
        var reader = VarintReader(bytes: bytes)
        #expect(try reader.varlong() == value)
    }
}

import BrokerCore
import KafkaProtocol
import Testing
@testable import Broker

/// The in-place walk of a records region agrees with KafkaProtocol's RecordReader on every
/// record and refuses every malformed region without reading out of bounds.
@Suite struct RecordFieldScannerTests {
    static let records: [Record] = [
        Record(offsetDelta: 0, key: nil, value: [0, 0, 0, 0, 1, 2, 0x61]),
        Record(timestampDelta: 300, offsetDelta: 1, key: Array("k".utf8), value: nil),
        Record(offsetDelta: 2, key: [], value: [], headers: [Record.Header(key: "trace", value: [9])]),
        Record(offsetDelta: 3, key: [1], value: Array(repeating: 7, count: 300), headers: [
            Record.Header(key: "__value_schema_id", value: [1] + Array(repeating: 0xab, count: 16)),
            Record.Header(key: "__key_schema_id", value: nil),
            Record.Header(key: "__value_schema_id", value: [0, 0, 0, 0, 5]),
        ]),
    ]

    static func region(_ records: [Record]) -> [UInt8] {
        var bytes: [UInt8] = []
        for record in records { record.encode(into: &bytes) }
        return bytes
    }

    static func scan(_ region: [UInt8], count: Int32) -> (ok: Bool, fields: [SchemaFramedFields]) {
        var fields: [SchemaFramedFields] = []
        let ok = RecordFieldScanner.scan(region, count: count) { record, index in
            #expect(index == fields.count)
            fields.append(record)
        }
        return (ok, fields)
    }

    @Test func agreesWithTheRecordReader() throws {
        let region = Self.region(Self.records)
        let (ok, fields) = Self.scan(region, count: Int32(Self.records.count))
        #expect(ok)
        let read = try RecordReader.readAll(records: region, count: Int32(Self.records.count))
        #expect(fields.count == read.count)
        for (scanned, record) in zip(fields, read) {
            #expect(scanned.key.map(Array.init) == record.key)
            #expect(scanned.value.map(Array.init) == record.value)
        }
        #expect(fields[2].valueSchemaHeader == nil && fields[2].keySchemaHeader == nil)
        // The first header of a name wins; a null header value reads as empty.
        #expect(fields[3].valueSchemaHeader.map(Array.init) == [1] + Array(repeating: 0xab, count: 16))
        #expect(fields[3].keySchemaHeader.map(Array.init) == [])
    }

    @Test func everyTruncationIsRefused() {
        let region = Self.region(Self.records)
        for length in 0..<region.count {
            #expect(!Self.scan(Array(region.prefix(length)), count: Int32(Self.records.count)).ok, "prefix of \(length) bytes")
        }
    }

    @Test func countsAndTrailingBytesMustMatch() {
        let region = Self.region(Self.records)
        #expect(!Self.scan(region, count: 3).ok)
        #expect(!Self.scan(region, count: 5).ok)
        #expect(!Self.scan(region + [0], count: 4).ok)
        #expect(Self.scan([], count: 0).ok)
    }

    @Test func corruptLengthsNeverReadOutOfBounds() {
        var region = Self.region(Self.records)
        // Every single-byte corruption either scans or is refused; none may trap.
        for index in region.indices {
            let original = region[index]
            for replacement: UInt8 in [0x00, 0x01, 0x7f, 0x80, 0xff] {
                region[index] = replacement
                _ = Self.scan(region, count: 4)
            }
            region[index] = original
        }
        #expect(Self.scan(region, count: 4).ok)
    }
}

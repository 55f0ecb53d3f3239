import Avro
import AvroFile
import Foundation
import Testing

/// Object Container Files written by Sluice are read by avro-c and by Sluice, files written by
/// avro-c are read by Sluice, with every codec; hostile files fail with the reason.
@Suite struct AvroFileTests {
    static let eventSchema = #"""
    {"type":"record","name":"Event","namespace":"bench","fields":[
      {"name":"id","type":"long"},{"name":"ts","type":"long"},{"name":"user","type":"string"},
      {"name":"amount","type":"double"},{"name":"ok","type":"boolean"},
      {"name":"note","type":["null","string"],"default":null},
      {"name":"tags","type":{"type":"array","items":"string"}}]}
    """#

    /// The records of `make()` in ../shared/bench/avro/avro_c_bench.c.
    static func event(_ i: Int) -> AvroValue {
        .record([
            .long(Int64(i)), .long(1_700_000_000_000 + Int64(i)), .string("user-\(i % 1000)"), .double(Double(i) * 0.25),
            .boolean(i % 2 == 0), i % 3 == 0 ? .union(1, .string("note number \(i)")) : .union(0, .null),
            .array(["alpha", "beta", "gamma"].prefix(i % 3 + 1).map { .string($0) }),
        ])
    }

    struct Event: Codable, Equatable {
        var id: Int64, ts: Int64, user: String, amount: Double, ok: Bool, note: String?, tags: [String]

        init(_ i: Int) {
            id = Int64(i)
            ts = 1_700_000_000_000 + Int64(i)
            user = "user-\(i % 1000)"
            amount = Double(i) * 0.25
            ok = i % 2 == 0
            note = i % 3 == 0 ? "note number \(i)" : nil
            tags = Array(["alpha", "beta", "gamma"].prefix(i % 3 + 1))
        }
    }

    static func temporaryPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("sluice-avrofile-\(UUID().uuidString)-\(name)").path
    }

    /// The avro-c reference itself encodes as the specification says (zigzag varints,
    /// length-prefixed UTF-8).
    @Test(arguments: [
        (Int64(5), "ab", [UInt8]([0x0a, 0x04, 0x61, 0x62])),
        (-1, "", [0x01, 0x00]),
        (64, "é", [0x80, 0x01, 0x04, 0xc3, 0xa9]),
    ])
    func avroCEncodesAsTheSpecificationSays(id: Int64, name: String, expected: [UInt8]) throws {
        let schema = try AvroSchema(parsing: #"{"type":"record","name":"R","fields":[{"name":"id","type":"long"},{"name":"name","type":"string"}]}"#)
        #expect(try LibAvroReference.encode(.record([.long(id), .string(name)]), schema: schema) == expected)
    }

    /// The bench contract: Sluice's bytes for event.avsc's records are avro-c's, from the generic
    /// codec and from Codable alike.
    @Test func eventRecordsEqualAvroCByteForByte() throws {
        let schema = try AvroSchema(parsing: Self.eventSchema)
        let encoder = try AvroEncoder(schema: schema)
        for i in 0..<3_000 {
            let reference = try LibAvroReference.encode(Self.event(i), schema: schema)
            #expect(try AvroBinaryEncoder.encode(Self.event(i), schema: schema) == reference, "record \(i)")
            #expect(try encoder.encode(Event(i)) == reference, "record \(i) through Codable")
        }
    }

    @Test(arguments: AvroFileCodec.allCases)
    func filesWrittenBySluiceAreReadByAvroCAndBySluice(codec: AvroFileCodec) throws {
        let schema = try AvroSchema(parsing: Self.eventSchema)
        let path = Self.temporaryPath("\(codec).avro")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let writer = try AvroFileWriter(path: path, schema: schema, codec: codec, metadata: [("made.by", Array("sluice".utf8))], blockSize: 1_000)
        let encoder = try AvroEncoder(schema: schema)
        for i in 0..<500 { try writer.append(Event(i), encoder: encoder) }
        try writer.close()

        let expected = try (0..<500).map { try AvroBinaryEncoder.encode(Self.event($0), schema: schema) }
        #expect(try LibAvroReference.readFile(path) == expected)
        let file = try AvroFiles.open(path)
        #expect(file.codec == codec && file.metadataText("made.by") == "sluice" && file.metadataText("avro.codec") == codec.rawValue)
        #expect(try file.values() == (0..<500).map(Self.event))
        #expect(try file.decode(Event.self) == (0..<500).map(Event.init))
    }

    @Test(arguments: AvroFileCodec.allCases)
    func filesWrittenByAvroCAreReadBySluice(codec: AvroFileCodec) throws {
        let schema = try AvroSchema(parsing: Self.eventSchema)
        let path = Self.temporaryPath("c-\(codec).avro")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let datums = try (0..<2_000).map { try AvroBinaryEncoder.encode(Self.event($0), schema: schema) }
        try LibAvroReference.writeFile(path, schema: schema, codec: codec.rawValue, datums: datums)
        let file = try AvroFiles.open(path)
        #expect(file.codec == codec)
        #expect(try file.datums() == datums)
    }

    @Test func aReaderSchemaResolvesTheFilesData() throws {
        let writer = try AvroSchema(parsing: #"{"type":"record","name":"R","fields":[{"name":"a","type":"int"}]}"#)
        let reader = try AvroSchema(parsing: #"{"type":"record","name":"R","fields":[{"name":"a","type":"long"},{"name":"b","type":"string","default":"x"}]}"#)
        var container = try AvroContainerWriter(schema: writer, codec: .deflate)
        try container.append(.record([.int(7)]))
        let file = try AvroContainerReader(bytes: try container.finish())
        #expect(try file.values(reader: reader) == [.record([.long(7), .string("x")])])
    }

    /// A valid two-block file to damage.
    static func sample(codec: AvroFileCodec = .null) throws -> (bytes: [UInt8], sync: [UInt8]) {
        let schema = try AvroSchema(parsing: #"{"type":"record","name":"R","fields":[{"name":"s","type":"string"}]}"#)
        let sync = [UInt8](repeating: 0xAB, count: 16)
        var container = try AvroContainerWriter(schema: schema, codec: codec, sync: sync, blockSize: 4)
        try container.append(.record([.string("hello")]))
        try container.append(.record([.string("world")]))
        return (try container.finish(), sync)
    }

    @Test(arguments: [
        ("magic", "does not begin with Obj"),
        ("truncatedHeader", "header"),
        ("sync", "sync marker"),
        ("blockSize", "exceed"),
        ("count", "datum"),
        ("codec", "unsupported codec"),
        ("snappyCRC", "CRC-32"),
        ("bomb", "limit"),
    ])
    func hostileFilesAreRefusedWithTheReason(damage: String, reason: String) throws {
        var (bytes, _) = try Self.sample()
        var limit = 256 << 20
        switch damage {
        case "magic": bytes[3] = 2
        case "truncatedHeader": bytes = Array(bytes.prefix(20))
        case "sync": bytes[bytes.count - 1] ^= 0xFF
        case "blockSize":
            // The last block's size byte (after its count) claims more than is left.
            let last = bytes.count - 16 - 6 - 2
            bytes[last + 1] = 0x7E
        case "count":
            let last = bytes.count - 16 - 6 - 2
            bytes[last] = 0x04
        case "codec":
            let null = Array("null".utf8)
            let at = try #require((0...(bytes.count - 4)).first { Array(bytes[$0..<($0 + 4)]) == null })
            bytes.replaceSubrange(at..<(at + 4), with: Array("zzzz".utf8))
        case "snappyCRC":
            bytes = try Self.sample(codec: .snappy).bytes
            bytes[bytes.count - 17] ^= 0x01
        default:
            let schema = try AvroSchema(parsing: #"{"type":"array","items":"long"}"#)
            var container = try AvroContainerWriter(schema: schema, codec: .deflate)
            try container.append(.array(Array(repeating: .long(0), count: 500_000)))
            bytes = try container.finish()
            limit = 64 * 1024
        }
        #expect {
            let file = try AvroContainerReader(bytes: bytes, maxBlockSize: limit)
            _ = try file.datums()
        } throws: { error in
            "\(error)".contains(reason)
        }
    }
}

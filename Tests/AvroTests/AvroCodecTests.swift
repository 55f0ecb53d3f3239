import Avro
import Testing

@Suite struct AvroCodecTests {
    /// Encodings from the Avro specification's examples and zigzag table.
    @Test(arguments: [
        ("\"int\"", AvroValue.int(0), [UInt8]([0x00])),
        ("\"int\"", .int(-1), [0x01]),
        ("\"int\"", .int(1), [0x02]),
        ("\"int\"", .int(-64), [0x7f]),
        ("\"int\"", .int(64), [0x80, 0x01]),
        ("\"long\"", .long(Int64.min), [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]),
        ("\"string\"", .string("foo"), [0x06, 0x66, 0x6f, 0x6f]),
        ("\"boolean\"", .boolean(true), [0x01]),
        ("\"double\"", .double(1.5), [0, 0, 0, 0, 0, 0, 0xf8, 0x3f]),
        ("[\"null\",\"string\"]", .union(1, .string("a")), [0x02, 0x02, 0x61]),
        ("{\"type\":\"array\",\"items\":\"long\"}", .array([.long(3), .long(27)]), [0x04, 0x06, 0x36, 0x00]),
        ("{\"type\":\"record\",\"name\":\"test\",\"fields\":[{\"name\":\"a\",\"type\":\"long\"},{\"name\":\"b\",\"type\":\"string\"}]}",
         .record([.long(27), .string("foo")]), [0x36, 0x06, 0x66, 0x6f, 0x6f]),
        ("{\"type\":\"enum\",\"name\":\"E\",\"symbols\":[\"A\",\"B\"]}", .enumeration(1, "B"), [0x02]),
        ("{\"type\":\"fixed\",\"name\":\"F\",\"size\":2}", .fixed([0xab, 0xcd]), [0xab, 0xcd]),
        ("{\"type\":\"map\",\"values\":\"int\"}", .map([("k", .int(1))]), [0x02, 0x02, 0x6b, 0x02, 0x00]),
    ])
    func encodesAndDecodesAsTheSpecificationSays(schema: String, value: AvroValue, bytes: [UInt8]) throws {
        let parsed = try AvroSchema(parsing: schema)
        #expect(try AvroBinaryEncoder.encode(value, schema: parsed) == bytes)
        #expect(try AvroDatumReader(writer: parsed).read(bytes) == value)
    }

    @Test func readsBlocksWithByteSizes() throws {
        // A negative count is followed by the block's byte size.
        let schema = try AvroSchema(parsing: "{\"type\":\"array\",\"items\":\"long\"}")
        #expect(try AvroDatumReader(writer: schema).read([0x03, 0x04, 0x06, 0x36, 0x00]) == .array([.long(3), .long(27)]))
    }

    @Test(arguments: [
        ("\"string\"", [UInt8]([0xfe, 0xff, 0xff, 0xff, 0x0f]), "exceeds"),
        ("\"bytes\"", [0x01], "negative length"),
        ("{\"type\":\"array\",\"items\":\"long\"}", [0xfe, 0xff, 0xff, 0xff, 0x0f], "exceeds"),
        ("\"int\"", [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01], "varint"),
        ("\"int\"", [0x80, 0x80, 0x80, 0x80, 0x20], "out of 32-bit range"),
        ("[\"null\",\"int\"]", [0x04], "union branch 2"),
        ("\"boolean\"", [0x02], "neither 0 nor 1"),
        ("\"long\"", [0x02, 0x00], "bytes left after the datum"),
        ("\"string\"", [0x02, 0xff], "not valid UTF-8"),
    ])
    func hostileInputIsRejectedWithoutAllocating(schema: String, bytes: [UInt8], reason: String) throws {
        let reader = try AvroDatumReader(writer: try AvroSchema(parsing: schema))
        do {
            _ = try reader.read(bytes)
            Issue.record("accepted \(bytes)")
        } catch {
            #expect(error.message.contains(reason), "\(error.message)")
        }
    }

    @Test func resolvesIntoAnEvolvedReader() throws {
        let writer = try AvroSchema(parsing: #"{"type":"record","name":"R","fields":[{"name":"a","type":"int"},{"name":"gone","type":"string"},{"name":"e","type":{"type":"enum","name":"E","symbols":["X","Y","Z"]}},{"name":"u","type":["null","int"]}]}"#)
        let reader = try AvroSchema(parsing: #"{"type":"record","name":"R","fields":[{"name":"u","type":["null","long"]},{"name":"b","type":"string","aliases":[],"default":"dflt"},{"name":"renamed","type":"double","aliases":["a"]},{"name":"e","type":{"type":"enum","name":"E","symbols":["X","Y"],"default":"X"}}]}"#)
        let data = try AvroBinaryEncoder.encode(.record([.int(7), .string("skip me"), .enumeration(2, "Z"), .union(1, .int(9))]), schema: writer)
        let value = try AvroDatumReader(writer: writer, reader: reader).read(data)
        #expect(value == .record([.union(1, .long(9)), .string("dflt"), .double(7), .enumeration(0, "X")]))
    }

    @Test func refusesWhatTheReaderCannotRead() throws {
        let writer = try AvroSchema(parsing: #"{"type":"record","name":"R","fields":[{"name":"a","type":"long"}]}"#)
        let reader = try AvroSchema(parsing: #"{"type":"record","name":"R","fields":[{"name":"a","type":"int"}]}"#)
        #expect(throws: AvroCodingError.self) { try AvroDatumReader(writer: writer, reader: reader) }
        let missing = try AvroSchema(parsing: #"{"type":"record","name":"R","fields":[{"name":"b","type":"int"}]}"#)
        #expect(throws: AvroCodingError.self) { try AvroDatumReader(writer: writer, reader: missing) }
    }

    @Test func jsonEncodingRoundTrips() throws {
        let schema = try AvroSchema(parsing: #"{"type":"record","name":"R","fields":[{"name":"u","type":["null","string"]},{"name":"b","type":"bytes"},{"name":"f","type":"float"}]}"#)
        let value = AvroValue.record([.union(1, .string("x")), .bytes([0, 255]), .float(.nan)])
        let json = try AvroJSON.encode(value, schema: schema)
        #expect(json.compactText == #"{"u":{"string":"x"},"b":"\u0000ÿ","f":"NaN"}"#)
        #expect(try AvroJSON.decode(json, schema: schema) == value)
    }
}

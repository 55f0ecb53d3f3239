import CAvro
import Testing

/// The avro-c shim works: a schema parses, a generic record is filled through the shimmed
/// `avro_value_*` macros, and its binary encoding is the Avro specification's (zigzag varint
/// longs, length-prefixed strings). Later this is the byte-for-byte reference for Sluice's own
/// Avro codec.
@Suite struct CAvroShimTests {
    @Test(arguments: [
        (Int64(5), "ab", [UInt8]([0x0a, 0x04, 0x61, 0x62])),
        (-1, "", [0x01, 0x00]),
        (64, "é", [0x80, 0x01, 0x04, 0xc3, 0xa9]),
    ])
    func encodesARecordAsTheSpecificationSays(id: Int64, name: String, expected: [UInt8]) throws {
        let json = #"{"type":"record","name":"R","fields":[{"name":"id","type":"long"},{"name":"name","type":"string"}]}"#
        var schema: avro_schema_t?
        #expect(avro_schema_from_json_length(json, json.utf8.count, &schema) == 0)
        let parsed = try #require(schema)
        defer { avro_schema_decref(parsed) }
        let iface = try #require(avro_generic_class_from_schema(parsed))
        defer { cavro_value_iface_decref(iface) }
        var record = avro_value_t()
        #expect(avro_generic_value_new(iface, &record) == 0)
        defer { cavro_value_decref(&record) }

        var field = avro_value_t()
        #expect(cavro_value_get_by_name(&record, "id", &field) == 0)
        #expect(cavro_value_set_long(&field, id) == 0)
        var readBack: Int64 = 0
        #expect(cavro_value_get_long(&field, &readBack) == 0 && readBack == id)
        #expect(cavro_value_get_by_name(&record, "name", &field) == 0)
        #expect(cavro_value_set_string(&field, name) == 0)

        var buffer = [CChar](repeating: 0, count: 64)
        let written: Int64 = buffer.withUnsafeMutableBufferPointer { raw in
            let writer = avro_writer_memory(raw.baseAddress, Int64(raw.count))
            defer { avro_writer_free(writer) }
            guard avro_value_write(writer, &record) == 0 else { return -1 }
            return avro_writer_tell(writer)
        }
        #expect(written == Int64(expected.count))
        #expect(buffer.prefix(expected.count).map { UInt8(bitPattern: $0) } == expected)
    }

    @Test func anInvalidSchemaIsRejectedWithAReason() {
        var schema: avro_schema_t?
        let json = #"{"type":"record","name":"R","fields":[{"name":"x","type":"nope"}]}"#
        #expect(avro_schema_from_json_length(json, json.utf8.count, &schema) != 0)
        #expect(!String(cString: avro_strerror()).isEmpty)
    }
}

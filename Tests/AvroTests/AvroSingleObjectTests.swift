import Avro
import Testing

/// Single-object encoding: C3 01, the writer's CRC-64-AVRO fingerprint little-endian, the datum.
@Suite struct AvroSingleObjectTests {
    static let v1 = #"{"type":"record","name":"User","fields":[{"name":"id","type":"long"}]}"#
    static let v2 = #"{"type":"record","name":"User","fields":[{"name":"id","type":"long"},{"name":"name","type":"string","default":"anon"}]}"#

    struct User: Codable, Equatable { var id: Int; var name: String }

    @Test func aMessageIsTheMarkerTheFingerprintAndTheDatum() throws {
        let schema = try AvroSchema(parsing: Self.v1)
        let message = try AvroSingleObject.encode(.record([.long(3)]), schema: schema)
        #expect(Array(message.prefix(2)) == [0xC3, 0x01])
        #expect(Array(message[2..<10]) == AvroFingerprint.rabinBytes(schema.canonicalForm))
        #expect(Array(message[10...]) == (try AvroBinaryEncoder.encode(.record([.long(3)]), schema: schema)))
        #expect(try AvroSingleObject.fingerprint(of: message) == schema.rabinFingerprint)
    }

    @Test func aReaderFindsTheWriterByFingerprintAndResolves() throws {
        let writer = try AvroSchema(parsing: Self.v1)
        let reader = try AvroSchema(parsing: Self.v2)
        var objects = AvroSingleObjectReader(store: AvroSchemaStore([writer, reader]), reader: reader)
        let old = try AvroSingleObject.encode(.record([.long(3)]), schema: writer)
        #expect(try objects.read(old) == .record([.long(3), .string("anon")]))
        #expect(try objects.decode(User.self, from: old) == User(id: 3, name: "anon"))
        let new = try AvroSingleObject.encode(User(id: 4, name: "b"), encoder: AvroEncoder(schema: reader))
        #expect(try objects.decode(User.self, from: new) == User(id: 4, name: "b"))
    }

    @Test(arguments: [
        ([UInt8]([0xC3, 0x01, 1, 2]), "at least 10 bytes"),
        ([0xC3, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0], "not single-object encoded"),
        ([0x00, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0], "begins 00 01"),
        ([0xC3, 0x01, 1, 2, 3, 4, 5, 6, 7, 8, 0], "unknown writer schema: no schema in the store has fingerprint 0102030405060708"),
    ])
    func badMessagesAreRefusedWithTheReason(message: [UInt8], reason: String) throws {
        var objects = AvroSingleObjectReader(store: AvroSchemaStore([try AvroSchema(parsing: Self.v1)]))
        #expect {
            try objects.read(message)
        } throws: { error in
            (error as? AvroCodingError)?.message.contains(reason) == true
        }
    }
}

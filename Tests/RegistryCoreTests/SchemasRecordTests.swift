import Testing
@testable import RegistryCore

@Suite struct SchemasRecordTests {
    private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test(arguments: [
        (SchemasKey.schema(subject: "orders-value", version: 1), #"{"keytype":"SCHEMA","subject":"orders-value","version":1,"magic":1}"#),
        (.config(subject: "orders-value"), #"{"keytype":"CONFIG","subject":"orders-value","magic":0}"#),
        (.config(subject: nil), #"{"keytype":"CONFIG","magic":0}"#),
        (.mode(subject: nil), #"{"keytype":"MODE","magic":0}"#),
        (.deleteSubject(subject: "s"), #"{"keytype":"DELETE_SUBJECT","subject":"s","magic":0}"#),
        (.clearSubject(subject: "s"), #"{"keytype":"CLEAR_SUBJECT","subject":"s","magic":0}"#),
        (.noop, #"{"keytype":"NOOP","magic":0}"#),
    ])
    func keysAreConfluentsExactBytes(key: SchemasKey, text: String) throws {
        #expect(key.encoded() == bytes(text))
        #expect(try SchemasKey.decode(bytes(text)).key == key)
    }

    @Test func oldKarapaceKeyOrderIsReadAndReproduced() throws {
        let old = #"{"subject":"test","version":1,"magic":1,"keytype":"SCHEMA"}"#
        let (key, style) = try SchemasKey.decode(bytes(old))
        #expect(key == .schema(subject: "test", version: 1))
        #expect(style == .oldKarapace)
        #expect(key.encoded(style: .oldKarapace) == bytes(old))
    }

    @Test(arguments: [
        #"{"keytype":"CONFIG","subject":null,"magic":0}"#,
        #"{"keytype":"CONFIG","magic":0}"#,
    ])
    func bothGlobalConfigSpellingsAreTheGlobalConfig(text: String) throws {
        #expect(try SchemasKey.decode(bytes(text)).key == .config(subject: nil))
    }

    @Test func subjectsAreEscaped() {
        #expect(SchemasKey.schema(subject: "a\"b\\c\n", version: 2).encoded()
                == bytes(#"{"keytype":"SCHEMA","subject":"a\"b\\c\n","version":2,"magic":1}"#))
    }

    @Test func schemaValueRoundTripsWithOptionalFields() throws {
        let record = SchemaVersionRecord(
            subject: "s", version: 2, id: 7, schemaType: "JSON",
            references: [SchemaReference(name: "common.json", subject: "common", version: 1)],
            schema: #"{"type":"object"}"#)
        let text = String(decoding: record.encoded(), as: UTF8.self)
        #expect(text == #"{"subject":"s","version":2,"id":7,"schemaType":"JSON","references":[{"name":"common.json","subject":"common","version":1}],"schema":"{\"type\":\"object\"}","deleted":false}"#)
        #expect(try SchemaVersionRecord(decoding: record.encoded(), key: ("s", 2)) == record)
        let avro = SchemaVersionRecord(subject: "s", version: 1, id: 1, schema: "\"string\"")
        #expect(String(decoding: avro.encoded(), as: UTF8.self) == #"{"subject":"s","version":1,"id":1,"schema":"\"string\"","deleted":false}"#)
    }

    @Test(arguments: [
        #"not json"#, #"[1]"#, #"{"subject":"s","version":1,"schema":"x"}"#, #"{"subject":"s","version":1,"id":1}"#,
    ])
    func malformedValuesThrowSayingWhat(text: String) {
        #expect(throws: SchemasRecordError.self) { try SchemaVersionRecord(decoding: bytes(text), key: ("s", 1)) }
    }

    @Test(arguments: [#"{"magic":0}"#, #"{"keytype":"SCHEMA","version":1}"#, #"{"keytype":"SCHEMA","subject":"s"}"#, "{"])
    func malformedKeysThrow(text: String) {
        #expect(throws: SchemasRecordError.self) { try SchemasKey.decode(bytes(text)) }
    }
}

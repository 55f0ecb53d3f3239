import Avro
import Testing

@Suite struct AvroSchemaParserTests {
    /// Canonical forms and CRC-64-AVRO fingerprints (little-endian hex) computed with Apache
    /// Avro's Python implementation (avro 1.12).
    @Test(arguments: [
        ("\"null\"", "\"null\"", "8a8f25cce724dd63"),
        ("{\"type\":\"int\",\"logicalType\":\"date\"}", "\"int\"", "8f5c393f1ad57572"),
        ("\"string\"", "\"string\"", "c70345637248018f"),
        ("""
        {"type":"record","name":"R","namespace":"a.b","doc":"d","fields":[
          {"name":"f","type":{"type":"enum","name":"E","symbols":["A","B"]}},
          {"name":"g","type":["null",{"type":"fixed","name":"x.F","size":4}],"default":null}]}
        """,
         "{\"name\":\"a.b.R\",\"type\":\"record\",\"fields\":[{\"name\":\"f\",\"type\":{\"name\":\"a.b.E\",\"type\":\"enum\",\"symbols\":[\"A\",\"B\"]}},{\"name\":\"g\",\"type\":[\"null\",{\"name\":\"x.F\",\"type\":\"fixed\",\"size\":4}]}]}",
         "dddccde1628b1e0a"),
    ])
    func canonicalFormAndRabinFingerprint(schema: String, canonical: String, rabinHex: String) throws {
        let parsed = try AvroSchema(parsing: schema)
        #expect(parsed.canonicalForm == canonical)
        let hex = AvroFingerprint.rabinBytes(parsed.canonicalForm).hex
        #expect(hex == rabinHex)
    }

    @Test func md5AndSHA256OfTheCanonicalForm() {
        let md5 = AvroFingerprint.md5("\"int\"").hex
        #expect(md5 == "ef524ea1b91e73173d938ade36c1db32")
        #expect(AvroFingerprint.sha256("\"int\"").count == 32)
    }

    @Test(arguments: [
        ("{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"a\",\"type\":\"int\"},{\"name\":\"a\",\"type\":\"long\"}]}",
         "/fields/1/name", "the record R has two fields named \"a\""),
        ("{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"a\",\"type\":\"Missing\"}]}",
         "/fields/0/type", "unknown type \"Missing\""),
        ("{\"type\":\"enum\",\"name\":\"E\",\"symbols\":[\"A\",\"B\"],\"default\":\"C\"}",
         "/default", "the enum default \"C\" is not one of the symbols of E"),
        ("{\"type\":\"enum\",\"name\":\"E\",\"symbols\":[\"A\",\"A\"]}", "/symbols/1", "the enum E has the symbol A twice"),
        ("{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"a\",\"type\":\"int\",\"default\":\"x\"}]}",
         "/fields/0/default", "invalid default for the field \"a\": \"x\" is a string, not a int"),
        ("{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"a\",\"type\":[\"null\",\"int\"],\"default\":1}]}",
         "/fields/0/default", "a union's default must match its first branch"),
        ("{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"a\",\"type\":\"int\",\"default\":3000000000}]}",
         "/fields/0/default", "is not a 32-bit integer"),
        ("[\"int\",\"int\"]", "/1", "the union already has a branch of type int"),
        ("[\"int\",[\"long\"]]", "/1", "a union may not directly contain another union"),
        ("{\"type\":\"fixed\",\"name\":\"F\"}", "/size", "a fixed type needs a non-negative integer \"size\""),
        ("{\"type\":\"record\",\"name\":\"1R\",\"fields\":[]}", "/name", "\"1R\" is not a valid Avro name"),
        ("{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"a\",\"type\":{\"type\":\"record\",\"name\":\"R\",\"fields\":[]}}]}",
         "/fields/0/type/name", "the type R is defined twice"),
        ("{\"type\":\"array\"}", "", "an array needs \"items\""),
        ("{\"name\":\"x\"}", "", "a schema object needs a \"type\""),
        ("\"record\"", "", "\"record\" is a complex type"),
        ("{\"type\":\"int\",}", "", "not valid JSON: expected a string key in the object at line 1, column 15"),
        ("42", "", "a schema is a string, an object or an array, not a number"),
    ])
    func rejectsWithPathAndReason(schema: String, path: String, reason: String) {
        do {
            _ = try AvroSchema(parsing: schema)
            Issue.record("accepted an invalid schema: \(schema)")
        } catch {
            #expect(error.path == path)
            #expect(error.message.contains(reason), "\(error.message)")
        }
    }

    @Test func resolvesNamesAgainstTheEnclosingNamespace() throws {
        let schema = try AvroSchema(parsing: """
        {"type":"record","name":"Node","namespace":"com.acme","fields":[
          {"name":"next","type":["null","Node"],"default":null},
          {"name":"other","type":{"type":"record","name":"Leaf","namespace":"org.x","fields":[{"name":"up","type":"com.acme.Node"}]}},
          {"name":"leaf2","type":"org.x.Leaf"}]}
        """)
        #expect(Set(schema.namedTypes.keys) == ["com.acme.Node", "org.x.Leaf"])
        #expect(schema.canonicalForm == "{\"name\":\"com.acme.Node\",\"type\":\"record\",\"fields\":[{\"name\":\"next\",\"type\":[\"null\",\"com.acme.Node\"]},{\"name\":\"other\",\"type\":{\"name\":\"org.x.Leaf\",\"type\":\"record\",\"fields\":[{\"name\":\"up\",\"type\":\"com.acme.Node\"}]}},{\"name\":\"leaf2\",\"type\":\"org.x.Leaf\"}]}")
    }

    @Test func textKeepsEveryAttributeButNotFormatting() throws {
        let pretty = """
        {
          "namespace": "n", "type": "record", "name": "R", "doc": "a record",
          "fields": [ {"type": {"type": "bytes", "logicalType": "decimal", "precision": 4, "scale": 2}, "name": "amount", "default": "\\u0000"},
                      {"name": "e", "type": {"type":"enum","name":"E","symbols":["A","B"],"default":"A","aliases":["m.Old","Older"]}, "aliases": ["ee"], "order": "descending", "x-custom": {"k": [1]}} ]
        }
        """
        let schema = try AvroSchema(parsing: pretty)
        let expected = #"{"type":"record","name":"R","namespace":"n","doc":"a record","fields":[{"name":"amount","type":{"type":"bytes","logicalType":"decimal","precision":4,"scale":2},"default":"\u0000"},{"name":"e","type":{"type":"enum","name":"E","symbols":["A","B"],"default":"A","aliases":["m.Old","Older"]},"order":"descending","aliases":["ee"],"x-custom":{"k":[1]}}]}"#
        #expect(schema.text == expected)
        // The printed text parses back to itself.
        #expect(try AvroSchema(parsing: schema.text).text == expected)
    }

    @Test func usesNamedTypesFromReferences() throws {
        let address = try AvroSchema(parsing: #"{"type":"record","name":"Address","namespace":"shop","fields":[{"name":"city","type":"string"}]}"#)
        let order = try AvroSchema(parsing: #"{"type":"record","name":"Order","namespace":"shop","fields":[{"name":"to","type":"Address"}]}"#,
                                   references: [address])
        #expect(order.text == #"{"type":"record","name":"Order","namespace":"shop","fields":[{"name":"to","type":"Address"}]}"#)
        #expect(order.canonicalForm == #"{"name":"shop.Order","type":"record","fields":[{"name":"to","type":{"name":"shop.Address","type":"record","fields":[{"name":"city","type":"string"}]}}]}"#)
        #expect(throws: AvroSchemaError.self) { try AvroSchema(parsing: #"{"type":"record","name":"O","fields":[{"name":"to","type":"shop.Address"}]}"#) }
    }
}

extension Array where Element == UInt8 {
    var hex: String { map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined() }
}

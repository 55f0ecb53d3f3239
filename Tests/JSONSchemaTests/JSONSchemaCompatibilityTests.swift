import JSONSchema
import OrderedJSON
import Testing

@Suite struct JSONSchemaCompatibilityTests {
    /// (reader, writer, expected kinds): a reader is compatible when it accepts every document
    /// the writer accepts (Confluent's rules, the compatibility notes §5).
    @Test(arguments: [
        (#"{"type":"number"}"#, #"{"type":"integer"}"#, [String]()),
        (#"{"type":"integer"}"#, #"{"type":"number"}"#, ["TYPE_NARROWED"]),
        (#"{"type":"string"}"#, #"{"type":"number"}"#, ["TYPE_CHANGED"]),
        (#"{"type":["string","null"]}"#, #"{"type":"string"}"#, []),
        (#"{"type":"string"}"#, #"{"type":["string","null"]}"#, ["TYPE_NARROWED"]),
        (#"{"type":"object","properties":{"a":{"type":"string"}},"additionalProperties":false}"#,
         #"{"type":"object","properties":{},"additionalProperties":false}"#, []),
        (#"{"type":"object","properties":{"a":{"type":"string"}}}"#, #"{"type":"object","properties":{}}"#,
         ["PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL"]),
        (#"{"type":"object","properties":{"a":{}}}"#, #"{"type":"object","properties":{}}"#, []),
        (#"{"type":"object","properties":{},"additionalProperties":false}"#,
         #"{"type":"object","properties":{"a":{"type":"string"}},"additionalProperties":false}"#,
         ["PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL"]),
        (#"{"type":"object","properties":{"a":{"type":"string"}},"required":["a"],"additionalProperties":false}"#,
         #"{"type":"object","properties":{"a":{"type":"string"}},"additionalProperties":false}"#, ["REQUIRED_ATTRIBUTE_ADDED"]),
        (#"{"type":"object","properties":{"a":{"type":"string","default":"x"}},"required":["a"]}"#,
         #"{"type":"object","properties":{"a":{"type":"string"}}}"#, []),
        (#"{"enum":["A","B","C"]}"#, #"{"enum":["A","B"]}"#, []),
        (#"{"enum":["A"]}"#, #"{"enum":["A","B"]}"#, ["ENUM_ARRAY_NARROWED"]),
        (#"{"type":"string","maxLength":5}"#, #"{"type":"string","maxLength":10}"#, ["MAXLENGTH_DECREASED"]),
        (#"{"type":"string","maxLength":20}"#, #"{"type":"string","maxLength":10}"#, []),
        (#"{"type":"integer","minimum":1}"#, #"{"type":"integer"}"#, ["MINIMUM_ADDED"]),
        (#"{"type":"string","pattern":"^a"}"#, #"{"type":"string"}"#, ["PATTERN_ADDED"]),
        (#"{"type":"object","additionalProperties":false}"#, #"{"type":"object"}"#, ["ADDITIONAL_PROPERTIES_REMOVED"]),
        (#"{"type":"array","items":{"type":"integer"}}"#, #"{"type":"array","items":{"type":"number"}}"#, ["TYPE_NARROWED"]),
        (#"{"oneOf":[{"type":"string"},{"type":"integer"}]}"#, #"{"oneOf":[{"type":"string"}]}"#, []),
        (#"{"oneOf":[{"type":"string"}]}"#, #"{"oneOf":[{"type":"string"},{"type":"integer"}]}"#, ["COMBINED_TYPE_SUBSCHEMAS_CHANGED"]),
        (##"{"definitions":{"n":{"type":"object","properties":{"next":{"$ref":"#/definitions/n"},"v":{"type":"number"}}}},"$ref":"#/definitions/n"}"##,
         ##"{"definitions":{"n":{"type":"object","properties":{"next":{"$ref":"#/definitions/n"},"v":{"type":"integer"}}}},"$ref":"#/definitions/n"}"##, []),
        ("true", #"{"type":"string"}"#, []),
        ("false", #"{"type":"string"}"#, ["TYPE_NARROWED"]),
    ])
    func verdicts(reader: String, writer: String, kinds: [String]) throws {
        let found = JSONSchemaCompatibility.problems(reader: try JSONParser.parse(reader), writer: try JSONParser.parse(writer))
        #expect(found.map(\.kind) == kinds, "\(found)")
    }
}

@Suite struct JSONSchemaReferenceTests {
    @Test func followsReferencesIntoNamedDocuments() throws {
        let addressV1 = try JSONParser.parse(##"{"$defs":{"zip":{"type":"integer"}},"type":"object","properties":{"zip":{"$ref":"#/$defs/zip"}}}"##)
        let addressV2 = try JSONParser.parse(##"{"$defs":{"zip":{"type":"string"}},"type":"object","properties":{"zip":{"$ref":"#/$defs/zip"}}}"##)
        let order = try JSONParser.parse(##"{"type":"object","properties":{"to":{"$ref":"address.json"}}}"##)
        #expect(JSONSchemaCompatibility.problems(reader: order, writer: order, readerDocuments: ["address.json": addressV1],
                                                 writerDocuments: ["address.json": addressV1]).isEmpty)
        let found = JSONSchemaCompatibility.problems(reader: order, writer: order, readerDocuments: ["address.json": addressV2],
                                                     writerDocuments: ["address.json": addressV1])
        #expect(found.map(\.kind) == ["TYPE_CHANGED"])
        #expect(found.first?.path == "/properties/to/properties/zip/type")
    }

    @Test func listsExternalReferencesButNotEmbeddedIDs() throws {
        let schema = try JSONParser.parse(##"{"properties":{"a":{"$ref":"a.json#/x"},"b":{"$ref":"#/$defs/b"},"c":{"$ref":"c.json"}},"$defs":{"c":{"$id":"c.json"}}}"##)
        #expect(JSONSchemaCompatibility.externalReferences(in: schema) == ["a.json"])
    }
}

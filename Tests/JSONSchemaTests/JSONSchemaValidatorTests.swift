@testable import JSONSchema
import OrderedJSON
import Testing

private func compile(_ schema: String, documents: [String: String] = [:], resolver: @escaping JSONSchemaResolver = { _ in nil })
    throws -> JSONSchemaValidator {
    try JSONSchemaValidator(schema: try JSONParser.parse(schema), documents: try documents.mapValues { try JSONParser.parse($0) },
                            resolver: resolver)
}

@Suite struct JSONSchemaValidatorTests {
    /// (schema, document, expected violations as "instancePath schemaPath").
    @Test(arguments: [
        (#"{"type":"object","properties":{"a":{"type":"string"}},"required":["b"]}"#, #"{"a":1}"#,
         [" /required", "/a /properties/a/type"]),
        (##"{"definitions":{"n":{"type":"integer","minimum":0}},"type":"array","items":{"$ref":"#/definitions/n"}}"##, "[1,-2,3.5]",
         ["/1 /items/$ref/minimum", "/2 /items/$ref/type"]),
        (#"{"additionalProperties":false,"properties":{"a":true},"patternProperties":{"^x":{"maxLength":2}}}"#, #"{"a":0,"xy":"abc","b":1}"#,
         ["/xy /patternProperties/^x/maxLength", "/b /additionalProperties"]),
        (#"{"$schema":"https://json-schema.org/draft/2020-12/schema","prefixItems":[{"type":"integer"}],"items":false}"#, #"[1,2]"#,
         ["/1 /items"]),
        (#"{"$schema":"https://json-schema.org/draft/2020-12/schema","properties":{"a":true},"unevaluatedProperties":false,"allOf":[{"properties":{"b":true}}]}"#,
         #"{"a":1,"b":2,"c":3}"#, ["/c /unevaluatedProperties"]),
        (#"{"if":{"properties":{"k":{"const":"a"}}},"then":{"required":["a"]},"else":{"required":["b"]}}"#, #"{"k":"a"}"#, [" /then/required"]),
        (#"{"oneOf":[{"type":"integer"},{"minimum":2}]}"#, "3", [" /oneOf"]),
        (#"{"not":{"type":"string"}}"#, #""x""#, [" /not"]),
        (#"{"type":"string","minLength":2}"#, #""😀""#, [" /minLength"]),
        (#"{"format":"date"}"#, #""2021-02-29""#, [" /format"]),
        (#"{"dependencies":{"a":["b"],"c":{"required":["d"]}}}"#, #"{"a":1,"c":2}"#, [" /dependencies/a", " /dependencies/c/required"]),
        (#"{"uniqueItems":true}"#, #"[{"a":1,"b":2},{"b":2,"a":1.0}]"#, [" /uniqueItems"]),
        (#"{"enum":[{"a":[1,2]}]}"#, #"{"a":[1,2.0]}"#, [String]()),
        (#"{"multipleOf":0.01}"#, "19.99", []),
        (#"{"type":"integer"}"#, "1.0", []),
        ("false", "1", [" "]),
    ])
    func violations(schema: String, document: String, expected: [String]) throws {
        let validator = try compile(schema)
        let found = validator.violations(of: try JSONParser.parse(document))
        #expect(found.map { "\($0.instancePath) \($0.schemaPath)" } == expected, "\(found)")
        #expect(validator.isValid(try JSONParser.parse(document)) == expected.isEmpty)
    }

    /// Malformed schemas fail to compile, naming the JSON path of the problem.
    @Test(arguments: [
        (#"{"type":"strin"}"#, "/type"),
        (#"{"properties":{"a":{"minLength":-1}}}"#, "/properties/a/minLength"),
        (#"{"required":["a",2]}"#, "/required/1"),
        (#"{"pattern":"(unclosed"}"#, "/pattern"),
        (#"{"items":[{"type":"integer"},3]}"#, "/items/1"),
        (##"{"$ref":"#/definitions/missing"}"##, "/$ref"),
        (#"{"allOf":[]}"#, "/allOf"),
        (#"{"multipleOf":0}"#, "/multipleOf"),
        (#"{"properties":{"a":{"$ref":"other.json"}}}"#, "/properties/a/$ref"),
        (#"{"$schema":"https://json-schema.org/draft/2020-12/schema","dependentRequired":{"a":"b"}}"#, "/dependentRequired/a"),
    ])
    func invalidSchemas(schema: String, path: String) throws {
        #expect(throws: JSONSchemaError.self) { try compile(schema) }
        do {
            _ = try compile(schema)
        } catch let error as JSONSchemaError {
            #expect(error.path == path, "\(error)")
        }
    }

    @Test func resolvesOtherDocumentsByNameAndThroughTheResolver() throws {
        let address = ##"{"$defs":{"zip":{"type":"string","pattern":"^[0-9]{5}$"}},"type":"object","properties":{"zip":{"$ref":"#/$defs/zip"}}}"##
        let order = try compile(#"{"properties":{"to":{"$ref":"address.json"},"n":{"$ref":"https://example.com/n.json"}}}"#,
                                documents: ["address.json": address],
                                resolver: { $0 == "https://example.com/n.json" ? .object([("type", .string("integer"))]) : nil })
        #expect(order.isValid(try JSONParser.parse(#"{"to":{"zip":"12345"},"n":3}"#)))
        let found = order.violations(of: try JSONParser.parse(#"{"to":{"zip":"1234"},"n":"x"}"#))
        #expect(found.map(\.schemaPath) == ["/properties/to/$ref/properties/zip/$ref/pattern", "/properties/n/$ref/type"])
    }

    @Test func baseURIsAndAnchors() throws {
        let schema = ##"""
        {"$schema":"https://json-schema.org/draft/2020-12/schema","$id":"https://example.com/root.json",
         "$defs":{"a":{"$id":"nested/a.json","$defs":{"b":{"$anchor":"bee","type":"boolean"}},"$ref":"#bee"}},
         "properties":{"x":{"$ref":"nested/a.json"},"y":{"$ref":"https://example.com/nested/a.json#bee"}}}
        """##
        let validator = try compile(schema)
        #expect(validator.isValid(try JSONParser.parse(#"{"x":true,"y":false}"#)))
        #expect(!validator.isValid(try JSONParser.parse(#"{"x":1}"#)))
        #expect(!validator.isValid(try JSONParser.parse(#"{"y":"no"}"#)))
    }

    @Test func dynamicReferencesExtendARecursiveSchema() throws {
        let tree = ##"{"$schema":"https://json-schema.org/draft/2020-12/schema","$id":"https://example.com/tree","$dynamicAnchor":"node","type":"object","properties":{"children":{"type":"array","items":{"$dynamicRef":"#node"}}}}"##
        let strict = ##"{"$schema":"https://json-schema.org/draft/2020-12/schema","$id":"https://example.com/strict","$dynamicAnchor":"node","$ref":"tree","unevaluatedProperties":false}"##
        let validator = try compile(strict, resolver: { $0 == "https://example.com/tree" ? try? JSONParser.parse(tree) : nil })
        #expect(validator.isValid(try JSONParser.parse(#"{"children":[{"children":[]}]}"#)))
        let found = validator.violations(of: try JSONParser.parse(#"{"children":[{"daat":1}]}"#))
        #expect(found.map(\.instancePath) == ["/children/0/daat"])
    }

    @Test func recursionWithoutProgressIsAViolationNotACrash() throws {
        let validator = try compile(##"{"$ref":"#"}"##)
        #expect(!validator.isValid(.null))
    }

    @Test func draftDecidesWhichKeywordsCount() throws {
        // Without $schema: draft-07, where $ref hides its siblings and prefixItems is unknown.
        let draft7 = try compile(##"{"definitions":{"s":{"type":"string"}},"properties":{"a":{"$ref":"#/definitions/s","maxLength":1}},"prefixItems":[false]}"##)
        #expect(draft7.draft == .draft7)
        #expect(draft7.isValid(try JSONParser.parse(#"{"a":"long"}"#)))
        #expect(draft7.isValid(try JSONParser.parse("[1]")))
        let draft2020 = try compile(##"{"$schema":"https://json-schema.org/draft/2020-12/schema","$defs":{"s":{"type":"string"}},"properties":{"a":{"$ref":"#/$defs/s","maxLength":1}},"prefixItems":[false]}"##)
        #expect(!draft2020.isValid(try JSONParser.parse(#"{"a":"long"}"#)))
        #expect(!draft2020.isValid(try JSONParser.parse("[1]")))
    }

    @Test func formatIsAnAssertionUnlessTurnedOff() throws {
        let schema = try JSONParser.parse(#"{"format":"email"}"#)
        #expect(!(try JSONSchemaValidator(schema: schema)).isValid(.string("not-an-email")))
        #expect((try JSONSchemaValidator(schema: schema, formatAssertion: false)).isValid(.string("not-an-email")))
    }
}

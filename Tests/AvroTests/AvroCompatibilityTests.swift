import Avro
import Testing

@Suite struct AvroCompatibilityTests {
    static func record(_ fields: String, name: String = "R", extra: String = "") -> String {
        #"{"type":"record","name":"\#(name)"\#(extra),"fields":[\#(fields)]}"#
    }

    /// (reader, writer, expected incompatibilities as "KIND path detail"), following Java's
    /// `SchemaCompatibility`.
    @Test(arguments: [
        ("\"long\"", "\"int\"", [String]()),
        ("\"int\"", "\"long\"", ["TYPE_MISMATCH / reader type: INT not compatible with writer type: LONG"]),
        ("\"double\"", "\"float\"", []),
        ("\"bytes\"", "\"string\"", []),
        ("\"string\"", "\"bytes\"", []),
        ("\"float\"", "\"double\"", ["TYPE_MISMATCH / reader type: FLOAT not compatible with writer type: DOUBLE"]),
        (#"["null","int"]"#, "\"int\"", []),
        ("\"int\"", #"["null","int"]"#, ["TYPE_MISMATCH /0 reader type: INT not compatible with writer type: NULL"]),
        (#"["null","string"]"#, #"["null","int","string"]"#, ["MISSING_UNION_BRANCH /1 reader union lacking writer type: INT"]),
        (#"["null","long"]"#, "\"string\"", ["MISSING_UNION_BRANCH / reader union lacking writer type: STRING"]),
        (#"{"type":"array","items":"long"}"#, #"{"type":"array","items":"int"}"#, []),
        (#"{"type":"map","values":"int"}"#, #"{"type":"map","values":"long"}"#,
         ["TYPE_MISMATCH /values reader type: INT not compatible with writer type: LONG"]),
        (record(#"{"name":"a","type":"int"},{"name":"b","type":"string"}"#), record(#"{"name":"a","type":"int"}"#),
         ["READER_FIELD_MISSING_DEFAULT_VALUE /fields/1 b"]),
        (record(#"{"name":"a","type":"int"},{"name":"b","type":"string","default":""}"#), record(#"{"name":"a","type":"int"}"#), []),
        (record(#"{"name":"a","type":"int"}"#), record(#"{"name":"a","type":"int"},{"name":"gone","type":"bytes"}"#), []),
        (record(#"{"name":"renamed","type":"int","aliases":["a"]}"#), record(#"{"name":"a","type":"int"}"#), []),
        (record(#"{"name":"a","type":"int"}"#, name: "New"), record(#"{"name":"a","type":"int"}"#, name: "Old"),
         ["NAME_MISMATCH /name expected: Old"]),
        // Java resolves a relative alias against the namespace (Python's checker does not).
        (record(#"{"name":"a","type":"int"}"#, name: "New", extra: #","namespace":"com.acme","aliases":["Old"]"#),
         record(#"{"name":"a","type":"int"}"#, name: "Old", extra: #","namespace":"com.acme""#), []),
        (record(#"{"name":"a","type":"int"}"#, extra: #","namespace":"one""#), record(#"{"name":"a","type":"int"}"#, extra: #","namespace":"two""#), []),
        (#"{"type":"enum","name":"E","symbols":["A","B"]}"#, #"{"type":"enum","name":"E","symbols":["A","B","C","D"]}"#,
         ["MISSING_ENUM_SYMBOLS /symbols [C, D]"]),
        (#"{"type":"enum","name":"E","symbols":["A","B"],"default":"A"}"#, #"{"type":"enum","name":"E","symbols":["A","C"]}"#, []),
        (#"{"type":"fixed","name":"F","size":8}"#, #"{"type":"fixed","name":"F","size":4}"#, ["FIXED_SIZE_MISMATCH /size expected: 4, found: 8"]),
        (record(#"{"name":"a","type":"long"},{"name":"b","type":"int"},{"name":"c","type":"string"}"#),
         record(#"{"name":"a","type":"string"},{"name":"b","type":"long"}"#),
         ["TYPE_MISMATCH /fields/0/type reader type: LONG not compatible with writer type: STRING",
          "TYPE_MISMATCH /fields/1/type reader type: INT not compatible with writer type: LONG",
          "READER_FIELD_MISSING_DEFAULT_VALUE /fields/2 c"]),
        (#"{"type":"record","name":"L","fields":[{"name":"next","type":["null","L"]},{"name":"v","type":"long"}]}"#,
         #"{"type":"record","name":"L","fields":[{"name":"next","type":["null","L"]},{"name":"v","type":"int"}]}"#, []),
    ])
    func javaVerdicts(reader: String, writer: String, expected: [String]) throws {
        let found = AvroCompatibilityChecker.incompatibilities(
            reader: try AvroSchema(parsing: reader), writer: try AvroSchema(parsing: writer))
        #expect(found.map { "\($0.kind.rawValue) \($0.path.isEmpty ? "/" : $0.path) \($0.detail)" } == expected)
    }
}

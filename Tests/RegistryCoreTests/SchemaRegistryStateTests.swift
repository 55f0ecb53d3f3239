import Testing
@testable import RegistryCore

@Suite struct SchemaRegistryStateTests {
    private func key(_ text: String) -> [UInt8] { Array(text.utf8) }

    @discardableResult
    private func register(_ state: inout SchemaRegistryState, _ subject: String, _ version: Int, id: Int, schema: String) throws -> SchemaRegistryState.Outcome {
        try state.apply(key: SchemasKey.schema(subject: subject, version: version).encoded(),
                        value: SchemaVersionRecord(subject: subject, version: version, id: id, schema: schema).encoded())
    }

    @Test func replayBuildsSubjectsVersionsAndIDs() throws {
        var state = SchemaRegistryState()
        try register(&state, "a-value", 1, id: 1, schema: "\"string\"")
        try register(&state, "a-value", 2, id: 2, schema: "\"long\"")
        try register(&state, "b-value", 1, id: 1, schema: "\"string\"")  // same schema, same id
        #expect(state.subjectNames() == ["a-value", "b-value"])
        #expect(state.versions(of: "a-value").map(\.id) == [1, 2])
        #expect(state.schema(id: 1)?.schema == "\"string\"")
        #expect(state.subjectVersions(usingID: 1).map(\.subject) == ["a-value", "b-value"])
        #expect(state.maxID == 2)
    }

    @Test func aDuplicateIDForADifferentSchemaIsSkipped() throws {
        var state = SchemaRegistryState()
        try register(&state, "a", 1, id: 5, schema: "\"string\"")
        let outcome = try register(&state, "b", 1, id: 5, schema: "\"int\"")
        guard case .skipped(let reason) = outcome else {
            Issue.record("a conflicting id was applied")
            return
        }
        #expect(reason.contains("id 5"))
        #expect(state.subjectNames() == ["a"])
    }

    @Test func softDeleteThenTombstonesThenIDsStayWhileUsed() throws {
        var state = SchemaRegistryState()
        try register(&state, "a", 1, id: 1, schema: "\"string\"")
        try register(&state, "a", 2, id: 2, schema: "\"long\"")
        try register(&state, "b", 1, id: 1, schema: "\"string\"")
        try state.apply(key: SchemasKey.deleteSubject(subject: "a").encoded(), value: key(#"{"subject":"a","version":2}"#))
        #expect(state.subjectNames() == ["b"])
        #expect(state.subjectNames(includeDeleted: true) == ["a", "b"])
        #expect(state.versions(of: "a").isEmpty)
        #expect(state.versions(of: "a", includeDeleted: true).count == 2)
        // Hard delete: tombstones, highest first.
        try state.apply(key: SchemasKey.schema(subject: "a", version: 2).encoded(), value: nil)
        try state.apply(key: SchemasKey.schema(subject: "a", version: 1).encoded(), value: nil)
        #expect(state.subjectNames(includeDeleted: true) == ["b"])
        #expect(state.schema(id: 2) == nil)
        #expect(state.schema(id: 1)?.subject == "b")
        #expect(state.maxID == 2, "the id sequence never goes back")
        #expect(try state.apply(key: SchemasKey.schema(subject: "zzz", version: 9).encoded(), value: nil)
                == .skipped("tombstone for unknown zzz version 9"))
    }

    @Test func clearSubjectDropsOnlyDeletedVersions() throws {
        var state = SchemaRegistryState()
        try register(&state, "a", 1, id: 1, schema: "\"string\"")
        try state.apply(key: SchemasKey.deleteSubject(subject: "a").encoded(), value: key(#"{"subject":"a","version":1}"#))
        try register(&state, "a", 2, id: 2, schema: "\"long\"")
        try state.apply(key: SchemasKey.clearSubject(subject: "a").encoded(), value: key(#"{"subject":"a"}"#))
        #expect(state.versions(of: "a", includeDeleted: true).map(\.version) == [2])
    }

    @Test func configsAndModesWithDefaultsAndDeletion() throws {
        var state = SchemaRegistryState()
        #expect(state.compatibility(for: "a") == .backward)
        #expect(state.mode(for: "a") == .readWrite)
        try state.apply(key: key(#"{"keytype":"CONFIG","subject":null,"magic":0}"#), value: key(#"{"compatibilityLevel":"FULL"}"#))
        try state.apply(key: SchemasKey.config(subject: "a").encoded(), value: key(#"{"compatibilityLevel":"NONE","subject":"a"}"#))
        try state.apply(key: SchemasKey.mode(subject: nil).encoded(), value: key(#"{"mode":"READONLY"}"#))
        #expect(state.compatibility(for: "a") == CompatibilityLevel.none)
        #expect(state.compatibility(for: "b") == .full)
        #expect(state.mode(for: "b") == .readOnly)
        try state.apply(key: SchemasKey.config(subject: "a").encoded(), value: nil)
        #expect(state.compatibility(for: "a") == .full)
        #expect(throws: SchemasRecordError.self) {
            try state.apply(key: SchemasKey.config(subject: nil).encoded(), value: key(#"{"compatibilityLevel":"SOMETIMES"}"#))
        }
    }

    @Test func foreignKeyTypesAreSkippedAndOldKarapaceOrderIsAdopted() throws {
        var state = SchemaRegistryState()
        #expect(try state.apply(key: key(#"{"keytype":"CONTEXT","tenant":"default","context":".staging"}"#), value: key("{}"))
                == .skipped("key type CONTEXT is not managed by Sluice"))
        #expect(state.keyStyle == .confluent)
        try state.apply(key: key(#"{"subject":"t","version":1,"magic":1,"keytype":"SCHEMA"}"#),
                        value: key(#"{"subject":"t","version":1,"id":1,"schema":"\"int\"","deleted":false}"#))
        #expect(state.keyStyle == .oldKarapace)
        #expect(state.versions(of: "t").first?.schemaType == "AVRO")
    }
}

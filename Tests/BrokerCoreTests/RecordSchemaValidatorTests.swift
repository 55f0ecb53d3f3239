import Synchronization
import Testing
@testable import BrokerCore

/// An in-memory catalog: id 1 (`shop.Order`) under `orders-value` and `shop.Order`, id 2
/// (`shop.Invoice`) under `invoices-value`, id 3 (a primitive, no record name) under
/// `orders-value`; GUID 0xAA..01 names id 1. Payloads "decode" when they start with 0x02.
final class FakeCatalog: SchemaCatalog {
    let ready: Bool
    let lookups = Mutex(0)
    static let orderGUID = SchemaGUID(high: 0xAAAA_AAAA_AAAA_AAAA, low: 1)

    init(ready: Bool = true) { self.ready = ready }

    var isReady: Bool { ready }

    func schema(id: Int32) -> CatalogSchema? {
        lookups.withLock { $0 += 1 }
        switch id {
        case 1: return CatalogSchema(subjects: ["orders-value", "shop.Order"], recordName: "shop.Order", schemaType: "AVRO")
        case 2: return CatalogSchema(subjects: ["invoices-value"], recordName: "shop.Invoice", schemaType: "AVRO")
        case 3: return CatalogSchema(subjects: ["orders-value"], recordName: nil, schemaType: "AVRO")
        default: return nil
        }
    }

    func schemaID(guid: SchemaGUID) -> Int32? { guid == Self.orderGUID ? 1 : nil }

    func payloadChecker(schemaID id: Int32) -> (any PayloadChecker)? {
        (1...3).contains(id) ? LeadingByteChecker() : nil
    }

    struct LeadingByteChecker: PayloadChecker {
        func problem(with payload: ArraySlice<UInt8>) -> String? {
            payload.first == 0x02 ? nil : "the datum starts with \(payload.first.map { "\($0)" } ?? "nothing")"
        }
    }
}

/// A record with its headers by name, turned into the fields the validator reads.
struct TestRecord {
    var key: [UInt8]?
    var value: [UInt8]?
    var headers: [(String, [UInt8]?)] = []

    var fields: SchemaFramedFields {
        func header(_ name: String) -> ArraySlice<UInt8>? { headers.first { $0.0 == name }.map { ($0.1 ?? [])[...] } }
        return SchemaFramedFields(key: key?[...], value: value?[...],
                                  keySchemaHeader: header("__key_schema_id"), valueSchemaHeader: header("__value_schema_id"))
    }
}

extension RecordSchemaValidator {
    mutating func violations(of record: TestRecord, index: Int) -> [SchemaViolation] {
        var found: [SchemaViolation] = []
        check(record.fields, index: index, into: &found)
        return found
    }

    mutating func violations(of records: [TestRecord]) -> [SchemaViolation] {
        violations(of: records.map(\.fields))
    }
}

func framed(_ id: Int32, _ body: [UInt8] = [0x02, 0x61]) -> [UInt8] {
    [0] + withUnsafeBytes(of: id.bigEndian, Array.init) + body
}

func guidFramed(_ guid: SchemaGUID) -> [UInt8] {
    [1] + withUnsafeBytes(of: guid.high.bigEndian, Array.init) + withUnsafeBytes(of: guid.low.bigEndian, Array.init)
}

@Suite struct RecordSchemaValidatorTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var key: [UInt8]? = nil
        var value: [UInt8]?
        var headers: [(String, [UInt8]?)] = []
        /// nil: the record passes.
        var reason: SchemaViolation.Reason?
        var message: String = ""
        var testDescription: String { name }
    }

    static let valueIDLevel = TopicSchemaValidation(value: FieldValidationRule())

    static let idLevelCases: [Case] = [
        Case(name: "registered id", value: framed(1), reason: nil),
        Case(name: "null value (tombstone)", value: nil, reason: nil),
        Case(name: "the key is not validated", key: Array("raw".utf8), value: framed(1), reason: nil),
        Case(name: "registered id, empty payload", value: framed(1, []), reason: nil),
        Case(name: "GUID prefix", value: guidFramed(FakeCatalog.orderGUID) + [0x02], reason: nil),
        Case(name: "GUID header, unframed value", value: [0x02, 0x61],
             headers: [("trace", [1]), ("__value_schema_id", guidFramed(FakeCatalog.orderGUID))], reason: nil),
        Case(name: "id header", value: [0x02], headers: [("__value_schema_id", framed(1, []))], reason: nil),
        Case(name: "raw JSON", value: Array("{\"id\":1}".utf8), reason: .notFramed,
             message: "value starts with byte 0x7b, not magic byte 0 (schema id) or 1 (schema GUID) of Confluent's wire format"),
        Case(name: "too short", value: [0, 0, 1], reason: .notFramed, message: "value has 3 bytes; Confluent's wire format needs at least 5"),
        Case(name: "empty value", value: [], reason: .notFramed, message: "value has 0 bytes"),
        Case(name: "null schema header", value: framed(1), headers: [("__value_schema_id", nil)], reason: .notFramed,
             message: "value's __value_schema_id header is null or empty"),
        Case(name: "unknown id", value: framed(99), reason: .unknownSchema,
             message: "value schema id 99 is not registered in the schema registry"),
        Case(name: "unknown GUID", value: guidFramed(SchemaGUID(high: 1, low: 2)), reason: .unknownSchema,
             message: "value schema GUID 00000000-0000-0001-0000-000000000002 is not registered in the schema registry"),
        Case(name: "another subject's id", value: framed(2), reason: .wrongSubject,
             message: "value schema id 2 is not registered under subject \"orders-value\" (TopicNameStrategy); it is registered under \"invoices-value\""),
    ]

    @Test(arguments: idLevelCases)
    func idLevel(_ test: Case) {
        var validator = RecordSchemaValidator(topic: "orders", rules: Self.valueIDLevel, catalog: FakeCatalog())
        let found = validator.violations(of: TestRecord(key: test.key, value: test.value, headers: test.headers), index: 4)
        guard let reason = test.reason else {
            #expect(found.isEmpty, "\(found)")
            return
        }
        #expect(found.count == 1)
        #expect(found.first?.reason == reason)
        #expect(found.first?.recordIndex == 4)
        #expect(found.first?.field == .value)
        #expect(found.first?.message.hasPrefix(test.message) == true, "\(found.first?.message ?? "none")")
        #expect(found.first?.description.hasPrefix("record 4: ") == true)
    }

    @Test func violationsNameTheSchemaAndSubject() {
        var validator = RecordSchemaValidator(topic: "orders", rules: Self.valueIDLevel, catalog: FakeCatalog())
        let wrong = validator.violations(of: TestRecord(value: framed(2)), index: 0)
        #expect(wrong.first?.schemaID == 2)
        #expect(wrong.first?.subject == "orders-value")
        let unknown = validator.violations(of: TestRecord(value: framed(99)), index: 0)
        #expect(unknown.first?.schemaID == 99)
        #expect(unknown.first?.subject == nil)
    }

    @Test func recordStrategiesUseTheSchemasName() {
        let rules = TopicSchemaValidation(key: FieldValidationRule(strategy: .recordName), value: FieldValidationRule(strategy: .topicRecordName))
        var validator = RecordSchemaValidator(topic: "orders", rules: rules, catalog: FakeCatalog())
        // id 1 is shop.Order: registered under "shop.Order" (key passes) but not "orders-shop.Order".
        let found = validator.violations(of: TestRecord(key: framed(1), value: framed(1)), index: 0)
        #expect(found.map(\.field) == [.value])
        #expect(found.first?.message.contains("subject \"orders-shop.Order\" (TopicRecordNameStrategy)") == true)
        let nameless = validator.violations(of: TestRecord(key: framed(3), value: nil), index: 1)
        #expect(nameless.first?.reason == .noRecordName)
        #expect(nameless.first?.message.contains("without a record name, which RecordNameStrategy needs") == true)
    }

    @Test func keyAndValueAreBothReported() {
        let rules = TopicSchemaValidation(key: FieldValidationRule(), value: FieldValidationRule())
        var validator = RecordSchemaValidator(topic: "orders", rules: rules, catalog: FakeCatalog())
        let found = validator.violations(of: TestRecord(key: Array("k".utf8), value: framed(99)), index: 0)
        #expect(found.map(\.field) == [.key, .value])
        #expect(found.map(\.reason) == [.notFramed, .unknownSchema])
        #expect(validator.violations(of: TestRecord(key: nil, value: framed(1)), index: 1).isEmpty)
    }

    @Test func payloadLevelChecksEachPayload() {
        let rules = TopicSchemaValidation(value: FieldValidationRule(level: .payload))
        var validator = RecordSchemaValidator(topic: "orders", rules: rules, catalog: FakeCatalog())
        let records = [TestRecord(value: framed(1, [0x02])), TestRecord(value: framed(1, [0x07])), TestRecord(value: framed(1, [])),
                       TestRecord(value: [0x02], headers: [("__value_schema_id", framed(1, []))])]
        let found = validator.violations(of: records)
        #expect(found.map(\.recordIndex) == [1, 2])
        #expect(found.allSatisfy { $0.reason == .invalidPayload })
        #expect(found.first?.message == "value does not decode with schema id 1 (subject \"orders-value\"): the datum starts with 7")
        // The id level lets the same payloads through.
        var idOnly = RecordSchemaValidator(topic: "orders", rules: Self.valueIDLevel, catalog: FakeCatalog())
        #expect(idOnly.violations(of: records).isEmpty)
    }

    @Test func aCatalogThatIsNotReadyRefusesFramedRecords() {
        var validator = RecordSchemaValidator(topic: "orders", rules: Self.valueIDLevel, catalog: FakeCatalog(ready: false))
        let found = validator.violations(of: [TestRecord(value: framed(1)), TestRecord(value: nil)])
        #expect(found.map(\.reason) == [.registryNotReady])
        #expect(found.first?.message.contains("has not finished reading _schemas") == true)
    }

    @Test func lookupsAreMemoizedPerBatch() {
        let catalog = FakeCatalog()
        var validator = RecordSchemaValidator(topic: "orders", rules: Self.valueIDLevel, catalog: catalog)
        let records = (0..<1_000).map { TestRecord(value: framed($0 % 10 == 0 ? 2 : 1)) }
        let found = validator.violations(of: records)
        #expect(found.count == 100)
        #expect(found.map(\.recordIndex) == Array(stride(from: 0, to: 1_000, by: 10)))
        #expect(catalog.lookups.withLock { $0 } == 2)
    }
}

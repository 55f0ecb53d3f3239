import Serde
import Testing

@Suite("Subject-name strategies")
struct SubjectNameStrategyTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let strategy: SubjectNameStrategy
        let topic: String
        let field: MessageField
        let recordName: String?
        let subject: String
        var testDescription: String { "\(strategy.rawValue) \(topic) \(field.rawValue) -> \(subject)" }
    }

    @Test("subjects as Confluent's strategies name them", arguments: [
        Case(strategy: .topicName, topic: "orders", field: .value, recordName: nil, subject: "orders-value"),
        Case(strategy: .topicName, topic: "orders", field: .key, recordName: "shop.Order", subject: "orders-key"),
        Case(strategy: .recordName, topic: "orders", field: .value, recordName: "shop.Order", subject: "shop.Order"),
        Case(strategy: .recordName, topic: "other", field: .key, recordName: "shop.OrderKey", subject: "shop.OrderKey"),
        Case(strategy: .topicRecordName, topic: "orders", field: .value, recordName: "shop.Order", subject: "orders-shop.Order"),
        Case(strategy: .topicRecordName, topic: "a.b", field: .key, recordName: "Key", subject: "a.b-Key"),
    ])
    func subject(_ c: Case) throws {
        #expect(try c.strategy.subject(topic: c.topic, field: c.field, recordName: c.recordName) == c.subject)
    }

    @Test("record-name strategies need a named schema", arguments: [SubjectNameStrategy.recordName, .topicRecordName])
    func needsName(_ strategy: SubjectNameStrategy) {
        for name in [nil, ""] as [String?] {
            do {
                _ = try strategy.subject(topic: "t", field: .value, recordName: name)
                Issue.record("\(strategy) accepted \(String(describing: name))")
            } catch {
                #expect(error.description.contains(strategy.rawValue))
                #expect(error.description.contains("topic t"))
            }
        }
    }

    @Test("names as users write them, Java class names included", arguments: [
        ("TopicNameStrategy", SubjectNameStrategy.topicName),
        ("io.confluent.kafka.serializers.subject.TopicNameStrategy", .topicName),
        ("topic_name", .topicName),
        ("RecordNameStrategy", .recordName),
        ("io.confluent.kafka.serializers.subject.RecordNameStrategy", .recordName),
        ("record", .recordName),
        ("TopicRecordNameStrategy", .topicRecordName),
        ("topic-record-name", .topicRecordName),
    ])
    func names(_ name: String, _ expected: SubjectNameStrategy) {
        #expect(SubjectNameStrategy(name: name) == expected)
    }

    @Test("unknown names are refused", arguments: ["", "Associated", "io.confluent.Foo", "topicx"])
    func unknown(_ name: String) {
        #expect(SubjectNameStrategy(name: name) == nil)
    }

    @Test("the schema-id header follows the field")
    func headers() {
        #expect(MessageField.key.schemaIDHeader == "__key_schema_id")
        #expect(MessageField.value.schemaIDHeader == "__value_schema_id")
    }
}

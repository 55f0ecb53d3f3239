import Testing
@testable import BrokerCore

@Suite struct SchemaFramingTests {
    struct PrefixCase: Sendable, CustomTestStringConvertible {
        var bytes: [UInt8]
        var expected: Result<(SchemaPointer, Int), SchemaFraming.Failure>
        var testDescription: String { "\(bytes.prefix(6))" }
    }

    static let guidBytes: [UInt8] = [0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0, 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef]
    static let guid = SchemaGUID(high: 0x1234_5678_9abc_def0, low: 0x0123_4567_89ab_cdef)

    static let prefixCases: [PrefixCase] = [
        PrefixCase(bytes: [0, 0, 0, 0, 1, 0x02, 0x61], expected: .success((.id(1), 5))),
        PrefixCase(bytes: [0, 0, 0, 0, 42], expected: .success((.id(42), 5))),
        PrefixCase(bytes: [0, 0x7f, 0xff, 0xff, 0xff, 9], expected: .success((.id(Int32.max), 5))),
        PrefixCase(bytes: [0, 0xff, 0xff, 0xff, 0xff], expected: .success((.id(-1), 5))),
        PrefixCase(bytes: [1] + guidBytes + [7], expected: .success((.guid(guid), 17))),
        PrefixCase(bytes: [], expected: .failure(.tooShort(0, needed: 5))),
        PrefixCase(bytes: [0, 0, 1], expected: .failure(.tooShort(3, needed: 5))),
        PrefixCase(bytes: [1] + guidBytes.prefix(10), expected: .failure(.tooShort(11, needed: 17))),
        PrefixCase(bytes: Array("{\"a\":1}".utf8), expected: .failure(.unknownMagic(0x7b))),
        PrefixCase(bytes: [2, 0, 0, 0, 1], expected: .failure(.unknownMagic(2))),
    ]

    @Test(arguments: prefixCases)
    func prefixes(_ test: PrefixCase) {
        let parsed = SchemaFraming.prefix(of: test.bytes)
        switch (parsed, test.expected) {
        case let (.success(got), .success(want)):
            #expect(got.0 == want.0)
            #expect(got.payloadStart == want.1)
        case let (.failure(got), .failure(want)):
            #expect(got == want)
        default:
            Issue.record("\(test.bytes): got \(parsed), expected \(test.expected)")
        }
    }

    @Test func headersHoldTheWholeReference() throws {
        #expect(try SchemaFraming.header([1] + Self.guidBytes).get() == .guid(Self.guid))
        #expect(try SchemaFraming.header([0, 0, 0, 0, 9]).get() == .id(9))
        #expect(throws: SchemaFraming.Failure.emptyHeader) { try SchemaFraming.header([]).get() }
        #expect(throws: SchemaFraming.Failure.unknownMagic(5)) { try SchemaFraming.header([5, 1]).get() }
    }

    @Test func failuresSayWhatIsWrong() {
        #expect(SchemaFraming.Failure.tooShort(3, needed: 5).description.hasPrefix("has 3 bytes; Confluent's wire format needs at least 5"))
        #expect(SchemaFraming.Failure.tooShort(1, needed: 5).description.hasPrefix("has 1 byte;"))
        #expect(SchemaFraming.Failure.unknownMagic(0x0a).description.hasPrefix("starts with byte 0x0a, not magic byte 0"))
    }

    @Test func guidsPrintAndParseAsTheRegistryWritesThem() throws {
        #expect(Self.guid.description == "12345678-9abc-def0-0123-456789abcdef")
        #expect(SchemaGUID(uuidString: "12345678-9ABC-def0-0123-456789abcdef") == Self.guid)
        #expect(SchemaGUID(high: 0, low: 1).description == "00000000-0000-0000-0000-000000000001")
        for bad in ["", "12345678-9abc-def0-0123-456789abcde", "12345678-9abc-def0-0123-456789abcdeg", "123456789abcdef00123456789abcdef0000"] {
            #expect(SchemaGUID(uuidString: bad) == nil, "\(bad)")
        }
    }
}

@Suite struct SubjectNameStrategyTests {
    @Test(arguments: [
        ("io.confluent.kafka.serializers.subject.TopicNameStrategy", SubjectNameStrategy.topicName),
        ("TopicNameStrategy", .topicName),
        ("topicname", .topicName),
        ("io.confluent.kafka.serializers.subject.RecordNameStrategy", .recordName),
        (" RecordNameStrategy ", .recordName),
        ("io.confluent.kafka.serializers.subject.TopicRecordNameStrategy", .topicRecordName),
        ("TopicRecordName", .topicRecordName),
    ])
    func configValues(_ value: String, _ strategy: SubjectNameStrategy) {
        #expect(SubjectNameStrategy(configValue: value) == strategy)
    }

    @Test(arguments: ["", "Topic", "io.confluent.kafka.serializers.subject.NoSuchStrategy", "com.example.TopicNameStrategy"])
    func unknownConfigValues(_ value: String) {
        #expect(SubjectNameStrategy(configValue: value) == nil)
    }

    @Test func subjects() {
        #expect(SubjectNameStrategy.topicName.subject(topic: "orders", field: .value, recordName: "shop.Order") == "orders-value")
        #expect(SubjectNameStrategy.topicName.subject(topic: "orders", field: .key, recordName: nil) == "orders-key")
        #expect(SubjectNameStrategy.recordName.subject(topic: "orders", field: .value, recordName: "shop.Order") == "shop.Order")
        #expect(SubjectNameStrategy.recordName.subject(topic: "orders", field: .value, recordName: nil) == nil)
        #expect(SubjectNameStrategy.topicRecordName.subject(topic: "orders", field: .key, recordName: "shop.Key") == "orders-shop.Key")
        #expect(SubjectNameStrategy.topicRecordName.subject(topic: "orders", field: .key, recordName: nil) == nil)
    }
}

@Suite struct TopicSchemaValidationTests {
    @Test func offUnlessAFieldIsEnabled() {
        #expect(TopicSchemaValidation(configs: [:]) == nil)
        #expect(TopicSchemaValidation(configs: ["confluent.value.schema.validation": "false",
                                                "sluice.value.schema.validation.level": "payload"]) == nil)
        #expect(TopicSchemaValidation(configs: ["cleanup.policy": "compact"]) == nil)
    }

    @Test func rulesComeFromTheConfigs() {
        let rules = TopicSchemaValidation(configs: [
            "confluent.value.schema.validation": "TRUE",
            "confluent.value.subject.name.strategy": "io.confluent.kafka.serializers.subject.TopicRecordNameStrategy",
            "sluice.value.schema.validation.level": "payload",
            "confluent.key.schema.validation": "true",
        ])
        #expect(rules?.value == FieldValidationRule(strategy: .topicRecordName, level: .payload))
        #expect(rules?.key == FieldValidationRule(strategy: .topicName, level: .id))
        #expect(TopicSchemaValidation(configs: ["confluent.key.schema.validation": "true"])?.value == nil)
    }

    @Test func everyNameHasADefault() {
        #expect(TopicSchemaValidation.configNames.count == 6)
        let defaults = Dictionary(uniqueKeysWithValues: TopicSchemaValidation.defaults.map { ($0.name, $0.value) })
        #expect(defaults["confluent.key.schema.validation"] == "false")
        #expect(defaults["confluent.value.subject.name.strategy"] == "io.confluent.kafka.serializers.subject.TopicNameStrategy")
        #expect(defaults["sluice.key.schema.validation.level"] == "id")
        // The defaults are themselves valid and turn nothing on.
        #expect(throws: Never.self) { try TopicSchemaValidation.validate(defaults) }
        #expect(TopicSchemaValidation(configs: defaults) == nil)
    }

    @Test(arguments: [
        ("confluent.value.schema.validation", "yes", "expected true or false"),
        ("confluent.key.schema.validation", "", "expected true or false"),
        ("confluent.key.subject.name.strategy", "ByTopic", "expected TopicNameStrategy"),
        ("sluice.value.schema.validation.level", "strict", "expected id or payload"),
    ])
    func invalidValuesAreNamed(_ key: String, _ value: String, _ reason: String) {
        do {
            try TopicSchemaValidation.validate([key: value, "retention.ms": "1000"])
            Issue.record("\(key)=\(value) was accepted")
        } catch {
            #expect(error.key == key)
            #expect(error.value == value)
            #expect(error.reason.hasPrefix(reason))
            #expect(error.description.hasPrefix("invalid value '\(value)' for '\(key)'"))
        }
    }
}

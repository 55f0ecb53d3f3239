/// How strictly a field is checked.
public enum SchemaValidationLevel: String, Sendable, Hashable, CaseIterable {
    /// The schema reference exists and is registered under the expected subject (Confluent
    /// Server's check).
    case id
    /// Also: the payload decodes with its writer schema (Avro) or validates against it (JSON
    /// Schema).
    case payload
}

/// The check one field (key or value) of a topic's records gets.
public struct FieldValidationRule: Sendable, Hashable {
    public var strategy: SubjectNameStrategy
    public var level: SchemaValidationLevel

    public init(strategy: SubjectNameStrategy = .topicName, level: SchemaValidationLevel = .id) {
        self.strategy = strategy
        self.level = level
    }
}

/// A topic's schema validation, read from its configs (Confluent Server's names, plus Sluice's
/// payload level):
///
/// | config | values | default |
/// |---|---|---|
/// | `confluent.value.schema.validation`, `confluent.key.schema.validation` | true, false | false |
/// | `confluent.value.subject.name.strategy`, `confluent.key.subject.name.strategy` | TopicNameStrategy, RecordNameStrategy, TopicRecordNameStrategy (Java class or simple name) | TopicNameStrategy |
/// | `sluice.value.schema.validation.level`, `sluice.key.schema.validation.level` | id, payload | id |
public struct TopicSchemaValidation: Sendable, Hashable {
    /// nil: the field is not checked.
    public var key: FieldValidationRule?
    public var value: FieldValidationRule?

    public init(key: FieldValidationRule? = nil, value: FieldValidationRule? = nil) {
        self.key = key
        self.value = value
    }

    public static func enabledName(_ field: RecordField) -> String { "confluent.\(field.rawValue).schema.validation" }
    public static func strategyName(_ field: RecordField) -> String { "confluent.\(field.rawValue).subject.name.strategy" }
    public static func levelName(_ field: RecordField) -> String { "sluice.\(field.rawValue).schema.validation.level" }

    /// Every config name, with the default DescribeConfigs shows.
    public static let defaults: [(name: String, value: String)] = RecordField.allCases.flatMap { field in
        [(enabledName(field), "false"), (strategyName(field), SubjectNameStrategy.defaultConfigValue),
         (levelName(field), SchemaValidationLevel.id.rawValue)]
    }

    /// The config names this type reads.
    public static let configNames: Set<String> = Set(defaults.map(\.name))

    /// A config value that is not one of its allowed values.
    public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
        public var key: String
        public var value: String
        public var reason: String

        public var description: String { "invalid value '\(value)' for '\(key)': \(reason)" }
    }

    /// The validation `configs` ask for; nil when neither field is checked, so that a topic
    /// without validation costs one dictionary lookup per field and batch. Values are assumed
    /// valid (``validate(_:)`` ran when they were set); an unreadable one falls back to its default.
    public init?(configs: [String: String]) {
        func rule(_ field: RecordField) -> FieldValidationRule? {
            guard let enabled = configs[Self.enabledName(field)], Self.boolean(enabled) == true else { return nil }
            return FieldValidationRule(
                strategy: configs[Self.strategyName(field)].flatMap(SubjectNameStrategy.init(configValue:)) ?? .topicName,
                level: configs[Self.levelName(field)].flatMap { SchemaValidationLevel(rawValue: $0.trimmingASCIISpaces.lowercased()) } ?? .id)
        }
        let key = rule(.key)
        let value = rule(.value)
        guard key != nil || value != nil else { return nil }
        self.init(key: key, value: value)
    }

    /// The rule for a field.
    public func rule(for field: RecordField) -> FieldValidationRule? {
        field == .key ? key : value
    }

    /// Checks the values of the configs this type reads (others are ignored).
    public static func validate(_ configs: [String: String]) throws(ConfigError) {
        for field in RecordField.allCases {
            if let value = configs[enabledName(field)], boolean(value) == nil {
                throw ConfigError(key: enabledName(field), value: value, reason: "expected true or false")
            }
            if let value = configs[strategyName(field)], SubjectNameStrategy(configValue: value) == nil {
                throw ConfigError(key: strategyName(field), value: value, reason:
                    "expected TopicNameStrategy, RecordNameStrategy or TopicRecordNameStrategy (optionally as \(SubjectNameStrategy.javaPackage)<name>)")
            }
            if let value = configs[levelName(field)], SchemaValidationLevel(rawValue: value.trimmingASCIISpaces.lowercased()) == nil {
                throw ConfigError(key: levelName(field), value: value, reason: "expected id or payload")
            }
        }
    }

    /// Kafka's booleans: `true` or `false`, in any case.
    static func boolean(_ text: String) -> Bool? {
        switch text.trimmingASCIISpaces.lowercased() {
        case "true": true
        case "false": false
        default: nil
        }
    }
}

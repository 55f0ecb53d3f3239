/// How the subject a record's schema must be registered under is named (Confluent's
/// `*.subject.name.strategy`; the registry notes, §6).
public enum SubjectNameStrategy: String, Sendable, Hashable, CaseIterable {
    /// `<topic>-key` / `<topic>-value` (the default).
    case topicName = "TopicNameStrategy"
    /// The record's full name (`namespace.Name`; a JSON Schema's `title`).
    case recordName = "RecordNameStrategy"
    /// `<topic>-<record full name>`.
    case topicRecordName = "TopicRecordNameStrategy"

    /// The Java class the configs name (`io.confluent.kafka.serializers.subject.<Simple>`).
    public static let javaPackage = "io.confluent.kafka.serializers.subject."

    /// The value Confluent Server shows by default.
    public static let defaultConfigValue = javaPackage + SubjectNameStrategy.topicName.rawValue

    /// Reads a config value: the Java class name, its simple name (`TopicNameStrategy`) or the
    /// name without `Strategy` (`TopicName`), in any case.
    public init?(configValue: String) {
        var name = configValue.trimmingASCIISpaces.lowercased()
        let package = Self.javaPackage.lowercased()
        if name.hasPrefix(package) { name.removeFirst(package.count) }
        if !name.hasSuffix("strategy") { name += "strategy" }
        guard let found = Self.allCases.first(where: { $0.rawValue.lowercased() == name }) else { return nil }
        self = found
    }

    /// Whether the subject depends on the schema's record name (so the schema must be looked up first).
    public var needsRecordName: Bool { self != .topicName }

    /// The subject for `field` of a record in `topic` whose schema's full name is `recordName`;
    /// nil when the strategy needs a record name and the schema has none.
    public func subject(topic: String, field: RecordField, recordName: String?) -> String? {
        switch self {
        case .topicName: return "\(topic)-\(field.rawValue)"
        case .recordName: return recordName
        case .topicRecordName: return recordName.map { "\(topic)-\($0)" }
        }
    }
}

extension String {
    var trimmingASCIISpaces: String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { $0 != " " && $0 != "\t" }),
              let last = scalars.lastIndex(where: { $0 != " " && $0 != "\t" }) else { return "" }
        return String(scalars[first...last])
    }
}

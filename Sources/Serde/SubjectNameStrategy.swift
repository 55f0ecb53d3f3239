/// Where a record's schema is registered: Confluent's subject-name strategies.
///
/// | strategy | subject |
/// |---|---|
/// | `topicName` (default) | `<topic>-key` / `<topic>-value` |
/// | `recordName` | the record's full name (Avro `namespace.Name`, JSON Schema `title`) |
/// | `topicRecordName` | `<topic>-<record full name>` |
public enum SubjectNameStrategy: String, Sendable, CaseIterable {
    case topicName = "TopicNameStrategy"
    case recordName = "RecordNameStrategy"
    case topicRecordName = "TopicRecordNameStrategy"

    /// Accepts the short names (`TopicNameStrategy`, `topic_name`, `topicname`) and Java's class
    /// names (`io.confluent.kafka.serializers.subject.RecordNameStrategy`).
    public init?(name: String) {
        let last = name.split(separator: ".").last.map(String.init) ?? name
        let squashed = last.lowercased().replacingOccurrences(of: "_", with: "").replacingOccurrences(of: "-", with: "")
        switch squashed {
        case "topicnamestrategy", "topicname", "topic", "topicsubjectnamestrategy": self = .topicName
        case "recordnamestrategy", "recordname", "record", "recordsubjectnamestrategy": self = .recordName
        case "topicrecordnamestrategy", "topicrecordname", "topicrecord", "topicrecordsubjectnamestrategy": self = .topicRecordName
        default: return nil
        }
    }

    /// The subject for a record of `topic`.
    /// - Parameter recordName: the schema's full record name (Avro) or title (JSON Schema); nil
    ///   when the schema has none.
    /// - Throws: ``SerdeError/noRecordName(strategy:topic:)`` when the strategy needs a record name.
    public func subject(topic: String, field: MessageField, recordName: String?) throws(SerdeError) -> String {
        switch self {
        case .topicName:
            return "\(topic)-\(field.rawValue)"
        case .recordName:
            guard let recordName, !recordName.isEmpty else { throw .noRecordName(strategy: self, topic: topic) }
            return recordName
        case .topicRecordName:
            guard let recordName, !recordName.isEmpty else { throw .noRecordName(strategy: self, topic: topic) }
            return "\(topic)-\(recordName)"
        }
    }
}

/// Where a record is being written or was read: the subject strategies need the topic and the
/// field, the header form needs the headers, and errors name the partition and offset.
public struct SerializationContext: Sendable {
    public var topic: String
    public var field: MessageField
    public var headers: [(key: String, value: [UInt8]?)]
    public var partition: Int32?
    public var offset: Int64?

    public init(topic: String, field: MessageField, headers: [(key: String, value: [UInt8]?)] = [],
                partition: Int32? = nil, offset: Int64? = nil) {
        self.topic = topic
        self.field = field
        self.headers = headers
        self.partition = partition
        self.offset = offset
    }

    /// "topic orders partition 2 offset 17 (value)", for error messages.
    public var location: String {
        var text = "topic \(topic)"
        if let partition { text += " partition \(partition)" }
        if let offset { text += " offset \(offset)" }
        return text + " (\(field.rawValue))"
    }
}

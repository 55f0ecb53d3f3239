/// Kafka's rules for topic names, so a name Kafka refuses is refused here with the same reason
/// (INVALID_TOPIC_EXCEPTION, 17).
public enum TopicName {
    /// Kafka's limit: 249 characters, so that `<topic>-<partition>` directory names fit in 255.
    public static let maxLength = 249

    /// Why `name` cannot be a topic name, or nil when it can.
    public static func validationError(_ name: String) -> String? {
        if name.isEmpty { return "the topic name is empty" }
        if name == "." || name == ".." { return "the topic name cannot be '.' or '..'" }
        if name.utf8.count > maxLength {
            return "the topic name is \(name.utf8.count) characters long; at most \(maxLength) are allowed"
        }
        if let bad = name.unicodeScalars.first(where: { !isLegal($0) }) {
            return "the topic name '\(name)' contains '\(bad)'; only ASCII letters, digits, '.', '_' and '-' are allowed"
        }
        return nil
    }

    /// Kafka refuses a topic whose name equals an existing one once '.' and '_' are treated
    /// alike, because both map to the same metric names.
    public static func collides(_ name: String, with existing: String) -> Bool {
        name != existing && normalizedForMetrics(name) == normalizedForMetrics(existing)
    }

    /// Topics that Sluice itself keeps (Kafka's internal topic plus the registry's).
    public static func isInternal(_ name: String) -> Bool {
        name == "__consumer_offsets" || name == "_schemas"
    }

    private static func normalizedForMetrics(_ name: String) -> String {
        String(name.map { $0 == "." ? "_" : $0 })
    }

    private static func isLegal(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", ".", "_", "-": true
        default: false
        }
    }
}

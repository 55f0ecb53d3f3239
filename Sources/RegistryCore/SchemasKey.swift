/// The key of a record in the registry's `_schemas` topic, in Confluent Schema Registry's
/// format: compact JSON with a `keytype` (see the registry storage notes). Keys are compared by
/// their exact bytes when the topic is compacted, so ``encoded(style:)`` reproduces the bytes of
/// the writer that started the topic.
public enum SchemasKey: Sendable, Hashable {
    case schema(subject: String, version: Int)
    /// A compatibility config; nil subject is the global config.
    case config(subject: String?)
    /// A mode (READWRITE, READONLY, IMPORT); nil subject is the global mode.
    case mode(subject: String?)
    case deleteSubject(subject: String)
    case clearSubject(subject: String)
    /// A fence: its value is always null.
    case noop
    /// A key type Sluice does not manage (CONTEXT, ASSOC, newer ones); skipped on replay.
    case other(keytype: String)

    /// How keys are spelled.
    public enum Style: Sendable, Equatable {
        /// Confluent's order: keytype, subject, version, magic.
        case confluent
        /// Karapace's old order for SCHEMA keys: subject, version, magic, keytype.
        case oldKarapace
    }

    /// The exact key bytes.
    public func encoded(style: Style = .confluent) -> [UInt8] {
        let text: String
        switch self {
        case .schema(let subject, let version):
            text = style == .oldKarapace
                ? "{\"subject\":\(JSONText.quoted(subject)),\"version\":\(version),\"magic\":1,\"keytype\":\"SCHEMA\"}"
                : "{\"keytype\":\"SCHEMA\",\"subject\":\(JSONText.quoted(subject)),\"version\":\(version),\"magic\":1}"
        case .config(let subject):
            text = Self.simple("CONFIG", subject)
        case .mode(let subject):
            text = Self.simple("MODE", subject)
        case .deleteSubject(let subject):
            text = Self.simple("DELETE_SUBJECT", subject)
        case .clearSubject(let subject):
            text = Self.simple("CLEAR_SUBJECT", subject)
        case .noop:
            text = "{\"keytype\":\"NOOP\",\"magic\":0}"
        case .other(let keytype):
            text = "{\"keytype\":\(JSONText.quoted(keytype)),\"magic\":0}"
        }
        return Array(text.utf8)
    }

    private static func simple(_ keytype: String, _ subject: String?) -> String {
        guard let subject else { return "{\"keytype\":\"\(keytype)\",\"magic\":0}" }
        return "{\"keytype\":\"\(keytype)\",\"subject\":\(JSONText.quoted(subject)),\"magic\":0}"
    }

    /// Parses key bytes as JSON (not as bytes): both field orders, `magic` 0 or 1, and a global
    /// key written with `"subject":null` or without a subject.
    /// - Returns: the key and the style its writer used (for SCHEMA keys).
    public static func decode(_ bytes: [UInt8]) throws -> (key: SchemasKey, style: Style) {
        let object = try JSONText.object(bytes, what: "_schemas key")
        guard let keytype = object["keytype"] as? String else {
            throw SchemasRecordError("_schemas key has no keytype: \(String(decoding: bytes, as: UTF8.self))")
        }
        let subject = object["subject"] as? String
        let style: Style = bytes.starts(with: Array("{\"subject\"".utf8)) ? .oldKarapace : .confluent
        func requireSubject() throws -> String {
            guard let subject else {
                throw SchemasRecordError("_schemas \(keytype) key has no subject: \(String(decoding: bytes, as: UTF8.self))")
            }
            return subject
        }
        switch keytype {
        case "SCHEMA":
            guard let version = JSONText.integer(object["version"]) else {
                throw SchemasRecordError("_schemas SCHEMA key has no version: \(String(decoding: bytes, as: UTF8.self))")
            }
            return (.schema(subject: try requireSubject(), version: version), style)
        case "CONFIG": return (.config(subject: subject), style)
        case "MODE": return (.mode(subject: subject), style)
        case "DELETE_SUBJECT": return (.deleteSubject(subject: try requireSubject()), style)
        case "CLEAR_SUBJECT": return (.clearSubject(subject: try requireSubject()), style)
        case "NOOP": return (.noop, style)
        default: return (.other(keytype: keytype), style)
        }
    }
}

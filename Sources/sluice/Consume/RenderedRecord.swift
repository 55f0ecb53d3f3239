import Foundation
import KafkaClient
import OrderedJSON

/// A consumed record ready to print: its raw bytes and, when schema decoding is on, the key
/// and value as JSON.
struct RenderedRecord {
    var topic: String
    var partition: Int32
    var offset: Int64
    var timestamp: Int64
    var timestampType: TimestampType
    var headers: [RecordHeader]
    var key: [UInt8]?
    var value: [UInt8]?
    var decodedKey: DecodedField?
    var decodedValue: DecodedField?

    init(_ record: ConsumerRecord) {
        topic = record.topic
        partition = record.partition
        offset = record.offset
        timestamp = record.timestamp
        timestampType = record.timestampType
        headers = record.headers
        key = record.key
        value = record.value
    }

    /// What `%k` prints: the decoded JSON, else the stored bytes.
    var keyText: [UInt8]? { decodedKey.map { Array($0.json.compactText.utf8) } ?? key }
    var valueText: [UInt8]? { decodedValue.map { Array($0.json.compactText.utf8) } ?? value }
    var rawKeyLength: Int { key?.count ?? -1 }
    var rawValueLength: Int { value?.count ?? -1 }

    /// How `--output json` shows bytes that were not decoded.
    enum BytesEncoding: String, CaseIterable {
        /// As UTF-8 text (invalid sequences become U+FFFD).
        case utf8
        case base64
    }

    /// One `--output json` line. The keys are always these, in this order; `key_schema_id` and
    /// `value_schema_id` are present (null when the record was not framed) exactly when
    /// `--decode` names the field.
    func json(bytes: BytesEncoding, decodingKey: Bool, decodingValue: Bool) -> JSONValue {
        func text(_ data: [UInt8]?) -> JSONValue {
            guard let data else { return .null }
            switch bytes {
            case .utf8: return .string(String(decoding: data, as: UTF8.self))
            case .base64: return .string(Data(data).base64EncodedString())
            }
        }
        var members: [(key: String, value: JSONValue)] = [
            ("topic", .string(topic)),
            ("partition", JSONOut.int(partition)),
            ("offset", JSONOut.int(offset)),
            ("timestamp", JSONOut.int(timestamp)),
            ("timestamp_type", .string(timestampType == .createTime ? "CreateTime" : "LogAppendTime")),
            ("headers", .array(headers.map { .object([("key", .string($0.key)), ("value", text($0.value))]) })),
            ("key", decodedKey?.json ?? text(key)),
        ]
        if decodingKey { members.append(("key_schema_id", JSONOut.int(decodedKey?.schemaID))) }
        members.append(("value", decodedValue?.json ?? text(value)))
        if decodingValue { members.append(("value_schema_id", JSONOut.int(decodedValue?.schemaID))) }
        return .object(members)
    }
}

/// A key or value decoded with its registered schema.
struct DecodedField {
    var json: JSONValue
    /// The registry id, nil when the record named its schema by GUID.
    var schemaID: Int?
}

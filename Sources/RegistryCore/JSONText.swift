import Foundation
import OrderedJSON

/// Small helpers for the exact JSON text of `_schemas` records: keys must be byte-exact
/// (compaction keeps the latest value per exact key bytes), so they are written by hand in
/// Confluent's field order rather than by an encoder whose order or spacing could differ.
enum JSONText {
    /// A JSON string literal, escaped as Jackson (Confluent's JSON library) escapes it.
    static func quoted(_ string: String) -> String {
        JSONValue.quoted(string)
    }

    /// A JSON number that is a whole number, as Int.
    static func integer(_ value: Any?) -> Int? {
        if let number = value as? NSNumber, !(value is Bool) {
            let double = number.doubleValue
            guard double == double.rounded(), abs(double) < 9.0e15 else { return nil }
            return number.intValue
        }
        return value as? Int
    }

    /// Parses a JSON object, or throws naming what the text is.
    static func object(_ bytes: [UInt8], what: String) throws -> [String: Any] {
        let value: Any
        do {
            value = try JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
        } catch {
            throw SchemasRecordError("\(what) is not valid JSON: \(String(decoding: bytes.prefix(200), as: UTF8.self))")
        }
        guard let object = value as? [String: Any] else {
            throw SchemasRecordError("\(what) is not a JSON object: \(String(decoding: bytes.prefix(200), as: UTF8.self))")
        }
        return object
    }
}

/// A `_schemas` record that cannot be understood; the message shows what and why.
public struct SchemasRecordError: Error, CustomStringConvertible, Sendable, Equatable {
    public var description: String

    init(_ description: String) {
        self.description = description
    }
}

import OrderedJSON

/// Builders for `--output json`: objects keep their keys in the order written here, so the
/// documents scripts read have a stable shape (keys never come and go with the data).
enum JSONOut {
    static func int<T: BinaryInteger>(_ value: T) -> JSONValue { .number(String(value)) }

    static func int<T: BinaryInteger>(_ value: T?) -> JSONValue { value.map { .number(String($0)) } ?? .null }

    static func string(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }

    static func ints<T: BinaryInteger>(_ values: [T]) -> JSONValue { .array(values.map { .number(String($0)) }) }

    /// A string-to-string map as an object, keys sorted.
    static func map(_ values: [String: String?]) -> JSONValue {
        .object(values.sorted { $0.key < $1.key }.map { ($0.key, string($0.value)) })
    }

    /// Prints one document on one line.
    static func emit(_ value: JSONValue, to output: OutputBuffer) {
        output.line(value.compactText)
    }
}

/// Why a schema is invalid, and where: `path` is a JSON Pointer into the schema document
/// (`/fields/2/type`), empty for the root.
public struct AvroSchemaError: Error, Sendable, Equatable, CustomStringConvertible {
    public let path: String
    public let message: String

    public init(path: String, _ message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { path.isEmpty ? message : "\(message) (at \(path))" }
}

import OrderedJSON

/// An error the registry answers with: Confluent's `{"error_code": N, "message": "..."}`, the
/// HTTP status being the code's first three digits (or the code itself for generic errors).
public struct RegistryError: Error, Sendable, Equatable, CustomStringConvertible {
    public let errorCode: Int
    public let message: String

    public init(_ errorCode: Int, _ message: String) {
        self.errorCode = errorCode
        self.message = message
    }

    public var httpStatus: Int { errorCode >= 1000 ? errorCode / 100 : errorCode }
    public var description: String { "\(errorCode): \(message)" }

    public var body: String {
        "{\"error_code\":\(errorCode),\"message\":\(JSONValue.quoted(message))}"
    }

    // The registry's codes (the REST API notes, §1.3), with Confluent's wording.
    static func subjectNotFound(_ subject: String) -> Self { .init(40401, "Subject '\(subject)' not found.") }
    static func versionNotFound(_ version: Int) -> Self { .init(40402, "Version \(version) not found.") }
    static func schemaNotFound(_ what: String? = nil) -> Self {
        .init(40403, what.map { "Schema \($0) not found" } ?? "Schema not found")
    }
    static func subjectSoftDeleted(_ subject: String) -> Self {
        .init(40404, "Subject '\(subject)' was soft deleted.Set permanent=true to delete permanently")
    }
    static func subjectNotSoftDeleted(_ subject: String) -> Self {
        .init(40405, "Subject '\(subject)' was not deleted first before being permanently deleted")
    }
    static func versionSoftDeleted(_ subject: String, _ version: Int) -> Self {
        .init(40406, "Subject '\(subject)' Version \(version) was soft deleted.Set permanent=true to delete permanently")
    }
    static func versionNotSoftDeleted(_ subject: String, _ version: Int) -> Self {
        .init(40407, "Subject '\(subject)' Version \(version) was not deleted first before being permanently deleted")
    }
    static func subjectCompatibilityNotConfigured(_ subject: String) -> Self {
        .init(40408, "Subject '\(subject)' does not have subject-level compatibility configured")
    }
    static func subjectModeNotConfigured(_ subject: String) -> Self {
        .init(40409, "Subject '\(subject)' does not have subject-level mode configured")
    }
    static func invalidSchema(_ reason: String) -> Self { .init(42201, "Invalid schema: \(reason)") }
    static func invalidVersion(_ text: String) -> Self {
        .init(42202, "The specified version '\(text)' is not a valid version id. Allowed values are between [1, 2^31-1] and the string \"latest\"")
    }
    static let invalidCompatibilityLevel = RegistryError(42203,
        "Invalid compatibility level. Valid values are none, backward, forward, full, backward_transitive, forward_transitive, and full_transitive")
    static let invalidMode = RegistryError(42204, "Invalid mode. Valid values are READWRITE, READONLY, IMPORT and FORWARD.")
    static func operationNotPermitted(_ message: String) -> Self { .init(42205, message) }
    static func referenceExists(_ key: String) -> Self { .init(42206, "One or more references exist to the schema \(key).") }
    static func idInUse(_ id: Int) -> Self {
        .init(42207, "Overwrite new schema with id \(id) is not permitted: the id is already used by a different schema")
    }
    static func invalidSubject(_ subject: String) -> Self { .init(42208, "The specified subject '\(subject)' is not a valid.") }
    static func incompatible(_ subject: String, details: [String]) -> Self {
        .init(409, "Schema being registered is incompatible with an earlier schema for subject \"\(subject)\", details: [\(details.joined(separator: ", "))]")
    }
    static func storeError(_ message: String) -> Self { .init(50001, "Error in the backend data store - \(message)") }
    static func badRequest(_ message: String) -> Self { .init(400, message) }
    static func unprocessable(_ message: String) -> Self { .init(422, message) }
}

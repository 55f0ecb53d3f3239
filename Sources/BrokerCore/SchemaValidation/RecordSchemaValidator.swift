/// The parts of a record the validator reads: its key and value and the values of its
/// schema headers, as slices (of the batch's records region: nothing is copied per record).
public struct SchemaFramedFields: Sendable {
    public var key: ArraySlice<UInt8>?
    public var value: ArraySlice<UInt8>?
    /// The `__key_schema_id` / `__value_schema_id` header values (nil: no such header; empty:
    /// the header's value is null).
    public var keySchemaHeader: ArraySlice<UInt8>?
    public var valueSchemaHeader: ArraySlice<UInt8>?

    public init(key: ArraySlice<UInt8>?, value: ArraySlice<UInt8>?,
                keySchemaHeader: ArraySlice<UInt8>? = nil, valueSchemaHeader: ArraySlice<UInt8>? = nil) {
        self.key = key
        self.value = value
        self.keySchemaHeader = keySchemaHeader
        self.valueSchemaHeader = valueSchemaHeader
    }
}

/// Why one field of one record was refused.
public struct SchemaViolation: Sendable, Equatable, CustomStringConvertible {
    /// The label of the rejection metric, and what went wrong.
    public enum Reason: String, Sendable, Hashable, CaseIterable {
        /// Not in Confluent's wire format (too short, unknown magic byte, empty schema header).
        case notFramed = "not_framed"
        /// No registered version uses the schema id or GUID.
        case unknownSchema = "unknown_schema"
        /// The schema is registered, but not under the subject the topic's strategy names.
        case wrongSubject = "wrong_subject"
        /// A Record strategy, and the schema has no record name.
        case noRecordName = "no_record_name"
        /// The payload does not decode with (or validate against) its writer schema.
        case invalidPayload = "invalid_payload"
        /// The registry has not finished reading `_schemas`.
        case registryNotReady = "registry_not_ready"
    }

    /// The record's index in its batch (Produce v8's `batch_index`).
    public var recordIndex: Int
    public var field: RecordField
    public var reason: Reason
    /// The schema id the record names, when it names one that resolves to an id.
    public var schemaID: Int32?
    /// The subject the topic's strategy expects, when known.
    public var subject: String?
    /// What was wrong, without the record index.
    public var message: String

    public var description: String { "record \(recordIndex): \(message)" }
}

/// Checks records against a topic's ``TopicSchemaValidation``: for each validated field, the
/// schema reference (prefix or header), its registration under the strategy's subject and, at
/// the payload level, the payload itself. Null keys and values pass (tombstones, keyless
/// records). Schema lookups are memoized for the validator's lifetime (one batch), so a batch
/// whose records share a schema asks the catalog once.
public struct RecordSchemaValidator {
    public let topic: String
    public let rules: TopicSchemaValidation
    let catalog: any SchemaCatalog
    private var resolutions: [ResolutionKey: Resolution] = [:]
    /// The last reference that resolved with nothing more to check (the id level), tested
    /// before the dictionary: a batch's records usually share one schema, so most records cost
    /// a comparison, with no hashing and no reference counting.
    private var lastAccepted: ResolutionKey?

    private struct ResolutionKey: Hashable {
        var field: RecordField
        var pointer: SchemaPointer
    }

    /// A schema reference resolved for one field: its id, subject and (at the payload level)
    /// payload check, or why it fails.
    private enum Resolution {
        case registered(id: Int32, subject: String, checker: (any PayloadChecker)?)
        case refused(reason: SchemaViolation.Reason, id: Int32?, subject: String?, String)
    }

    public init(topic: String, rules: TopicSchemaValidation, catalog: any SchemaCatalog) {
        self.topic = topic
        self.rules = rules
        self.catalog = catalog
    }

    /// Every violation in `records`, in record order (at most one per field of a record).
    public mutating func violations(of records: [SchemaFramedFields]) -> [SchemaViolation] {
        var found: [SchemaViolation] = []
        for (index, record) in records.enumerated() {
            check(record, index: index, into: &found)
        }
        return found
    }

    /// Appends the violations of record `index` to `found`, key first.
    public mutating func check(_ record: SchemaFramedFields, index: Int, into found: inout [SchemaViolation]) {
        if let rule = rules.key, let key = record.key,
           let violation = check(key, header: record.keySchemaHeader, field: .key, rule: rule, index: index) {
            found.append(violation)
        }
        if let rule = rules.value, let value = record.value,
           let violation = check(value, header: record.valueSchemaHeader, field: .value, rule: rule, index: index) {
            found.append(violation)
        }
    }

    private mutating func check(_ data: ArraySlice<UInt8>, header: ArraySlice<UInt8>?, field: RecordField,
                                rule: FieldValidationRule, index: Int) -> SchemaViolation? {
        func violation(_ reason: SchemaViolation.Reason, id: Int32?, subject: String?, _ message: String) -> SchemaViolation {
            SchemaViolation(recordIndex: index, field: field, reason: reason, schemaID: id, subject: subject, message: message)
        }
        let pointer: SchemaPointer
        var payloadStart = 0
        if let header {
            switch SchemaFraming.header(header) {
            case .success(let found):
                pointer = found
            case .failure(let failure):
                return violation(.notFramed, id: nil, subject: nil, "\(field)'s \(field.schemaHeaderName) header \(Self.headerText(failure))")
            }
        } else {
            switch SchemaFraming.prefix(of: data) {
            case .success(let (found, length)):
                pointer = found
                payloadStart = length
            case .failure(let failure):
                return violation(.notFramed, id: nil, subject: nil, "\(field) \(failure)")
            }
        }
        let key = ResolutionKey(field: field, pointer: pointer)
        if lastAccepted == key { return nil }
        let resolution: Resolution
        if let known = resolutions[key] {
            resolution = known
        } else {
            resolution = resolve(pointer, field: field, rule: rule)
            resolutions[key] = resolution
        }
        switch resolution {
        case let .refused(reason, id, subject, message):
            return violation(reason, id: id, subject: subject, message)
        case let .registered(id, subject, checker):
            guard let checker else {
                lastAccepted = key
                return nil
            }
            guard let problem = checker.problem(with: data.dropFirst(payloadStart)) else { return nil }
            return violation(.invalidPayload, id: id, subject: subject,
                             "\(field) does not decode with schema id \(id) (subject \"\(subject)\"): \(problem)")
        }
    }

    private func resolve(_ pointer: SchemaPointer, field: RecordField, rule: FieldValidationRule) -> Resolution {
        let strategy = rule.strategy
        let named = "\(field) \(pointer)"
        guard catalog.isReady else {
            return .refused(reason: .registryNotReady, id: nil, subject: nil,
                            "\(named) cannot be checked yet: the schema registry has not finished reading _schemas")
        }
        let id: Int32
        switch pointer {
        case .id(let value): id = value
        case .guid(let guid):
            guard let found = catalog.schemaID(guid: guid) else {
                return .refused(reason: .unknownSchema, id: nil, subject: nil, "\(named) is not registered in the schema registry")
            }
            id = found
        }
        let described = pointer == .id(id) ? named : "\(named) (id \(id))"
        guard let schema = catalog.schema(id: id) else {
            return .refused(reason: .unknownSchema, id: id, subject: nil, "\(described) is not registered in the schema registry")
        }
        guard let subject = strategy.subject(topic: topic, field: field, recordName: schema.recordName) else {
            return .refused(reason: .noRecordName, id: id, subject: nil,
                            "\(described) is a \(schema.schemaType) schema without a record name, which \(strategy.rawValue) needs to name the subject")
        }
        guard schema.subjects.contains(subject) else {
            let elsewhere = schema.subjects.sorted().prefix(3).map { "\"\($0)\"" }.joined(separator: ", ")
            return .refused(reason: .wrongSubject, id: id, subject: subject,
                            "\(described) is not registered under subject \"\(subject)\" (\(strategy.rawValue)); it is registered under \(elsewhere)\(schema.subjects.count > 3 ? ", ..." : "")")
        }
        guard rule.level == .payload else { return .registered(id: id, subject: subject, checker: nil) }
        guard let checker = catalog.payloadChecker(schemaID: id) else {
            return .refused(reason: .unknownSchema, id: id, subject: subject, "\(described) is not registered in the schema registry")
        }
        return .registered(id: id, subject: subject, checker: checker)
    }

    private static func headerText(_ failure: SchemaFraming.Failure) -> String {
        switch failure {
        case .emptyHeader: "is null or empty"
        default: "\(failure)"
        }
    }
}

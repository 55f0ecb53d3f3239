/// The registry's state, materialized from the `_schemas` topic record by record in log order
/// (the registry storage notes, §4 and §9). Pure: the caller reads the topic and feeds each
/// record to ``apply(key:value:)``; a topic written by Confluent Schema Registry or Karapace
/// materializes into the same subjects, versions and ids.
public struct SchemaRegistryState: Sendable {
    /// The key spelling later writes must use, so they hit the same compaction keys.
    public private(set) var keyStyle: SchemasKey.Style = .confluent
    /// The largest id seen; a new schema gets `maxID + 1`.
    public private(set) var maxID = 0
    /// Every version of every subject, soft-deleted ones included.
    public private(set) var subjects: [String: [Int: SchemaVersionRecord]] = [:]
    public private(set) var globalCompatibility: CompatibilityLevel?
    public private(set) var subjectCompatibility: [String: CompatibilityLevel] = [:]
    public private(set) var globalMode: RegistryMode?
    public private(set) var subjectModes: [String: RegistryMode] = [:]
    /// id → a version registered with it (any one: they share the schema).
    private var versionsByID: [Int: Set<SubjectVersion>] = [:]

    private struct SubjectVersion: Hashable, Sendable {
        var subject: String
        var version: Int
    }

    /// What happened to one record.
    public enum Outcome: Sendable, Equatable {
        case applied
        /// Not applied, and why (logged by the caller): a duplicate id, a foreign key type, a
        /// tombstone for an unknown key.
        case skipped(String)
    }

    public init() {}

    // MARK: Replay

    /// Applies one `_schemas` record.
    /// - Throws: ``SchemasRecordError`` for a key or value that is not what its key type
    ///   requires; an importer skips such records with a warning.
    @discardableResult
    public mutating func apply(key keyBytes: [UInt8], value: [UInt8]?) throws -> Outcome {
        let (key, style) = try SchemasKey.decode(keyBytes)
        switch key {
        case .schema(let subject, let version):
            if style == .oldKarapace { keyStyle = .oldKarapace }
            guard let value else { return removeVersion(subject: subject, version: version) }
            return insert(try SchemaVersionRecord(decoding: value, key: (subject, version)))
        case .config(let subject):
            var level: CompatibilityLevel?
            if let value {
                let object = try JSONText.object(value, what: "_schemas CONFIG value")
                guard let name = object["compatibilityLevel"] as? String, let parsed = CompatibilityLevel(rawValue: name) else {
                    throw SchemasRecordError("CONFIG value has no valid compatibilityLevel: \(String(decoding: value, as: UTF8.self))")
                }
                level = parsed
            }
            if let subject { subjectCompatibility[subject] = level } else { globalCompatibility = level }
            return .applied
        case .mode(let subject):
            var mode: RegistryMode?
            if let value {
                let object = try JSONText.object(value, what: "_schemas MODE value")
                guard let name = object["mode"] as? String, let parsed = RegistryMode(rawValue: name) else {
                    throw SchemasRecordError("MODE value has no valid mode: \(String(decoding: value, as: UTF8.self))")
                }
                mode = parsed
            }
            if let subject { subjectModes[subject] = mode } else { globalMode = mode }
            return .applied
        case .deleteSubject(let subject):
            guard let value else { return .skipped("DELETE_SUBJECT for \(subject) without a value") }
            let object = try JSONText.object(value, what: "_schemas DELETE_SUBJECT value")
            guard let upTo = JSONText.integer(object["version"]) else {
                throw SchemasRecordError("DELETE_SUBJECT value for \(subject) has no version")
            }
            for version in subjects[subject]?.keys.filter({ $0 <= upTo }) ?? [] {
                subjects[subject]?[version]?.deleted = true
            }
            return .applied
        case .clearSubject(let subject):
            for (version, record) in subjects[subject] ?? [:] where record.deleted {
                _ = removeVersion(subject: subject, version: version)
            }
            return .applied
        case .noop:
            return .applied
        case .other(let keytype):
            return .skipped("key type \(keytype) is not managed by Sluice")
        }
    }

    private mutating func insert(_ record: SchemaVersionRecord) -> Outcome {
        if let existing = schema(id: record.id),
           existing.schema != record.schema || existing.schemaType != record.schemaType || existing.references != record.references {
            return .skipped("id \(record.id) is already used by a different schema (\(existing.subject) version \(existing.version))")
        }
        if let previous = subjects[record.subject]?[record.version], previous.id != record.id {
            versionsByID[previous.id]?.remove(SubjectVersion(subject: record.subject, version: record.version))
        }
        subjects[record.subject, default: [:]][record.version] = record
        versionsByID[record.id, default: []].insert(SubjectVersion(subject: record.subject, version: record.version))
        maxID = max(maxID, record.id)
        return .applied
    }

    private mutating func removeVersion(subject: String, version: Int) -> Outcome {
        guard let removed = subjects[subject]?.removeValue(forKey: version) else {
            return .skipped("tombstone for unknown \(subject) version \(version)")
        }
        if subjects[subject]?.isEmpty == true { subjects[subject] = nil }
        versionsByID[removed.id]?.remove(SubjectVersion(subject: subject, version: version))
        if versionsByID[removed.id]?.isEmpty == true { versionsByID[removed.id] = nil }
        return .applied
    }

    // MARK: Queries

    /// The schema registered under `id`, through any version that still uses it.
    public func schema(id: Int) -> SchemaVersionRecord? {
        guard let any = versionsByID[id]?.min(by: { ($0.subject, $0.version) < ($1.subject, $1.version) }) else { return nil }
        return subjects[any.subject]?[any.version]
    }

    /// Subject names, sorted; soft-deleted subjects (every version deleted) only when asked.
    public func subjectNames(includeDeleted: Bool = false) -> [String] {
        subjects.filter { includeDeleted || $0.value.values.contains { !$0.deleted } }.keys.sorted()
    }

    /// A subject's versions in order.
    public func versions(of subject: String, includeDeleted: Bool = false) -> [SchemaVersionRecord] {
        (subjects[subject] ?? [:]).values.filter { includeDeleted || !$0.deleted }.sorted { $0.version < $1.version }
    }

    /// Every (subject, version) using an id.
    public func subjectVersions(usingID id: Int, includeDeleted: Bool = false) -> [SchemaVersionRecord] {
        (versionsByID[id] ?? []).compactMap { subjects[$0.subject]?[$0.version] }
            .filter { includeDeleted || !$0.deleted }
            .sorted { ($0.subject, $0.version) < ($1.subject, $1.version) }
    }

    /// The compatibility level in force for a subject: its own, else the global one, else
    /// BACKWARD (Confluent's default).
    public func compatibility(for subject: String?) -> CompatibilityLevel {
        subject.flatMap { subjectCompatibility[$0] } ?? globalCompatibility ?? .backward
    }

    /// The mode in force for a subject: its own, else the global one, else READWRITE.
    public func mode(for subject: String?) -> RegistryMode {
        subject.flatMap { subjectModes[$0] } ?? globalMode ?? .readWrite
    }
}

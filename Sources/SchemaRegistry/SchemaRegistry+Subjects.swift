import OrderedJSON
import RegistryCore

extension SchemaRegistry {
    /// The JSON of one subject version (Confluent's Schema entity); empty fields omitted,
    /// `schemaType` only when not Avro.
    func entity(_ record: SchemaVersionRecord) -> String {
        var text = "{\"subject\":\(JSONValue.quoted(record.subject)),\"version\":\(record.version),\"id\":\(record.id)"
        text += ",\"guid\":\"\(Self.guid(of: record))\""
        if record.schemaType != "AVRO" { text += ",\"schemaType\":\(JSONValue.quoted(record.schemaType))" }
        if !record.references.isEmpty { text += ",\"references\":" + Self.referencesJSON(record.references) }
        if let metadata = record.metadata { text += ",\"metadata\":\(metadata)" }
        if let ruleSet = record.ruleSet { text += ",\"ruleSet\":\(ruleSet)" }
        text += ",\"schema\":\(JSONValue.quoted(record.schema))"
        if record.deleted { text += ",\"deleted\":true" }
        return text + "}"
    }

    static func referencesJSON(_ references: [SchemaReference]) -> String {
        "[" + references.map {
            "{\"name\":\(JSONValue.quoted($0.name)),\"subject\":\(JSONValue.quoted($0.subject)),\"version\":\($0.version)}"
        }.joined(separator: ",") + "]"
    }

    /// Resolves `-1` (latest) reference versions to numbers, as stored records need them.
    func resolvingLatest(_ references: [SchemaReference]) throws(RegistryError) -> [SchemaReference] {
        var resolved: [SchemaReference] = []
        for var reference in references {
            if reference.version == -1 {
                guard let latest = state.versions(of: reference.subject).last else {
                    throw RegistryError.invalidSchema("the reference '\(reference.name)' names subject '\(reference.subject)', which has no versions")
                }
                reference.version = latest.version
            }
            resolved.append(reference)
        }
        return resolved
    }

    static func validateSubject(_ subject: String) throws(RegistryError) {
        guard !subject.isEmpty, !subject.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
            throw RegistryError.invalidSubject(subject)
        }
    }

    /// The live version of `subject` that is this schema, if any. With `contract`, its
    /// `metadata` and `ruleSet` must be equal too (Confluent counts them in a schema's identity).
    func existingVersion(of parsed: ParsedSchema, in subject: String, includeDeleted: Bool,
                         contract: DataContract? = nil) -> SchemaVersionRecord? {
        state.versions(of: subject, includeDeleted: includeDeleted).last { record in
            (contract.map { $0 == DataContract(record) } ?? true) && (try? self.parsed(record))?.isSame(as: parsed) == true
        }
    }

    // MARK: Register and look up

    /// `POST /subjects/{s}/versions` (the REST notes, §4).
    func register(subject: String, body: JSONValue, normalize: Bool, force: Bool) async throws(RegistryError) -> String {
        try await exclusively { () async throws(RegistryError) -> String in try await registerLocked(subject: subject, body: body, normalize: normalize, force: force) }
    }

    private func registerLocked(subject: String, body: JSONValue, normalize: Bool, force: Bool) async throws(RegistryError) -> String {
        try Self.validateSubject(subject)
        let request = try RegisterRequest(body: body)
        let references = try resolvingLatest(request.references)
        let candidate = try parse(text: request.schema, type: request.schemaType, references: references, normalize: normalize)
        // As Confluent does, a registration without `metadata` or `ruleSet` inherits those of
        // the subject's latest version, so data contracts carry over to new versions.
        let latest = state.versions(of: subject).last
        let contract = DataContract(metadata: request.metadata ?? latest?.metadata, ruleSet: request.ruleSet ?? latest?.ruleSet)
        if let existing = existingVersion(of: candidate, in: subject, includeDeleted: false, contract: contract),
           request.id == nil || request.id == existing.id {
            return registerResponse(existing)
        }
        let mode = state.mode(for: subject)
        switch mode {
        case .readOnly, .readOnlyOverride:
            throw RegistryError.operationNotPermitted("Subject \(subject) in context . is in read-only mode")
        case .importing:
            guard request.id != nil else {
                throw RegistryError.operationNotPermitted("Subject \(subject) in context . is in import mode: a registration must give the schema's \"id\"")
            }
        case .readWrite, .forward:
            guard request.id == nil else {
                throw RegistryError.operationNotPermitted("Subject \(subject) in context . is not in import mode: an \"id\" may be given only in IMPORT mode")
            }
        }
        if mode != .importing && !force {
            var previous: [(version: Int, schema: ParsedSchema)] = []
            for record in state.versions(of: subject) { previous.append((record.version, try parsed(record))) }
            let problems = RegistryCompatibility.problems(new: candidate, previous: previous, level: state.compatibility(for: subject))
            guard problems.isEmpty else { throw RegistryError.incompatible(subject, details: problems) }
        }
        let id: Int
        if let requested = request.id {
            if let holder = state.schema(id: requested),
               DataContract(holder) != contract || (try? parsed(holder))?.isSame(as: candidate) != true {
                throw RegistryError.idInUse(requested)
            }
            id = requested
        } else {
            id = sameSchemaID(candidate, contract: contract) ?? state.maxID + 1
        }
        let allVersions = state.versions(of: subject, includeDeleted: true)
        let version = request.version ?? ((allVersions.last?.version ?? 0) + 1)
        if let clash = allVersions.first(where: { $0.version == version }), clash.id != id {
            throw RegistryError.operationNotPermitted("Subject \(subject) already has a different schema as version \(version)")
        }
        let record = SchemaVersionRecord(subject: subject, version: version, id: id, schemaType: candidate.type.rawValue,
                                         references: references, schema: candidate.text,
                                         metadata: contract.metadata, ruleSet: contract.ruleSet)
        try await write(.schema(subject: subject, version: version), record.encoded())
        parsedByID[id] = parsedByID[id] ?? candidate
        noteIdentity(of: record)
        logger.info("registered", metadata: ["subject": "\(subject)", "version": "\(version)", "id": "\(id)"])
        return registerResponse(record)
    }

    private func registerResponse(_ record: SchemaVersionRecord) -> String {
        "{\"id\":\(record.id),\"version\":\(record.version),\"guid\":\"\(Self.guid(of: record))\"}"
    }

    /// `POST /subjects/{s}`: is this schema registered under the subject?
    func lookup(subject: String, body: JSONValue, normalize: Bool, includeDeleted: Bool) throws(RegistryError) -> String {
        _ = try requireVersions(subject, includeDeleted: includeDeleted)
        let request = try RegisterRequest(body: body)
        let candidate = try parse(text: request.schema, type: request.schemaType,
                                  references: try resolvingLatest(request.references), normalize: normalize)
        let contract = request.metadata == nil && request.ruleSet == nil
            ? nil : DataContract(metadata: request.metadata, ruleSet: request.ruleSet)
        guard let record = existingVersion(of: candidate, in: subject, includeDeleted: includeDeleted, contract: contract) else {
            throw RegistryError.schemaNotFound()
        }
        return entity(record)
    }

    // MARK: Deletes

    /// The subjects and versions whose schemas reference `subject`'s `version`.
    func referrers(of subject: String, version: Int, includeDeleted: Bool = false) -> [SchemaVersionRecord] {
        state.subjectNames(includeDeleted: includeDeleted).flatMap { name in
            state.versions(of: name, includeDeleted: includeDeleted).filter { record in
                record.references.contains { $0.subject == subject && $0.version == version }
            }
        }
    }

    private func requireWritable(_ subject: String) throws(RegistryError) {
        let mode = state.mode(for: subject)
        if mode == .readOnly || mode == .readOnlyOverride {
            throw RegistryError.operationNotPermitted("Subject \(subject) in context . is in read-only mode")
        }
    }

    private func requireUnreferenced(_ record: SchemaVersionRecord) throws(RegistryError) {
        guard referrers(of: record.subject, version: record.version).isEmpty else {
            throw RegistryError.referenceExists("{magic=1,keytype=SCHEMA,subject=\(record.subject),version=\(record.version)}")
        }
    }

    /// `DELETE /subjects/{s}/versions/{v}`: soft, or permanent after a soft delete.
    func deleteVersion(subject: String, version text: String, permanent: Bool) async throws(RegistryError) -> String {
        try await exclusively { () async throws(RegistryError) -> String in try await deleteVersionLocked(subject: subject, version: text, permanent: permanent) }
    }

    private func deleteVersionLocked(subject: String, version text: String, permanent: Bool) async throws(RegistryError) -> String {
        let number = try Self.versionNumber(text)
        let all = try requireVersions(subject, includeDeleted: true)
        try requireWritable(subject)
        let record: SchemaVersionRecord
        if number == -1 {
            guard let latest = permanent ? all.last : all.last(where: { !$0.deleted }) else { throw RegistryError.subjectNotFound(subject) }
            record = latest
        } else {
            guard let found = all.first(where: { $0.version == number }) else { throw RegistryError.versionNotFound(number) }
            record = found
        }
        try requireUnreferenced(record)
        if permanent {
            guard record.deleted else { throw RegistryError.versionNotSoftDeleted(subject, record.version) }
            try await write(.schema(subject: subject, version: record.version), nil)
            if state.versions(of: subject, includeDeleted: true).isEmpty { try await dropSettings(of: subject) }
        } else {
            guard !record.deleted else { throw RegistryError.versionSoftDeleted(subject, record.version) }
            var deleted = record
            deleted.deleted = true
            try await write(.schema(subject: subject, version: record.version), deleted.encoded())
        }
        return "\(record.version)"
    }

    /// `DELETE /subjects/{s}`: soft-deletes every live version, or (permanent) removes every
    /// version of a subject soft-deleted before, then its config and mode.
    func deleteSubject(subject: String, permanent: Bool) async throws(RegistryError) -> String {
        try await exclusively { () async throws(RegistryError) -> String in try await deleteSubjectLocked(subject: subject, permanent: permanent) }
    }

    private func deleteSubjectLocked(subject: String, permanent: Bool) async throws(RegistryError) -> String {
        let all = try requireVersions(subject, includeDeleted: true)
        try requireWritable(subject)
        let live = all.filter { !$0.deleted }
        for record in all { try requireUnreferenced(record) }
        if permanent {
            guard live.isEmpty else { throw RegistryError.subjectNotSoftDeleted(subject) }
            for record in all.reversed() { try await write(.schema(subject: subject, version: record.version), nil) }
            try await dropSettings(of: subject)
            return "[" + all.map { "\($0.version)" }.joined(separator: ",") + "]"
        }
        guard let highest = live.last else { throw RegistryError.subjectSoftDeleted(subject) }
        let value = "{\"subject\":\(JSONValue.quoted(subject)),\"version\":\(highest.version)}"
        try await write(.deleteSubject(subject: subject), Array(value.utf8))
        return "[" + live.map { "\($0.version)" }.joined(separator: ",") + "]"
    }

    private func dropSettings(of subject: String) async throws(RegistryError) {
        if state.subjectCompatibility[subject] != nil { try await write(.config(subject: subject), nil) }
        if state.subjectModes[subject] != nil { try await write(.mode(subject: subject), nil) }
    }

    // MARK: Compatibility

    /// `POST /compatibility/subjects/{s}/versions[/{v}]`.
    func testCompatibility(subject: String, version text: String?, body: JSONValue, normalize: Bool,
                           verbose: Bool) throws(RegistryError) -> String {
        var against: [SchemaVersionRecord]
        if let text {
            let number = try Self.versionNumber(text)
            let live = state.versions(of: subject)
            if number == -1 {
                against = live.last.map { [$0] } ?? []
            } else {
                guard let record = live.first(where: { $0.version == number }) else { throw RegistryError.versionNotFound(number) }
                against = [record]
            }
        } else {
            against = state.versions(of: subject)
        }
        let request = try RegisterRequest(body: body)
        let candidate: ParsedSchema
        do {
            candidate = try parse(text: request.schema, type: request.schemaType,
                                  references: try resolvingLatest(request.references), normalize: normalize)
        } catch where verbose {
            return "{\"is_compatible\":false,\"messages\":[\(JSONValue.quoted(error.message))]}"
        }
        var level = state.compatibility(for: subject)
        if text != nil {
            // One named version: the level's direction, without transitivity.
            switch level {
            case .backwardTransitive: level = .backward
            case .forwardTransitive: level = .forward
            case .fullTransitive: level = .full
            default: break
            }
            if against.isEmpty { return "{\"is_compatible\":true}" }
        }
        var previous: [(version: Int, schema: ParsedSchema)] = []
        for record in against { previous.append((record.version, try parsed(record))) }
        let problems = RegistryCompatibility.problems(new: candidate, previous: previous, level: level)
        guard verbose else { return "{\"is_compatible\":\(problems.isEmpty)}" }
        return "{\"is_compatible\":\(problems.isEmpty),\"messages\":[" + problems.map(JSONValue.quoted).joined(separator: ",") + "]}"
    }
}

/// Confluent's data-contract fields of a version, compared as compact JSON text.
struct DataContract: Equatable {
    var metadata: String?
    var ruleSet: String?

    init(metadata: String?, ruleSet: String?) {
        self.metadata = metadata
        self.ruleSet = ruleSet
    }

    init(_ record: SchemaVersionRecord) {
        self.init(metadata: record.metadata, ruleSet: record.ruleSet)
    }
}

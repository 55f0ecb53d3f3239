import OrderedJSON
import RegistryCore

extension SchemaRegistry {
    static func list(_ items: [String]) -> String { "[" + items.joined(separator: ",") + "]" }

    /// `offset`/`limit` paging of list endpoints (`limit` -1 or absent: everything).
    static func page<T>(_ items: [T], offset: Int, limit: Int) -> ArraySlice<T> {
        let start = min(max(offset, 0), items.count)
        let end = limit < 0 ? items.count : min(items.count, start + limit)
        return items[start..<end]
    }

    func subjects(prefix: String?, includeDeleted: Bool, deletedOnly: Bool, offset: Int, limit: Int) -> String {
        var names = state.subjectNames(includeDeleted: includeDeleted || deletedOnly)
        if deletedOnly {
            let live = Set(state.subjectNames())
            names = names.filter { !live.contains($0) }
        }
        if let prefix, !prefix.isEmpty, prefix != ":*:" { names = names.filter { $0.hasPrefix(prefix) } }
        return Self.list(Self.page(names, offset: offset, limit: limit).map(JSONValue.quoted))
    }

    func versions(subject: String, includeDeleted: Bool, deletedOnly: Bool, offset: Int, limit: Int) throws(RegistryError) -> String {
        var records = try requireVersions(subject, includeDeleted: includeDeleted || deletedOnly)
        if deletedOnly { records = records.filter(\.deleted) }
        return Self.list(Self.page(records, offset: offset, limit: limit).map { "\($0.version)" })
    }

    func version(subject: String, version: String, includeDeleted: Bool) throws(RegistryError) -> SchemaVersionRecord {
        try resolveVersion(subject, version, includeDeleted: includeDeleted)
    }

    func versionJSON(subject: String, version: String, includeDeleted: Bool) throws(RegistryError) -> String {
        entity(try resolveVersion(subject, version, includeDeleted: includeDeleted))
    }

    func referencedBy(subject: String, version: String) throws(RegistryError) -> String {
        let record = try resolveVersion(subject, version, includeDeleted: true)
        let ids = Set(referrers(of: subject, version: record.version).map(\.id)).sorted()
        return Self.list(ids.map(String.init))
    }

    func schema(id text: String) throws(RegistryError) -> SchemaVersionRecord {
        guard let id = Int(text), let record = state.schema(id: id) else {
            throw RegistryError.schemaNotFound(text)
        }
        return record
    }

    /// `GET /schemas/ids/{id}`: `{"schema": ...}` plus `schemaType` (when not Avro) and `references`.
    func schemaByID(_ text: String, fetchMaxID: Bool) throws(RegistryError) -> String {
        let record = try schema(id: text)
        var body = "{"
        if record.schemaType != "AVRO" { body += "\"schemaType\":\(JSONValue.quoted(record.schemaType))," }
        if !record.references.isEmpty { body += "\"references\":\(Self.referencesJSON(record.references))," }
        if let metadata = record.metadata { body += "\"metadata\":\(metadata)," }
        if let ruleSet = record.ruleSet { body += "\"ruleSet\":\(ruleSet)," }
        body += "\"schema\":\(JSONValue.quoted(record.schema))"
        body += ",\"guid\":\"\(Self.guid(of: record))\""
        if fetchMaxID { return body + ",\"maxId\":\(state.maxID)}" }
        body += "}"
        schemaByIDResponses.store(body, for: record.id)
        return body
    }

    func schemaByGUID(_ guid: String) throws(RegistryError) -> String {
        guard let record = record(guid: guid) else { throw RegistryError.schemaNotFound(guid) }
        return try schemaByID("\(record.id)", fetchMaxID: false)
    }

    func idsByGUID(_ guid: String) throws(RegistryError) -> String {
        guard let record = record(guid: guid) else { throw RegistryError.schemaNotFound(guid) }
        return "[{\"context\":\".\",\"id\":\(record.id)}]"
    }

    func subjectsByID(_ text: String, includeDeleted: Bool, offset: Int, limit: Int) throws(RegistryError) -> String {
        let record = try schema(id: text)
        let names = Set(state.subjectVersions(usingID: record.id, includeDeleted: includeDeleted).map(\.subject)).sorted()
        return Self.list(Self.page(names, offset: offset, limit: limit).map(JSONValue.quoted))
    }

    func versionsByID(_ text: String, includeDeleted: Bool, offset: Int, limit: Int) throws(RegistryError) -> String {
        let record = try schema(id: text)
        let pairs = state.subjectVersions(usingID: record.id, includeDeleted: includeDeleted)
        return Self.list(Self.page(pairs, offset: offset, limit: limit).map {
            "{\"subject\":\(JSONValue.quoted($0.subject)),\"version\":\($0.version)}"
        })
    }

    /// `GET /schemas`: every version (or only the latest per subject), as Schema entities.
    func schemas(prefix: String?, includeDeleted: Bool, latestOnly: Bool, offset: Int, limit: Int) -> String {
        var records: [SchemaVersionRecord] = []
        for subject in state.subjectNames(includeDeleted: includeDeleted) where prefix.map({ $0.isEmpty || $0 == ":*:" || subject.hasPrefix($0) }) ?? true {
            let versions = state.versions(of: subject, includeDeleted: includeDeleted)
            records += latestOnly ? versions.suffix(1) : versions[...]
        }
        return Self.list(Self.page(records, offset: offset, limit: limit).map(entity))
    }

    var maxID: Int { state.maxID }
}

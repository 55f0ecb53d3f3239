import OrderedJSON
import RegistryCore

/// The body of register, lookup and compatibility calls. Unknown fields (`metadata`,
/// `ruleSet`, ...) are ignored, as clients that send them expect.
struct RegisterRequest: Sendable {
    var schema: String
    var schemaType: SchemaType
    var references: [SchemaReference]
    /// Confluent's data-contract fields as compact JSON, kept and given back.
    var metadata: String?
    var ruleSet: String?
    /// IMPORT mode only.
    var id: Int?
    var version: Int?

    init(body: JSONValue) throws(RegistryError) {
        guard case .object = body else { throw RegistryError.unprocessable("the request body must be a JSON object") }
        guard let schema = body["schema"]?.stringValue else {
            throw RegistryError.invalidSchema("the request has no \"schema\" string (the schema document is sent as a JSON string)")
        }
        guard !schema.trimmingSpaces.isEmpty else { throw RegistryError.invalidSchema("the schema is empty") }
        self.schema = schema
        switch body["schemaType"] {
        case nil, .null?: schemaType = .avro
        case .string(let name)?: schemaType = try SchemaType.named(name)
        case let other?: throw RegistryError.invalidSchema("schemaType must be a string, not \(other.kindName)")
        }
        var references: [SchemaReference] = []
        for (index, item) in (body["references"]?.arrayValue ?? []).enumerated() {
            guard let name = item["name"]?.stringValue, let subject = item["subject"]?.stringValue else {
                throw RegistryError.invalidSchema("references[\(index)] needs a \"name\" and a \"subject\"")
            }
            let version: Int
            switch item["version"] {
            case .string(let text)? where text.lowercased() == "latest": version = -1
            case let value? where value.integerValue != nil: version = Int(value.integerValue!)
            default: throw RegistryError.invalidSchema("references[\(index)] needs a \"version\" (a number, or -1 for the latest)")
            }
            references.append(SchemaReference(name: name, subject: subject, version: version))
        }
        self.references = references
        metadata = body["metadata"].flatMap { $0 == .null ? nil : $0.compactText }
        ruleSet = body["ruleSet"].flatMap { $0 == .null ? nil : $0.compactText }
        id = body["id"]?.integerValue.map(Int.init)
        version = body["version"]?.integerValue.map(Int.init)
        if let id, id < 1 || id > Int(Int32.max) { self.id = nil }
        if let version, version < 1 { self.version = nil }
    }
}

import OrderedJSON

/// Supplies a document that a schema references but does not contain, by its absolute URI
/// (without fragment); nil when it is unknown. The registry answers with the schemas named in
/// a registration's `references`.
public typealias JSONSchemaResolver = (String) -> JSONValue?

/// Turns a schema document into a graph of ``SchemaNode``s once: `$ref`s resolved (local
/// pointers, `$id` base URIs, anchors, other documents through the resolver), every keyword
/// checked for a well-formed value. Each subschema location is compiled at most once, so
/// recursion becomes a cycle in the graph.
struct SchemaCompiler {
    var resources: SchemaResources
    let rootDocument: String
    let resolver: JSONSchemaResolver
    let formatAssertion: Bool
    private var nodes: [SchemaLocation: SchemaNode] = [:]
    private var scopes: [String: ResourceScope] = [:]
    private(set) var usesDynamicScope = false

    init(resources: SchemaResources, rootDocument: String, resolver: @escaping JSONSchemaResolver, formatAssertion: Bool) {
        self.resources = resources
        self.rootDocument = rootDocument
        self.resolver = resolver
        self.formatAssertion = formatAssertion
    }

    /// The compiled root, after every `$dynamicAnchor` of every resource reached is compiled too
    /// (a `$dynamicRef` may land on any of them at run time).
    mutating func compileRoot() throws(JSONSchemaError) -> SchemaNode {
        let root = try node(at: SchemaLocation(document: rootDocument, tokens: []))
        guard usesDynamicScope else { return root }
        var filled = Set<String>()
        while true {
            let pending = scopes.keys.filter { !filled.contains($0) }
            if pending.isEmpty { break }
            for uri in pending {
                filled.insert(uri)
                for (name, location) in resources.dynamicAnchors[uri] ?? [:] {
                    scopes[uri]!.dynamicAnchors[name] = try node(at: location)
                }
            }
        }
        return root
    }

    /// A location as error messages show it: a JSON Pointer, prefixed by the document's URI
    /// when it is not the schema itself.
    func describe(_ location: SchemaLocation) -> String {
        let pointer = JSONPointer.text(location.tokens)
        return location.document == rootDocument ? pointer : location.document + "#" + pointer
    }

    func error(_ location: SchemaLocation, _ reason: String) -> JSONSchemaError {
        JSONSchemaError(path: describe(location), reason: reason)
    }

    private mutating func scope(for uri: String) -> ResourceScope {
        if let existing = scopes[uri] { return existing }
        let created = ResourceScope(uri: uri)
        scopes[uri] = created
        return created
    }

    /// The node of the subschema at `location`, compiling it on first use.
    mutating func node(at location: SchemaLocation) throws(JSONSchemaError) -> SchemaNode {
        if let existing = nodes[location] { return existing }
        guard let value = resources.value(at: location), let info = resources.info(at: location) else {
            throw error(location, "no schema at this location")
        }
        let node = SchemaNode(scope: scope(for: info.baseURI))
        nodes[location] = node
        switch value {
        case .bool(let accepts):
            node.rejectsEverything = !accepts
        case .object:
            let prefix = location.document == rootDocument ? "" : location.document + "#"
            var keywords = KeywordCompiler(schema: value, location: location, info: info, pathPrefix: prefix)
            try keywords.compile(into: &self)
            node.checks = keywords.checks
            node.needsAnnotations = keywords.needsAnnotations
        default:
            throw error(location, "a schema must be an object or a boolean, not \(value.kindName)")
        }
        return node
    }

    /// The node a `$ref` (or `$dynamicRef`) at `location` names, loading its document through
    /// the resolver when it is not known yet.
    mutating func target(of reference: String, from location: SchemaLocation, info: SchemaResources.Info)
        throws(JSONSchemaError) -> (node: SchemaNode, location: SchemaLocation) {
        let uri = SchemaURI.resolve(reference, against: info.baseURI)
        if resources.locate(uri) == nil {
            let resource = SchemaURI.split(uri).resource
            if !resources.isKnown(resource: resource), let document = resolver(resource) {
                switch document {
                case .object, .bool: resources.add(document, uri: resource, draft: info.draft)
                default: throw error(location, "the document \(resource) is not a schema but \(document.kindName)")
                }
            }
        }
        guard let target = resources.locate(uri) else {
            throw error(location, "the reference \(JSONValue.quoted(reference)) (\(uri)) cannot be resolved")
        }
        return (try node(at: target), target)
    }

    mutating func noteDynamicScope() { usesDynamicScope = true }
}

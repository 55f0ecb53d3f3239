import OrderedJSON

/// A subschema's place: the document it is in (by URI) and the JSON Pointer tokens to it.
struct SchemaLocation: Hashable {
    let document: String
    let tokens: [String]

    var key: String { document + "#" + JSONPointer.text(tokens) }

    func appending(_ more: String...) -> SchemaLocation {
        SchemaLocation(document: document, tokens: tokens + more)
    }
}

/// Every document a compilation knows, with the URIs (`$id`), anchors (`$anchor`, draft-07's
/// `"$id": "#name"`) and dynamic anchors declared in them, and for each subschema its base URI
/// and draft. Built by walking only the keywords that hold subschemas, so an `$id` inside an
/// `enum` or `const` value, or a property *named* `$id`, declares nothing.
struct SchemaResources {
    struct Info {
        let baseURI: String
        let draft: JSONSchemaDraft
    }

    private(set) var documents: [String: JSONValue] = [:]
    private(set) var resources: [String: SchemaLocation] = [:]
    private(set) var anchors: [String: SchemaLocation] = [:]
    /// Resource URI -> the names of the `$dynamicAnchor`s declared in it.
    private(set) var dynamicAnchors: [String: [String: SchemaLocation]] = [:]
    private var info: [SchemaLocation: Info] = [:]

    static let singleSchemaKeywords: Set<String> = [
        "additionalItems", "additionalProperties", "contains", "not", "if", "then", "else", "propertyNames",
        "unevaluatedItems", "unevaluatedProperties", "contentSchema", "items",
    ]
    static let schemaArrayKeywords: Set<String> = ["allOf", "anyOf", "oneOf", "prefixItems", "items"]
    static let schemaMapKeywords: Set<String> = ["properties", "patternProperties", "definitions", "$defs", "dependentSchemas", "dependencies"]

    /// Adds a document under `uri` (its `$id` may give it another URI too).
    mutating func add(_ document: JSONValue, uri: String, draft: JSONSchemaDraft) {
        guard documents[uri] == nil else { return }
        documents[uri] = document
        resources[uri] = SchemaLocation(document: uri, tokens: [])
        var draft = draft
        if let declared = document["$schema"]?.stringValue, let named = JSONSchemaDraft(metaschemaURI: declared) {
            draft = named
        }
        walk(document, at: SchemaLocation(document: uri, tokens: []), base: uri, draft: draft)
    }

    private mutating func walk(_ value: JSONValue, at location: SchemaLocation, base: String, draft: JSONSchemaDraft) {
        guard case .object(let members) = value else {
            info[location] = Info(baseURI: base, draft: draft)
            return
        }
        var base = base
        var draft = draft
        let hidden = draft.refHidesSiblings && value["$ref"] != nil
        if !hidden, let id = value[draft.idKeyword]?.stringValue {
            if let declared = value["$schema"]?.stringValue, let named = JSONSchemaDraft(metaschemaURI: declared) {
                draft = named
            }
            let resolved = SchemaURI.split(SchemaURI.resolve(id, against: base))
            if id.hasPrefix("#") && draft <= .draft7 {
                if !resolved.fragment.isEmpty { anchors[base + "#" + resolved.fragment] = location }
            } else {
                base = resolved.resource
                if resources[base] == nil { resources[base] = location }
                if !resolved.fragment.isEmpty && !resolved.fragment.hasPrefix("/") {
                    anchors[base + "#" + resolved.fragment] = location
                }
            }
        }
        if draft >= .draft2020_12 {
            if let anchor = value["$anchor"]?.stringValue { anchors[base + "#" + anchor] = location }
            if let anchor = value["$dynamicAnchor"]?.stringValue {
                anchors[base + "#" + anchor] = location
                dynamicAnchors[base, default: [:]][anchor] = location
            }
        }
        info[location] = Info(baseURI: base, draft: draft)
        for (key, member) in members {
            if Self.schemaArrayKeywords.contains(key), case .array(let items) = member {
                for (index, item) in items.enumerated() {
                    walk(item, at: location.appending(key, String(index)), base: base, draft: draft)
                }
            } else if Self.singleSchemaKeywords.contains(key) {
                walk(member, at: location.appending(key), base: base, draft: draft)
            } else if Self.schemaMapKeywords.contains(key), case .object(let entries) = member {
                for (name, entry) in entries {
                    walk(entry, at: location.appending(key, name), base: base, draft: draft)
                }
            }
        }
    }

    /// The value at a location.
    func value(at location: SchemaLocation) -> JSONValue? {
        documents[location.document].flatMap { JSONPointer.resolve(location.tokens, in: $0) }
    }

    /// The base URI and draft in force at a location: its own, or (for a place the walk did not
    /// reach, such as the inside of an unknown keyword) its nearest walked ancestor's.
    func info(at location: SchemaLocation) -> Info? {
        var tokens = location.tokens
        while true {
            if let found = info[SchemaLocation(document: location.document, tokens: tokens)] { return found }
            if tokens.isEmpty { return nil }
            tokens.removeLast()
        }
    }

    /// Where an absolute URI reference (resource plus fragment) points, if it is known.
    func locate(_ uri: String) -> SchemaLocation? {
        let (resource, fragment) = SchemaURI.split(uri)
        if fragment.isEmpty || fragment.hasPrefix("/") {
            guard let root = resources[resource], let tokens = JSONPointer.tokens(fragment) else { return nil }
            let location = SchemaLocation(document: root.document, tokens: root.tokens + tokens)
            return value(at: location) == nil ? nil : location
        }
        return anchors[resource + "#" + fragment]
    }

    func isKnown(resource: String) -> Bool { resources[resource] != nil }
}

import OrderedJSON

/// A JSON Schema compiled once for validating many documents (draft-07 and 2020-12; draft-04
/// and -06 keyword forms too).
///
/// Compiling resolves every `$ref` (JSON Pointers, `$id` base URIs, `$anchor`s, draft-07's
/// `"$id": "#name"`, 2020-12's `$dynamicRef`/`$dynamicAnchor`, other documents from `documents`
/// or the resolver) and checks each keyword's value, so a malformed schema fails here with the
/// JSON path of the problem, never later while validating. The draft comes from `$schema`,
/// draft-07 without it (Confluent's default). `format` is an assertion by default, as in
/// Confluent's validator (see ``JSONSchemaFormat``).
public struct JSONSchemaValidator: Sendable {
    /// The draft of the root schema.
    public let draft: JSONSchemaDraft
    private let root: SchemaNode
    private let tracksDynamicScope: Bool

    /// - Parameters:
    ///   - schema: the schema document, an object or a boolean.
    ///   - baseURI: the schema's URI when it has no `$id` (relative `$ref`s resolve against it).
    ///   - documents: documents `$ref`s may name, by URI or by name (the registry's reference
    ///     names, such as `address.json`); their own `$id`s are known too.
    ///   - resolver: asked for any other document a `$ref` names, by absolute URI.
    public init(schema: JSONValue, baseURI: String = "", defaultDraft: JSONSchemaDraft = .draft7,
                formatAssertion: Bool = true, documents: [String: JSONValue] = [:],
                resolver: @escaping JSONSchemaResolver = { _ in nil }) throws(JSONSchemaError) {
        switch schema {
        case .object, .bool: break
        default: throw JSONSchemaError(path: "", reason: "a JSON Schema is an object or a boolean, not \(schema.kindName)")
        }
        var draft = defaultDraft
        if let declared = schema["$schema"] {
            guard let uri = declared.stringValue else {
                throw JSONSchemaError(path: "/$schema", reason: "must be a string, not \(declared.kindName)")
            }
            draft = JSONSchemaDraft(metaschemaURI: uri) ?? defaultDraft
        }
        var resources = SchemaResources()
        resources.add(schema, uri: baseURI, draft: draft)
        for (name, document) in documents.sorted(by: { $0.key < $1.key }) {
            switch document {
            case .object, .bool: resources.add(document, uri: name, draft: draft)
            default: throw JSONSchemaError(path: name, reason: "a referenced schema is an object or a boolean, not \(document.kindName)")
            }
        }
        // A reference name may also be reached through a base URI: `https://example.com/a.json`
        // for the document named `a.json`.
        let byName = documents
        let lookup: JSONSchemaResolver = { uri in
            if let found = resolver(uri) { return found }
            return byName.first { uri.hasSuffix("/" + $0.key) }?.value
        }
        var compiler = SchemaCompiler(resources: resources, rootDocument: baseURI, resolver: lookup, formatAssertion: formatAssertion)
        self.root = try compiler.compileRoot()
        self.draft = draft
        self.tracksDynamicScope = compiler.usesDynamicScope
    }

    /// Whether `document` is valid; stops at the first failure.
    public func isValid(_ document: JSONValue) -> Bool {
        var evaluator = SchemaEvaluator(collecting: false, tracksDynamicScope: tracksDynamicScope)
        var none: Annotations? = nil
        return evaluator.evaluate(root, document, &none)
    }

    /// Every violation, each with its instance path, schema path and message (empty: valid).
    public func violations(of document: JSONValue) -> [JSONSchemaViolation] {
        var evaluator = SchemaEvaluator(collecting: true, tracksDynamicScope: tracksDynamicScope)
        var none: Annotations? = nil
        if evaluator.evaluate(root, document, &none) { return [] }
        if evaluator.violations.isEmpty {
            // Defensive: a failure always reports; never call an invalid document valid.
            return [JSONSchemaViolation(instancePath: "", schemaPath: "", message: "the document does not match the schema")]
        }
        return evaluator.violations
    }
}

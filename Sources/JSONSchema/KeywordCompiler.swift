import OrderedJSON

/// Compiles the keywords of one object schema into checks, rejecting malformed keyword values
/// with the keyword's path. Which keywords count depends on the draft: draft-07 reads `items`
/// arrays, `additionalItems` and `dependencies` and lets `$ref` hide its siblings; 2020-12 reads
/// `prefixItems`, `dependentRequired`/`dependentSchemas`, `$dynamicRef` and `unevaluated*`.
/// Unknown keywords are ignored, as the specification says.
struct KeywordCompiler {
    let schema: JSONValue
    let location: SchemaLocation
    let info: SchemaResources.Info
    /// Prefix of error paths: empty in the schema itself, `uri#` in a referenced document.
    let pathPrefix: String
    private(set) var checks: [Check] = []
    private(set) var needsAnnotations = false
    private var draft: JSONSchemaDraft { info.draft }

    init(schema: JSONValue, location: SchemaLocation, info: SchemaResources.Info, pathPrefix: String) {
        self.schema = schema
        self.location = location
        self.info = info
        self.pathPrefix = pathPrefix
    }

    mutating func compile(into compiler: inout SchemaCompiler) throws(JSONSchemaError) {
        if let reference = schema["$ref"] {
            let text = try string(reference, "$ref")
            checks.append(.ref(try compiler.target(of: text, from: location.appending("$ref"), info: info).node, keyword: "$ref"))
            if draft.refHidesSiblings { return }
        }
        if draft >= .draft2020_12, let reference = schema["$dynamicRef"] {
            let text = try string(reference, "$dynamicRef")
            let (node, target) = try compiler.target(of: text, from: location.appending("$dynamicRef"), info: info)
            let fragment = SchemaURI.split(SchemaURI.resolve(text, against: info.baseURI)).fragment
            if !fragment.isEmpty, !fragment.hasPrefix("/"),
               compiler.resources.value(at: target)?["$dynamicAnchor"]?.stringValue == fragment {
                compiler.noteDynamicScope()
                checks.append(.dynamicRef(node, anchor: fragment))
            } else {
                checks.append(.ref(node, keyword: "$dynamicRef"))
            }
        }
        try compileGeneric(&compiler)
        try compileNumeric()
        try compileString(&compiler)
        try compileArray(&compiler)
        try compileObject(&compiler)
        try compileCombinators(&compiler)
        // Last: they depend on what every other keyword of this schema evaluated.
        if draft >= .draft2020_12 {
            if schema["unevaluatedItems"] != nil {
                checks.append(.unevaluatedItems(try subschema(&compiler, "unevaluatedItems")))
                needsAnnotations = true
            }
            if schema["unevaluatedProperties"] != nil {
                checks.append(.unevaluatedProperties(try subschema(&compiler, "unevaluatedProperties")))
                needsAnnotations = true
            }
        }
    }

    // MARK: keyword values

    private func fail(_ keyword: String, _ reason: String) -> JSONSchemaError {
        JSONSchemaError(path: path([keyword]), reason: reason)
    }

    private func path(_ below: [String]) -> String {
        pathPrefix + JSONPointer.text(location.tokens + below)
    }

    private func string(_ value: JSONValue, _ keyword: String) throws(JSONSchemaError) -> String {
        guard let text = value.stringValue else { throw fail(keyword, "must be a string, not \(value.kindName)") }
        return text
    }

    private func number(_ keyword: String) throws(JSONSchemaError) -> (Double, String)? {
        guard let value = schema[keyword] else { return nil }
        guard let number = value.doubleValue else { throw fail(keyword, "must be a number, not \(value.kindName)") }
        return (number, value.compactText)
    }

    private func count(_ keyword: String) throws(JSONSchemaError) -> Int? {
        guard let value = schema[keyword] else { return nil }
        guard let number = value.doubleValue, number >= 0, number == number.rounded(), number < 1e18 else {
            throw fail(keyword, "must be a non-negative integer, not \(value.compactText)")
        }
        return Int(number)
    }

    private func stringList(_ value: JSONValue, _ path: String...) throws(JSONSchemaError) -> [String] {
        let at = location.tokens + path
        guard let items = value.arrayValue else {
            throw JSONSchemaError(path: pathPrefix + JSONPointer.text(at), reason: "must be an array of strings, not \(value.kindName)")
        }
        var names: [String] = []
        for (index, item) in items.enumerated() {
            guard let name = item.stringValue else {
                throw JSONSchemaError(path: pathPrefix + JSONPointer.text(at + [String(index)]), reason: "must be a string, not \(item.kindName)")
            }
            names.append(name)
        }
        return names
    }

    private func subschema(_ compiler: inout SchemaCompiler, _ path: String...) throws(JSONSchemaError) -> SchemaNode {
        try compiler.node(at: SchemaLocation(document: location.document, tokens: location.tokens + path))
    }

    private func schemaArray(_ compiler: inout SchemaCompiler, _ keyword: String) throws(JSONSchemaError) -> [SchemaNode]? {
        guard let value = schema[keyword] else { return nil }
        guard let items = value.arrayValue, !items.isEmpty else {
            throw fail(keyword, "must be a non-empty array of schemas, not \(value.compactText.prefix(40))")
        }
        var nodes: [SchemaNode] = []
        for index in items.indices { nodes.append(try subschema(&compiler, keyword, String(index))) }
        return nodes
    }

    private func schemaMap(_ compiler: inout SchemaCompiler, _ keyword: String) throws(JSONSchemaError) -> [(String, SchemaNode)] {
        guard let value = schema[keyword] else { return [] }
        guard let members = value.objectValue else { throw fail(keyword, "must be an object of schemas, not \(value.kindName)") }
        var nodes: [(String, SchemaNode)] = []
        for (name, _) in members { nodes.append((name, try subschema(&compiler, keyword, name))) }
        return nodes
    }

    private func pattern(_ source: String, _ path: String...) throws(JSONSchemaError) -> CompiledPattern {
        do {
            return CompiledPattern(source: source, expression: try ECMARegex.compile(source))
        } catch {
            throw JSONSchemaError(path: self.path(path), reason: "invalid regular expression: \(error.reason)")
        }
    }

    // MARK: keyword groups

    private mutating func compileGeneric(_ compiler: inout SchemaCompiler) throws(JSONSchemaError) {
        if let type = schema["type"] {
            var mask: TypeMask = []
            let names: [String]
            if let single = type.stringValue { names = [single] } else { names = try stringList(type, "type") }
            for name in names {
                guard let one = TypeMask(name: name) else {
                    throw fail("type", "unknown type \(JSONValue.quoted(name)); the types are null, boolean, integer, number, string, array, object")
                }
                mask.insert(one)
            }
            checks.append(.type(mask))
        }
        if let options = schema["enum"] {
            guard let items = options.arrayValue else { throw fail("enum", "must be an array, not \(options.kindName)") }
            checks.append(.enumeration(items))
        }
        if draft >= .draft6, let constant = schema["const"] { checks.append(.constant(constant)) }
    }

    private mutating func compileNumeric() throws(JSONSchemaError) {
        if draft == .draft4 {
            for (keyword, flag, plain, exclusive) in [("minimum", "exclusiveMinimum", BoundKind.minimum, BoundKind.exclusiveMinimum),
                                                      ("maximum", "exclusiveMaximum", .maximum, .exclusiveMaximum)] {
                guard let (limit, text) = try number(keyword) else { continue }
                let isExclusive = schema[flag]?.boolValue ?? false
                checks.append(.bound(isExclusive ? exclusive : plain, limit: limit, text: text, keyword: isExclusive ? flag : keyword))
            }
        } else {
            for (keyword, kind) in [("minimum", BoundKind.minimum), ("maximum", .maximum),
                                    ("exclusiveMinimum", .exclusiveMinimum), ("exclusiveMaximum", .exclusiveMaximum)] {
                if let (limit, text) = try number(keyword) { checks.append(.bound(kind, limit: limit, text: text, keyword: keyword)) }
            }
        }
        if let (divisor, text) = try number("multipleOf") {
            guard divisor > 0 else { throw fail("multipleOf", "must be greater than 0, not \(text)") }
            checks.append(.multipleOf(divisor, text: text))
        }
    }

    private mutating func compileString(_ compiler: inout SchemaCompiler) throws(JSONSchemaError) {
        if let limit = try count("minLength") { checks.append(.minLength(limit)) }
        if let limit = try count("maxLength") { checks.append(.maxLength(limit)) }
        if let source = schema["pattern"] { checks.append(.pattern(try pattern(try string(source, "pattern"), "pattern"))) }
        if let name = schema["format"] {
            let text = try string(name, "format")
            if compiler.formatAssertion, let format = JSONSchemaFormat(name: text) { checks.append(.format(format)) }
        }
    }

    private mutating func compileArray(_ compiler: inout SchemaCompiler) throws(JSONSchemaError) {
        if let limit = try count("minItems") { checks.append(.minItems(limit)) }
        if let limit = try count("maxItems") { checks.append(.maxItems(limit)) }
        if let unique = schema["uniqueItems"] {
            guard let flag = unique.boolValue else { throw fail("uniqueItems", "must be a boolean, not \(unique.kindName)") }
            if flag { checks.append(.uniqueItems) }
        }
        if draft >= .draft2020_12 {
            let prefix = try schemaArray(&compiler, "prefixItems") ?? []
            let rest = schema["items"] == nil ? nil : try subschema(&compiler, "items")
            if !prefix.isEmpty || rest != nil {
                checks.append(.items(prefix: prefix, prefixKeyword: "prefixItems", rest: rest, restKeyword: "items"))
            }
        } else if let items = schema["items"] {
            if case .array(let list) = items {
                var prefix: [SchemaNode] = []
                for index in list.indices { prefix.append(try subschema(&compiler, "items", String(index))) }
                let rest = schema["additionalItems"] == nil ? nil : try subschema(&compiler, "additionalItems")
                checks.append(.items(prefix: prefix, prefixKeyword: "items", rest: rest, restKeyword: "additionalItems"))
            } else {
                checks.append(.items(prefix: [], prefixKeyword: "items", rest: try subschema(&compiler, "items"), restKeyword: "items"))
            }
        }
        if draft >= .draft6, schema["contains"] != nil {
            let node = try subschema(&compiler, "contains")
            let minimum = draft >= .draft2020_12 ? try count("minContains") ?? 1 : 1
            let maximum = draft >= .draft2020_12 ? try count("maxContains") : nil
            checks.append(.contains(node, minimum: minimum, maximum: maximum))
        }
    }

    private mutating func compileObject(_ compiler: inout SchemaCompiler) throws(JSONSchemaError) {
        if let limit = try count("minProperties") { checks.append(.minProperties(limit)) }
        if let limit = try count("maxProperties") { checks.append(.maxProperties(limit)) }
        if let required = schema["required"] { checks.append(.required(try stringList(required, "required"))) }
        let properties = Dictionary(try schemaMap(&compiler, "properties"), uniquingKeysWith: { first, _ in first })
        var patterns: [(CompiledPattern, SchemaNode)] = []
        for (source, node) in try schemaMap(&compiler, "patternProperties") {
            patterns.append((try pattern(source, "patternProperties", source), node))
        }
        let additional = schema["additionalProperties"] == nil ? nil : try subschema(&compiler, "additionalProperties")
        if !properties.isEmpty || !patterns.isEmpty || additional != nil {
            checks.append(.members(properties: properties, patterns: patterns, additional: additional))
        }
        if draft >= .draft6, schema["propertyNames"] != nil { checks.append(.propertyNames(try subschema(&compiler, "propertyNames"))) }
        if draft >= .draft2020_12 {
            if let dependent = schema["dependentRequired"] {
                guard let members = dependent.objectValue else { throw fail("dependentRequired", "must be an object, not \(dependent.kindName)") }
                var rules: [(String, [String])] = []
                for (name, needs) in members { rules.append((name, try stringList(needs, "dependentRequired", name))) }
                checks.append(.dependentRequired(rules, keyword: "dependentRequired"))
            }
            let schemas = try schemaMap(&compiler, "dependentSchemas")
            if !schemas.isEmpty { checks.append(.dependentSchemas(schemas, keyword: "dependentSchemas")) }
        } else if let dependencies = schema["dependencies"] {
            guard let members = dependencies.objectValue else { throw fail("dependencies", "must be an object, not \(dependencies.kindName)") }
            var required: [(String, [String])] = []
            var schemas: [(String, SchemaNode)] = []
            for (name, rule) in members {
                if case .array = rule {
                    required.append((name, try stringList(rule, "dependencies", name)))
                } else {
                    schemas.append((name, try subschema(&compiler, "dependencies", name)))
                }
            }
            if !required.isEmpty { checks.append(.dependentRequired(required, keyword: "dependencies")) }
            if !schemas.isEmpty { checks.append(.dependentSchemas(schemas, keyword: "dependencies")) }
        }
    }

    private mutating func compileCombinators(_ compiler: inout SchemaCompiler) throws(JSONSchemaError) {
        if let nodes = try schemaArray(&compiler, "allOf") { checks.append(.allOf(nodes)) }
        if let nodes = try schemaArray(&compiler, "anyOf") { checks.append(.anyOf(nodes)) }
        if let nodes = try schemaArray(&compiler, "oneOf") { checks.append(.oneOf(nodes)) }
        if schema["not"] != nil { checks.append(.not(try subschema(&compiler, "not"))) }
        if draft >= .draft7, schema["if"] != nil {
            let condition = try subschema(&compiler, "if")
            let then = schema["then"] == nil ? nil : try subschema(&compiler, "then")
            let otherwise = schema["else"] == nil ? nil : try subschema(&compiler, "else")
            // Without then/else, `if` still contributes annotations to `unevaluated*`.
            checks.append(.conditional(if: condition, then: then, else: otherwise))
        }
    }
}

import Foundation
import OrderedJSON

/// One way a document breaks a schema: where in the document, which keyword of the schema, why.
public struct JSONSchemaViolation: Sendable, Equatable, CustomStringConvertible {
    /// JSON Pointer into the document (`/items/3/name`).
    public var instancePath: String
    /// JSON Pointer into the schema (`/properties/items/items/required`).
    public var schemaPath: String
    public var message: String

    public var description: String {
        "\(instancePath.isEmpty ? "/" : instancePath): \(message) (schema \(schemaPath.isEmpty ? "/" : schemaPath))"
    }
}

/// Validates documents against a JSON Schema (draft-07 and 2020-12 keywords used in practice):
/// type, enum, const, numeric and string bounds, pattern, format (date-time, date, email, uuid,
/// uri), properties / required / additionalProperties / patternProperties / propertyNames,
/// min/maxProperties, items (and prefixItems) / additionalItems / contains / uniqueItems,
/// allOf / anyOf / oneOf / not, if / then / else, dependentRequired, and `$ref` to local
/// definitions (`#/definitions/...`, `#/$defs/...`) or to documents a resolver supplies.
public struct JSONSchemaValidator {
    public let schema: JSONValue
    /// Documents `$ref`s may name (the registry's references), by name.
    public let documents: [String: JSONValue]

    public init(schema: JSONValue, documents: [String: JSONValue] = [:]) {
        self.schema = schema
        self.documents = documents
    }

    /// Every violation (empty: valid).
    public func violations(of document: JSONValue) -> [JSONSchemaViolation] {
        var found: [JSONSchemaViolation] = []
        validate(document, against: schema, root: schema, instancePath: "", schemaPath: "", depth: 0, into: &found)
        return found
    }

    private func resolve(_ ref: String, root: JSONValue) -> (JSONValue, JSONValue)? {
        let parts = ref.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)
        guard var target = parts[0].isEmpty ? root : documents[String(parts[0])] else { return nil }
        let base = target
        for part in (parts.count > 1 ? parts[1] : "").split(separator: "/") {
            let key = part.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            if let index = Int(key), let items = target.arrayValue, items.indices.contains(index) {
                target = items[index]
            } else if let next = target[key] {
                target = next
            } else {
                return nil
            }
        }
        return (target, base)
    }

    private static func isInteger(_ value: JSONValue) -> Bool {
        guard let number = value.doubleValue else { return false }
        return number.isFinite && number == number.rounded()
    }

    private static func typeMatches(_ value: JSONValue, _ type: String) -> Bool {
        switch (type, value) {
        case ("null", .null), ("boolean", .bool), ("string", .string), ("array", .array), ("object", .object): true
        case ("number", .number): true
        case ("integer", .number): isInteger(value)
        default: false
        }
    }

    private static let formats: [String: NSRegularExpression] = {
        let patterns = [
            "date-time": #"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$"#,
            "date": #"^\d{4}-\d{2}-\d{2}$"#,
            "email": #"^[^@\s]+@[^@\s]+$"#,
            "uuid": #"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"#,
            "uri": #"^[A-Za-z][A-Za-z0-9+.-]*:[^\s]*$"#,
        ]
        return patterns.compactMapValues { try? NSRegularExpression(pattern: $0) }
    }()

    private static func matches(_ text: String, _ pattern: String) -> Bool? {
        guard let expression = try? NSRegularExpression(pattern: pattern) else { return nil }
        return expression.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }

    private func validate(_ value: JSONValue, against schema: JSONValue, root: JSONValue, instancePath: String,
                          schemaPath: String, depth: Int, into found: inout [JSONSchemaViolation]) {
        func fail(_ keyword: String, _ message: String) {
            found.append(JSONSchemaViolation(instancePath: instancePath, schemaPath: "\(schemaPath)/\(keyword)", message: message))
        }
        guard depth < 64 else { return fail("$ref", "schema references nest deeper than 64 levels") }
        switch schema {
        case .bool(true): return
        case .bool(false): return fail("", "no value is allowed here")
        case .object: break
        default: return
        }
        if let ref = schema["$ref"]?.stringValue {
            if let (target, base) = resolve(ref, root: root) {
                validate(value, against: target, root: base, instancePath: instancePath, schemaPath: "\(schemaPath)/$ref",
                         depth: depth + 1, into: &found)
            } else {
                fail("$ref", "the reference \(ref) cannot be resolved")
            }
        }
        switch schema["type"] {
        case .string(let type)? where !Self.typeMatches(value, type):
            fail("type", "expected \(type), found \(value.kindName)")
        case .array(let types)? where !types.compactMap(\.stringValue).contains(where: { Self.typeMatches(value, $0) }):
            fail("type", "expected one of \(types.compactMap(\.stringValue)), found \(value.kindName)")
        default: break
        }
        if let options = schema["enum"]?.arrayValue, !options.contains(value) {
            fail("enum", "\(value.compactText) is not one of \(JSONValue.array(options).compactText)")
        }
        if let constant = schema["const"], constant != value {
            fail("const", "\(value.compactText) is not \(constant.compactText)")
        }
        if let number = value.doubleValue {
            let shown = value.compactText
            func bound(_ keyword: String) -> (Double, String)? {
                schema[keyword].flatMap { limit in limit.doubleValue.map { ($0, limit.compactText) } }
            }
            if let (limit, text) = bound("minimum"), number < limit { fail("minimum", "\(shown) is below \(text)") }
            if let (limit, text) = bound("maximum"), number > limit { fail("maximum", "\(shown) is above \(text)") }
            if let (limit, text) = bound("exclusiveMinimum"), number <= limit { fail("exclusiveMinimum", "\(shown) is not above \(text)") }
            if let (limit, text) = bound("exclusiveMaximum"), number >= limit { fail("exclusiveMaximum", "\(shown) is not below \(text)") }
            if let (divisor, text) = bound("multipleOf"), divisor > 0 {
                let quotient = number / divisor
                if abs(quotient - quotient.rounded()) > 1e-9 { fail("multipleOf", "\(shown) is not a multiple of \(text)") }
            }
        }
        if case .string(let text) = value {
            let length = text.unicodeScalars.count
            if let limit = schema["minLength"]?.integerValue, length < limit { fail("minLength", "\(length) characters, at least \(limit) needed") }
            if let limit = schema["maxLength"]?.integerValue, length > limit { fail("maxLength", "\(length) characters, at most \(limit) allowed") }
            if let pattern = schema["pattern"]?.stringValue, Self.matches(text, pattern) == false {
                fail("pattern", "\(value.compactText) does not match \(pattern)")
            }
            if let format = schema["format"]?.stringValue, let expression = Self.formats[format],
               expression.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) == nil {
                fail("format", "\(value.compactText) is not a valid \(format)")
            }
        }
        if case .object(let members) = value {
            validateObject(members, value, schema, root, instancePath, schemaPath, depth, &found)
        }
        if case .array(let items) = value {
            validateArray(items, schema, root, instancePath, schemaPath, depth, &found)
        }
        // Combinators and conditionals.
        if let all = schema["allOf"]?.arrayValue {
            for (index, branch) in all.enumerated() {
                validate(value, against: branch, root: root, instancePath: instancePath, schemaPath: "\(schemaPath)/allOf/\(index)", depth: depth + 1, into: &found)
            }
        }
        let passes: (JSONValue) -> Bool = { branch in
            var probe: [JSONSchemaViolation] = []
            validate(value, against: branch, root: root, instancePath: instancePath, schemaPath: schemaPath, depth: depth + 1, into: &probe)
            return probe.isEmpty
        }
        if let any = schema["anyOf"]?.arrayValue, !any.contains(where: passes) {
            fail("anyOf", "matches none of the \(any.count) schemas")
        }
        if let one = schema["oneOf"]?.arrayValue {
            let count = one.filter(passes).count
            if count != 1 { fail("oneOf", "matches \(count) of the \(one.count) schemas, exactly one needed") }
        }
        if let not = schema["not"], passes(not) {
            fail("not", "matches a schema it must not match")
        }
        if let condition = schema["if"] {
            let branch = passes(condition) ? "then" : "else"
            if let next = schema[branch] {
                validate(value, against: next, root: root, instancePath: instancePath, schemaPath: "\(schemaPath)/\(branch)", depth: depth + 1, into: &found)
            }
        }
    }

    private func validateObject(_ members: [(key: String, value: JSONValue)], _ value: JSONValue, _ schema: JSONValue, _ root: JSONValue,
                                _ instancePath: String, _ schemaPath: String, _ depth: Int, _ found: inout [JSONSchemaViolation]) {
        func fail(_ keyword: String, _ message: String) {
            found.append(JSONSchemaViolation(instancePath: instancePath, schemaPath: "\(schemaPath)/\(keyword)", message: message))
        }
        for name in schema["required"]?.arrayValue?.compactMap(\.stringValue) ?? [] where value[name] == nil {
            fail("required", "the property \"\(name)\" is required")
        }
        if let limit = schema["minProperties"]?.integerValue, members.count < limit { fail("minProperties", "\(members.count) properties, at least \(limit) needed") }
        if let limit = schema["maxProperties"]?.integerValue, members.count > limit { fail("maxProperties", "\(members.count) properties, at most \(limit) allowed") }
        if let dependent = schema["dependentRequired"]?.objectValue {
            for (name, needs) in dependent where value[name] != nil {
                for other in needs.arrayValue?.compactMap(\.stringValue) ?? [] where value[other] == nil {
                    fail("dependentRequired", "\"\(name)\" needs \"\(other)\"")
                }
            }
        }
        let properties = schema["properties"]?.objectValue ?? []
        let patterns = schema["patternProperties"]?.objectValue ?? []
        for (key, member) in members {
            let path = "\(instancePath)/\(key.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1"))"
            var covered = false
            if let property = properties.first(where: { $0.key == key }) {
                covered = true
                validate(member, against: property.value, root: root, instancePath: path, schemaPath: "\(schemaPath)/properties/\(key)",
                         depth: depth + 1, into: &found)
            }
            for (pattern, propertySchema) in patterns where Self.matches(key, pattern) == true {
                covered = true
                validate(member, against: propertySchema, root: root, instancePath: path, schemaPath: "\(schemaPath)/patternProperties/\(pattern)",
                         depth: depth + 1, into: &found)
            }
            if !covered, let additional = schema["additionalProperties"] {
                if additional == .bool(false) {
                    found.append(JSONSchemaViolation(instancePath: path, schemaPath: "\(schemaPath)/additionalProperties",
                                                     message: "the property \"\(key)\" is not allowed"))
                } else {
                    validate(member, against: additional, root: root, instancePath: path, schemaPath: "\(schemaPath)/additionalProperties",
                             depth: depth + 1, into: &found)
                }
            }
            if let names = schema["propertyNames"] {
                validate(.string(key), against: names, root: root, instancePath: path, schemaPath: "\(schemaPath)/propertyNames",
                         depth: depth + 1, into: &found)
            }
        }
    }

    private func validateArray(_ items: [JSONValue], _ schema: JSONValue, _ root: JSONValue, _ instancePath: String,
                               _ schemaPath: String, _ depth: Int, _ found: inout [JSONSchemaViolation]) {
        func fail(_ keyword: String, _ message: String) {
            found.append(JSONSchemaViolation(instancePath: instancePath, schemaPath: "\(schemaPath)/\(keyword)", message: message))
        }
        if let limit = schema["minItems"]?.integerValue, items.count < limit { fail("minItems", "\(items.count) items, at least \(limit) needed") }
        if let limit = schema["maxItems"]?.integerValue, items.count > limit { fail("maxItems", "\(items.count) items, at most \(limit) allowed") }
        if schema["uniqueItems"] == .bool(true), Set(items).count != items.count { fail("uniqueItems", "the items are not unique") }
        // draft-07 tuple form (items: [...], additionalItems) and 2020-12 (prefixItems, items).
        let prefix = schema["prefixItems"]?.arrayValue ?? schema["items"]?.arrayValue ?? []
        let prefixKeyword = schema["prefixItems"] != nil ? "prefixItems" : "items"
        let rest: JSONValue? = schema["prefixItems"] != nil || schema["items"]?.arrayValue == nil
            ? schema["items"].flatMap { $0.arrayValue == nil ? $0 : nil } : schema["additionalItems"]
        let restKeyword = schema["items"]?.arrayValue != nil ? "additionalItems" : "items"
        for (index, item) in items.enumerated() {
            if index < prefix.count {
                validate(item, against: prefix[index], root: root, instancePath: "\(instancePath)/\(index)",
                         schemaPath: "\(schemaPath)/\(prefixKeyword)/\(index)", depth: depth + 1, into: &found)
            } else if let rest {
                validate(item, against: rest, root: root, instancePath: "\(instancePath)/\(index)", schemaPath: "\(schemaPath)/\(restKeyword)",
                         depth: depth + 1, into: &found)
            }
        }
        if let contains = schema["contains"] {
            let matching = items.filter { item in
                var probe: [JSONSchemaViolation] = []
                validate(item, against: contains, root: root, instancePath: instancePath, schemaPath: schemaPath, depth: depth + 1, into: &probe)
                return probe.isEmpty
            }.count
            let minimum = schema["minContains"]?.integerValue ?? 1
            if matching < minimum { fail("contains", "\(matching) items match, at least \(minimum) needed") }
            if let maximum = schema["maxContains"]?.integerValue, matching > maximum { fail("maxContains", "\(matching) items match, at most \(maximum) allowed") }
        }
    }
}

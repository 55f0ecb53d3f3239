import Foundation
import OrderedJSON

/// A compiled subschema: the checks of its keywords in evaluation order (annotation-dependent
/// `unevaluated*` last). Nodes form a graph: a `$ref` points at the node of its target, so a
/// recursive schema is a cycle, compiled once.
///
/// Written only while the compiler builds the graph, read-only afterwards; that is why it can be
/// shared between threads although it is a class with variable fields.
final class SchemaNode: @unchecked Sendable {
    var checks: [Check] = []
    /// The `false` schema (or an always-failing one).
    var rejectsEverything = false
    /// The schema resource this node belongs to (for `$dynamicRef`'s dynamic scope).
    let scope: ResourceScope
    /// The node has `unevaluatedProperties`/`unevaluatedItems`, which need the annotations of
    /// its other keywords.
    var needsAnnotations = false

    init(scope: ResourceScope) { self.scope = scope }
}

/// A schema resource (a document or a subschema with `$id`) and its `$dynamicAnchor`s.
final class ResourceScope: @unchecked Sendable {
    let uri: String
    var dynamicAnchors: [String: SchemaNode] = [:]

    init(uri: String) { self.uri = uri }
}

/// A compiled regular expression with its source text (for messages), and the byte matcher for
/// the simple patterns it can take over.
struct CompiledPattern: @unchecked Sendable {
    let source: String
    let expression: NSRegularExpression
    let simple: SimplePattern?

    init(source: String, expression: NSRegularExpression) {
        self.source = source
        self.expression = expression
        self.simple = SimplePattern(source)
    }

    func matches(_ text: String) -> Bool {
        if let simple { return simple.matches(text) }
        let utf16 = text.utf16.count
        return expression.firstMatch(in: text, options: [], range: NSRange(location: 0, length: utf16)) != nil
    }
}

/// The JSON types of the `type` keyword as a bit set.
struct TypeMask: OptionSet, Sendable {
    let rawValue: UInt8
    static let null = TypeMask(rawValue: 1)
    static let boolean = TypeMask(rawValue: 2)
    static let integer = TypeMask(rawValue: 4)
    static let number = TypeMask(rawValue: 8)
    static let string = TypeMask(rawValue: 16)
    static let array = TypeMask(rawValue: 32)
    static let object = TypeMask(rawValue: 64)

    static let names: [(String, TypeMask)] = [
        ("null", .null), ("boolean", .boolean), ("integer", .integer), ("number", .number),
        ("string", .string), ("array", .array), ("object", .object),
    ]

    init(rawValue: UInt8) { self.rawValue = rawValue }

    init?(name: String) {
        guard let found = Self.names.first(where: { $0.0 == name }) else { return nil }
        self = found.1
    }

    var description: String {
        let names = Self.names.filter { contains($0.1) }.map(\.0)
        return names.count == 1 ? names[0] : "one of " + names.joined(separator: ", ")
    }
}

enum BoundKind {
    case minimum, maximum, exclusiveMinimum, exclusiveMaximum
}

/// One keyword's compiled form. Subschemas are nodes; the strings are the keyword's path
/// segments below its node, used to build schema paths of violations.
enum Check {
    case type(TypeMask)
    case enumeration([JSONValue])
    case constant(JSONValue)
    case bound(BoundKind, limit: Double, text: String, keyword: String)
    case multipleOf(Double, text: String)
    case minLength(Int)
    case maxLength(Int)
    case pattern(CompiledPattern)
    case format(JSONSchemaFormat)

    case minItems(Int)
    case maxItems(Int)
    case uniqueItems
    /// draft-07 `items` (array) + `additionalItems`, or 2020-12 `prefixItems` + `items`.
    case items(prefix: [SchemaNode], prefixKeyword: String, rest: SchemaNode?, restKeyword: String)
    case contains(SchemaNode, minimum: Int, maximum: Int?)
    case unevaluatedItems(SchemaNode)

    case minProperties(Int)
    case maxProperties(Int)
    case required([String])
    /// `properties`, `patternProperties` and `additionalProperties`, which depend on each other.
    case members(properties: [String: SchemaNode], patterns: [(CompiledPattern, SchemaNode)], additional: SchemaNode?)
    case propertyNames(SchemaNode)
    case dependentRequired([(String, [String])], keyword: String)
    case dependentSchemas([(String, SchemaNode)], keyword: String)
    case unevaluatedProperties(SchemaNode)

    case allOf([SchemaNode])
    case anyOf([SchemaNode])
    case oneOf([SchemaNode])
    case not(SchemaNode)
    case conditional(if: SchemaNode, then: SchemaNode?, else: SchemaNode?)
    case ref(SchemaNode, keyword: String)
    /// A `$dynamicRef` whose static target has the matching `$dynamicAnchor`: at run time the
    /// outermost resource in the dynamic scope with that anchor wins.
    case dynamicRef(SchemaNode, anchor: String)
}

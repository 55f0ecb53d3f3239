import OrderedJSON

/// What in-place subschemas evaluated of an instance, for `unevaluatedProperties` and
/// `unevaluatedItems`. Only collected below a node that has one of those keywords.
struct Annotations {
    var properties: Set<String> = []
    var allProperties = false
    var items: Set<Int> = []
    var allItems = false

    mutating func merge(_ other: Annotations) {
        properties.formUnion(other.properties)
        items.formUnion(other.items)
        allProperties = allProperties || other.allProperties
        allItems = allItems || other.allItems
    }
}

enum PathToken {
    case key(String)
    case index(Int)
}

/// One validation run over a compiled schema. In collecting mode every violation is recorded
/// with its paths; otherwise the first failure ends the run (as inside `anyOf`, `not`, `if` and
/// `contains`, whose failures are not violations of the document). Paths are stacks of tokens,
/// turned into text only when a violation is recorded.
struct SchemaEvaluator {
    static let maxDepth = 600

    var collecting: Bool
    let tracksDynamicScope: Bool
    var violations: [JSONSchemaViolation] = []
    private var instancePath: [PathToken] = []
    private var schemaPath: [String] = []
    private var dynamicScope: [ResourceScope] = []
    private var depth = 0

    init(collecting: Bool, tracksDynamicScope: Bool) {
        self.collecting = collecting
        self.tracksDynamicScope = tracksDynamicScope
    }

    mutating func report(_ keyword: [String], _ message: @autoclosure () -> String) {
        guard collecting else { return }
        var instance = ""
        for token in instancePath {
            switch token {
            case .key(let key): instance += "/" + JSONPointer.escape(key)
            case .index(let index): instance += "/" + String(index)
            }
        }
        violations.append(JSONSchemaViolation(instancePath: instance, schemaPath: JSONPointer.text(schemaPath + keyword),
                                              message: message()))
    }

    /// Runs `body` in fast mode (no violations recorded), restoring the mode afterwards.
    mutating func probing<T>(_ body: (inout SchemaEvaluator) -> T) -> T {
        let saved = collecting
        collecting = false
        defer { collecting = saved }
        return body(&self)
    }

    mutating func evaluate(_ node: SchemaNode, _ value: JSONValue, _ annotations: inout Annotations?) -> Bool {
        if node.rejectsEverything {
            report([], "no value is allowed here (the schema is false)")
            return false
        }
        if node.checks.isEmpty { return true }
        depth += 1
        defer { depth -= 1 }
        guard depth < Self.maxDepth else {
            report([], "evaluation nests deeper than \(Self.maxDepth) levels (a reference loop that never reaches a keyword?)")
            return false
        }
        var enteredScope = false
        if tracksDynamicScope, dynamicScope.last !== node.scope {
            dynamicScope.append(node.scope)
            enteredScope = true
        }
        defer { if enteredScope { dynamicScope.removeLast() } }
        if annotations == nil && node.needsAnnotations {
            var own: Annotations? = Annotations()
            return evaluateChecks(node, value, &own)
        }
        return evaluateChecks(node, value, &annotations)
    }

    private mutating func evaluateChecks(_ node: SchemaNode, _ value: JSONValue, _ annotations: inout Annotations?) -> Bool {
        var valid = true
        for check in node.checks where !evaluate(check, value, &annotations) {
            valid = false
            if !collecting { return false }
        }
        return valid
    }

    /// An in-place subschema (same instance): its annotations count only if it passes.
    /// (Path segments are separate parameters, not an array: no allocation per call.)
    mutating func inPlace(_ node: SchemaNode, _ value: JSONValue, _ annotations: inout Annotations?,
                          _ keyword: String, _ second: String? = nil) -> Bool {
        schemaPath.append(keyword)
        if let second { schemaPath.append(second) }
        defer { schemaPath.removeLast(second == nil ? 1 : 2) }
        if annotations == nil {
            var none: Annotations? = nil
            return evaluate(node, value, &none)
        }
        var own: Annotations? = Annotations()
        let valid = evaluate(node, value, &own)
        // A failed subschema's annotations are dropped, except when collecting: then the
        // document is invalid anyway (probes run in fast mode), and keeping them spares a
        // second report of the same members as unevaluated.
        if valid || collecting, let own { annotations!.merge(own) }
        return valid
    }

    /// A subschema applied to a member or item of the instance.
    mutating func child(_ node: SchemaNode, _ value: JSONValue, _ token: PathToken, _ keyword: String, _ second: String? = nil) -> Bool {
        instancePath.append(token)
        schemaPath.append(keyword)
        if let second { schemaPath.append(second) }
        defer {
            instancePath.removeLast()
            schemaPath.removeLast(second == nil ? 1 : 2)
        }
        var none: Annotations? = nil
        return evaluate(node, value, &none)
    }

    /// The outermost resource in the dynamic scope that declares `anchor` as a `$dynamicAnchor`.
    func dynamicScopeTarget(_ anchor: String) -> SchemaNode? {
        for scope in dynamicScope {
            if let node = scope.dynamicAnchors[anchor] { return node }
        }
        return nil
    }

    static func isInteger(_ text: String) -> Bool {
        if !text.utf8.contains(where: { $0 == UInt8(ascii: ".") || $0 | 0x20 == UInt8(ascii: "e") }) { return true }
        guard let number = Double(text) else { return false }
        return number.isFinite && number == number.rounded()
    }

    static func matches(_ value: JSONValue, _ mask: TypeMask) -> Bool {
        switch value {
        case .null: mask.contains(.null)
        case .bool: mask.contains(.boolean)
        case .number(let text): mask.contains(.number) || (mask.contains(.integer) && isInteger(text))
        case .string: mask.contains(.string)
        case .array: mask.contains(.array)
        case .object: mask.contains(.object)
        }
    }

    private mutating func evaluate(_ check: Check, _ value: JSONValue, _ annotations: inout Annotations?) -> Bool {
        switch check {
        case .type(let mask):
            if Self.matches(value, mask) { return true }
            report(["type"], "expected \(mask.description), found \(value.kindName)")
            return false
        case .enumeration(let options):
            if options.contains(where: { JSONEquality.equal($0, value) }) { return true }
            report(["enum"], "\(value.compactText.prefix(200)) is not one of \(JSONValue.array(options).compactText.prefix(200))")
            return false
        case .constant(let constant):
            if JSONEquality.equal(constant, value) { return true }
            report(["const"], "\(value.compactText.prefix(200)) is not \(constant.compactText.prefix(200))")
            return false
        case .bound(let kind, let limit, let text, let keyword):
            guard case .number(let shown) = value, let number = Double(shown) else { return true }
            let (valid, relation): (Bool, String) = switch kind {
            case .minimum: (number >= limit, "below the minimum")
            case .maximum: (number <= limit, "above the maximum")
            case .exclusiveMinimum: (number > limit, "not above the exclusive minimum")
            case .exclusiveMaximum: (number < limit, "not below the exclusive maximum")
            }
            if !valid { report([keyword], "\(shown) is \(relation) \(text)") }
            return valid
        case .multipleOf(let divisor, let text):
            guard case .number(let shown) = value, let number = Double(shown) else { return true }
            if Self.isMultiple(number, of: divisor) { return true }
            report(["multipleOf"], "\(shown) is not a multiple of \(text)")
            return false
        case .minLength(let limit):
            guard case .string(let text) = value else { return true }
            let length = text.unicodeScalars.count
            if length >= limit { return true }
            report(["minLength"], "\(length) characters, at least \(limit) needed")
            return false
        case .maxLength(let limit):
            guard case .string(let text) = value else { return true }
            let length = text.unicodeScalars.count
            if length <= limit { return true }
            report(["maxLength"], "\(length) characters, at most \(limit) allowed")
            return false
        case .pattern(let pattern):
            guard case .string(let text) = value, !pattern.matches(text) else { return true }
            report(["pattern"], "\(JSONValue.quoted(String(text.prefix(200)))) does not match \(JSONValue.quoted(pattern.source))")
            return false
        case .format(let format):
            guard case .string(let text) = value, !format.accepts(text) else { return true }
            report(["format"], "\(JSONValue.quoted(String(text.prefix(200)))) is not a valid \(format.rawValue)")
            return false
        default:
            return evaluateStructural(check, value, &annotations)
        }
    }

    /// `number` is an integer multiple of `divisor`, allowing for binary floating point
    /// (0.0075 is a multiple of 0.0001); a quotient too large to represent is not.
    static func isMultiple(_ number: Double, of divisor: Double) -> Bool {
        if number == number.rounded(), divisor == divisor.rounded(), abs(number) < 9e15 {
            return number.truncatingRemainder(dividingBy: divisor) == 0
        }
        let quotient = number / divisor
        guard quotient.isFinite else { return false }
        return abs(quotient - quotient.rounded()) <= 1e-9 * max(1, abs(quotient)) && abs(quotient - quotient.rounded()) < 1e-6
    }
}

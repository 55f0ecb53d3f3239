import Foundation
import OrderedJSON

/// One way a reader JSON Schema rejects documents a writer schema accepts.
public struct JSONSchemaIncompatibility: Sendable, Equatable, CustomStringConvertible {
    /// Confluent's difference names (`TYPE_NARROWED`, `PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL`, ...).
    public var kind: String
    /// A JSON Pointer into the reader schema.
    public var path: String
    public var description: String
}

/// Confluent's rule for JSON Schema: a reader is compatible with a writer when every document
/// valid under the writer stays valid under the reader (widening is compatible, narrowing is
/// not), with content models deciding added and removed properties (the compatibility notes,
/// §5). `$ref`s are followed, local ones (`#/definitions/...`, `#/$defs/...`) and ones into
/// referenced documents (`other.json#/$defs/x`, by the registry reference's name), with a guard
/// for recursive structures.
public struct JSONSchemaCompatibility {
    private var readerRoot: JSONValue
    private var writerRoot: JSONValue
    private let readerDocuments: [String: JSONValue]
    private let writerDocuments: [String: JSONValue]
    private var inProgress = Set<String>()
    private var found: [JSONSchemaIncompatibility] = []

    /// - Parameters:
    ///   - readerDocuments, writerDocuments: documents the schemas' `$ref`s may name, by name.
    public static func problems(reader: JSONValue, writer: JSONValue, readerDocuments: [String: JSONValue] = [:],
                                writerDocuments: [String: JSONValue] = [:]) -> [JSONSchemaIncompatibility] {
        var checker = JSONSchemaCompatibility(readerRoot: reader, writerRoot: writer,
                                              readerDocuments: readerDocuments, writerDocuments: writerDocuments)
        checker.compare(reader, writer, path: "", readerPointer: "#", writerPointer: "#")
        return checker.found
    }

    private init(readerRoot: JSONValue, writerRoot: JSONValue, readerDocuments: [String: JSONValue],
                 writerDocuments: [String: JSONValue]) {
        self.readerRoot = readerRoot
        self.writerRoot = writerRoot
        self.readerDocuments = readerDocuments
        self.writerDocuments = writerDocuments
    }

    /// The documents named by `$ref`s outside `schema` itself (the part before `#`), for
    /// checking that each is supplied as a reference.
    public static func externalReferences(in schema: JSONValue) -> Set<String> {
        var names = Set<String>()
        var ids = Set<String>()
        func walk(_ value: JSONValue) {
            switch value {
            case .object(let members):
                for (key, member) in members {
                    if key == "$ref", let ref = member.stringValue, !ref.hasPrefix("#") {
                        names.insert(String(ref.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0]))
                    } else if key == "$id", let id = member.stringValue {
                        ids.insert(id)
                    }
                    walk(member)
                }
            case .array(let items): items.forEach(walk)
            default: break
            }
        }
        walk(schema)
        return names.subtracting(ids)
    }

    private mutating func report(_ kind: String, _ path: String, _ description: String) {
        found.append(JSONSchemaIncompatibility(kind: kind, path: path, description: description))
    }

    /// Follows a `$ref` within `root` or into a named document; returns the target, a key
    /// naming it (for the recursion guard) and the document it lives in. A `$ref` that cannot
    /// be followed is compared as written.
    private static func dereference(_ schema: JSONValue, root: JSONValue, documents: [String: JSONValue])
        -> (schema: JSONValue, key: String?, root: JSONValue) {
        guard let ref = schema["$ref"]?.stringValue else { return (schema, nil, root) }
        let parts = ref.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)
        let document = String(parts[0])
        guard var target = document.isEmpty ? root : documents[document] else { return (schema, nil, root) }
        let base = target
        for part in (parts.count > 1 ? parts[1] : "").split(separator: "/") {
            let key = part.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            guard let next = target[key] else { return (schema, nil, root) }
            target = next
        }
        return (target, ref, base)
    }

    private static func containsReference(_ value: JSONValue) -> Bool {
        switch value {
        case .object(let members): members.contains { $0.key == "$ref" || containsReference($0.value) }
        case .array(let items): items.contains(where: containsReference)
        default: false
        }
    }

    private static func isTrivial(_ schema: JSONValue) -> Bool {
        if case .bool(true) = schema { return true }
        if case .object(let members) = schema { return members.isEmpty }
        return false
    }

    private static func types(_ schema: JSONValue) -> Set<String>? {
        switch schema["type"] {
        case .string(let type): return [type]
        case .array(let items): return Set(items.compactMap(\.stringValue))
        default: return nil
        }
    }

    /// How an object schema treats properties it does not list.
    private enum ContentModel { case open, closed, partial(JSONValue) }

    private static func contentModel(_ schema: JSONValue) -> ContentModel {
        switch schema["additionalProperties"] {
        case nil, .bool(true)?: return schema["patternProperties"] == nil ? .open : .partial(.bool(true))
        case .bool(false)?: return .closed
        case let other?: return .partial(other)
        }
    }

    private mutating func compare(_ reader: JSONValue, _ writer: JSONValue, path: String,
                                  readerPointer: String, writerPointer: String) {
        let readerTarget = Self.dereference(reader, root: readerRoot, documents: readerDocuments)
        let writerTarget = Self.dereference(writer, root: writerRoot, documents: writerDocuments)
        let (reader, writer) = (readerTarget.schema, writerTarget.schema)
        let key = (readerTarget.key ?? readerPointer) + "\u{0}" + (writerTarget.key ?? writerPointer)
        // Equal text is equal meaning only without `$ref`s, which may resolve differently.
        if reader == writer && !Self.containsReference(reader) { return }
        guard inProgress.insert(key).inserted else { return }
        // Local `$ref`s below a referenced document resolve in that document.
        let roots = (readerRoot, writerRoot)
        (readerRoot, writerRoot) = (readerTarget.root, writerTarget.root)
        defer {
            inProgress.remove(key)
            (readerRoot, writerRoot) = roots
        }

        if Self.isTrivial(reader) || writer == .bool(false) { return }
        if reader == .bool(false) { return report("TYPE_NARROWED", path, "the reader schema accepts nothing") }

        // Types: every writer type must be a reader type (integer widens to number).
        if let readerTypes = Self.types(reader) {
            if let writerTypes = Self.types(writer) {
                let missing = writerTypes.filter { !readerTypes.contains($0) && !($0 == "integer" && readerTypes.contains("number")) }
                if !missing.isEmpty {
                    // Narrowed: the reader keeps some of the writer's types (integer counts as part of number).
                    let narrowed = readerTypes.allSatisfy { writerTypes.contains($0) || ($0 == "integer" && writerTypes.contains("number")) }
                    report(narrowed ? "TYPE_NARROWED" : "TYPE_CHANGED", path + "/type",
                           "the type \(writerTypes.sorted()) is no longer accepted: the reader allows \(readerTypes.sorted())")
                }
            } else {
                report("TYPE_NARROWED", path + "/type", "a type \(readerTypes.sorted()) was added where any type was accepted")
            }
        }
        compareEnumAndConst(reader, writer, path: path)
        compareBounds(reader, writer, path: path)
        compareObjects(reader, writer, path: path, readerPointer: readerPointer, writerPointer: writerPointer)
        if let readerItems = reader["items"], let writerItems = writer["items"] {
            compare(readerItems, writerItems, path: path + "/items", readerPointer: readerPointer + "/items", writerPointer: writerPointer + "/items")
        } else if let readerItems = reader["items"], !Self.isTrivial(readerItems), Self.types(writer)?.contains("array") == true {
            report("ITEMS_NARROWED", path + "/items", "items were restricted where any item was accepted")
        }
        for combinator in ["anyOf", "oneOf"] {
            guard let readerBranches = reader[combinator]?.arrayValue else { continue }
            let writerBranches = writer[combinator]?.arrayValue ?? [writer]
            for (index, branch) in writerBranches.enumerated() {
                let matched = readerBranches.indices.contains { readerIndex in
                    var probe = JSONSchemaCompatibility(readerRoot: readerRoot, writerRoot: writerRoot,
                                                        readerDocuments: readerDocuments, writerDocuments: writerDocuments)
                    probe.compare(readerBranches[readerIndex], branch, path: "", readerPointer: "\(readerPointer)/\(combinator)/\(readerIndex)",
                                  writerPointer: "\(writerPointer)/\(combinator)/\(index)")
                    return probe.found.isEmpty
                }
                if !matched {
                    report("COMBINED_TYPE_SUBSCHEMAS_CHANGED", "\(path)/\(combinator)",
                           "no \(combinator) branch of the reader accepts the writer's branch \(index)")
                }
            }
        }
    }

    private mutating func compareEnumAndConst(_ reader: JSONValue, _ writer: JSONValue, path: String) {
        if let readerEnum = reader["enum"]?.arrayValue {
            if let writerEnum = writer["enum"]?.arrayValue {
                let missing = writerEnum.filter { !readerEnum.contains($0) }
                if !missing.isEmpty {
                    report("ENUM_ARRAY_NARROWED", path + "/enum", "the values \(JSONValue.array(missing).compactText) are no longer accepted")
                }
            } else {
                report("ENUM_ARRAY_NARROWED", path + "/enum", "an enum was added where any value was accepted")
            }
        }
        if let readerConst = reader["const"], readerConst != writer["const"] {
            report("CONST_CHANGED", path + "/const", "const \(readerConst.compactText) does not accept every value the writer accepts")
        }
    }

    private mutating func compareBounds(_ reader: JSONValue, _ writer: JSONValue, path: String) {
        for keyword in ["maxLength", "maxItems", "maxProperties", "maximum", "exclusiveMaximum"] {
            guard let readerBound = reader[keyword]?.doubleValue else { continue }
            guard let writerBound = writer[keyword]?.doubleValue else {
                report(keyword.uppercased() + "_ADDED", "\(path)/\(keyword)", "\(keyword) \(readerBound) was added")
                continue
            }
            if readerBound < writerBound { report(keyword.uppercased() + "_DECREASED", "\(path)/\(keyword)", "\(keyword) decreased from \(writerBound) to \(readerBound)") }
        }
        for keyword in ["minLength", "minItems", "minProperties", "minimum", "exclusiveMinimum"] {
            guard let readerBound = reader[keyword]?.doubleValue else { continue }
            guard let writerBound = writer[keyword]?.doubleValue else {
                report(keyword.uppercased() + "_ADDED", "\(path)/\(keyword)", "\(keyword) \(readerBound) was added")
                continue
            }
            if readerBound > writerBound { report(keyword.uppercased() + "_INCREASED", "\(path)/\(keyword)", "\(keyword) increased from \(writerBound) to \(readerBound)") }
        }
        if let pattern = reader["pattern"], pattern != writer["pattern"] {
            report(writer["pattern"] == nil ? "PATTERN_ADDED" : "PATTERN_CHANGED", path + "/pattern", "the pattern \(pattern.compactText) restricts strings the writer accepts")
        }
    }

    private mutating func compareObjects(_ reader: JSONValue, _ writer: JSONValue, path: String,
                                         readerPointer: String, writerPointer: String) {
        let readerProperties = reader["properties"]?.objectValue ?? []
        let writerProperties = writer["properties"]?.objectValue ?? []
        let writerRequired = Set(writer["required"]?.arrayValue?.compactMap(\.stringValue) ?? [])
        for name in reader["required"]?.arrayValue?.compactMap(\.stringValue) ?? [] where !writerRequired.contains(name) {
            let property = readerProperties.first { $0.key == name }?.value
            if property?["default"] == nil {
                report("REQUIRED_ATTRIBUTE_ADDED", path + "/required", "the property '\(name)' became required without a default")
            }
        }
        for (name, schema) in readerProperties {
            let propertyPath = "\(path)/properties/\(name)"
            if let writerSchema = writerProperties.first(where: { $0.key == name })?.value {
                compare(schema, writerSchema, path: propertyPath, readerPointer: "\(readerPointer)/properties/\(name)",
                        writerPointer: "\(writerPointer)/properties/\(name)")
                continue
            }
            switch Self.contentModel(writer) {
            case .closed: break
            case .open:
                if !Self.isTrivial(schema) {
                    report("PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL", propertyPath,
                           "the property '\(name)' was added with a type, but the writer's open content model let '\(name)' hold any value")
                }
            case .partial(let additional):
                compare(schema, additional, path: propertyPath, readerPointer: "\(readerPointer)/properties/\(name)",
                        writerPointer: "\(writerPointer)/additionalProperties")
            }
        }
        for (name, schema) in writerProperties where !readerProperties.contains(where: { $0.key == name }) {
            switch Self.contentModel(reader) {
            case .open: break
            case .closed:
                if schema != .bool(false) {
                    report("PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL", "\(path)/properties/\(name)",
                           "the property '\(name)' was removed, and the reader's closed content model rejects it")
                }
            case .partial(let additional):
                compare(additional, schema, path: "\(path)/additionalProperties", readerPointer: "\(readerPointer)/additionalProperties",
                        writerPointer: "\(writerPointer)/properties/\(name)")
            }
        }
        switch (Self.contentModel(reader), Self.contentModel(writer)) {
        case (.closed, .open), (.closed, .partial):
            report("ADDITIONAL_PROPERTIES_REMOVED", path + "/additionalProperties", "additional properties are no longer accepted")
        case (.partial(let readerAdditional), .open):
            if !Self.isTrivial(readerAdditional) {
                report("ADDITIONAL_PROPERTIES_NARROWED", path + "/additionalProperties", "additional properties were restricted")
            }
        case (.partial(let readerAdditional), .partial(let writerAdditional)):
            compare(readerAdditional, writerAdditional, path: path + "/additionalProperties",
                    readerPointer: readerPointer + "/additionalProperties", writerPointer: writerPointer + "/additionalProperties")
        default: break
        }
    }
}

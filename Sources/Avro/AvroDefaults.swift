import OrderedJSON

extension AvroSchema {
    /// Why `value` is not a valid default for `type`, or nil when it is (Java's rules: a union's
    /// default matches its first branch; bytes and fixed defaults are strings; an enum's is
    /// one of its symbols).
    public func defaultProblem(_ value: JSONValue, for type: AvroType) -> String? {
        switch resolve(type) {
        case .primitive(let primitive, _):
            switch (primitive, value) {
            case (.null, .null), (.boolean, .bool), (.string, .string), (.bytes, .string): return nil
            case (.int, .number):
                guard case .number(let text) = value, Int32(text) != nil else {
                    return "\(value.compactText) is not a 32-bit integer"
                }
                return nil
            case (.long, .number):
                guard case .number(let text) = value, Int64(text) != nil else {
                    return "\(value.compactText) is not a 64-bit integer"
                }
                return nil
            case (.float, .number), (.double, .number): return nil
            default:
                return "\(value.compactText) is \(value.kindName), not a \(primitive.rawValue)"
            }
        case .enumeration(let enumeration):
            guard let symbol = value.stringValue, enumeration.symbols.contains(symbol) else {
                return "\(value.compactText) is not a symbol of the enum \(enumeration.fullName)"
            }
            return nil
        case .fixed(let fixed):
            // Java checks only that it is a string; the length is checked when the default is used.
            guard value.stringValue != nil else { return "\(value.compactText) is not a string for the fixed \(fixed.fullName)" }
            return nil
        case .array(let items, _):
            guard case .array(let elements) = value else { return "\(value.kindName) is not an array" }
            for (index, element) in elements.enumerated() {
                if let problem = defaultProblem(element, for: items) { return "item \(index): \(problem)" }
            }
            return nil
        case .map(let values, _):
            guard case .object(let members) = value else { return "\(value.kindName) is not a map (a JSON object)" }
            for member in members {
                if let problem = defaultProblem(member.value, for: values) { return "key \"\(member.key)\": \(problem)" }
            }
            return nil
        case .union(let branches):
            guard let first = branches.first else { return "an empty union has no valid default" }
            if let problem = defaultProblem(value, for: first) {
                return "a union's default must match its first branch: \(problem)"
            }
            return nil
        case .record(let record):
            guard case .object = value else { return "\(value.kindName) is not a record (a JSON object)" }
            for field in record.fields {
                if let member = value[field.name] {
                    if let problem = defaultProblem(member, for: field.type) { return "field \"\(field.name)\": \(problem)" }
                } else if field.defaultValue == nil {
                    return "the field \"\(field.name)\" of \(record.fullName) is missing and has no default"
                }
            }
            return nil
        case .named(let name):
            return "the type \(name) is not defined"
        }
    }
}

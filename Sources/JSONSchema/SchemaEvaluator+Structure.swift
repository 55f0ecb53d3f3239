import OrderedJSON

/// The keywords that look inside arrays and objects, and the applicators that combine
/// subschemas on the same instance.
extension SchemaEvaluator {
    mutating func evaluateStructural(_ check: Check, _ value: JSONValue, _ annotations: inout Annotations?) -> Bool {
        switch check {
        case .minItems(let limit):
            guard case .array(let items) = value, items.count < limit else { return true }
            report(["minItems"], "\(items.count) items, at least \(limit) needed")
            return false
        case .maxItems(let limit):
            guard case .array(let items) = value, items.count > limit else { return true }
            report(["maxItems"], "\(items.count) items, at most \(limit) allowed")
            return false
        case .uniqueItems:
            guard case .array(let items) = value, let (first, second) = JSONEquality.firstDuplicate(in: items) else { return true }
            report(["uniqueItems"], "the items \(first) and \(second) are equal")
            return false
        case .items(let prefix, let prefixKeyword, let rest, let restKeyword):
            guard case .array(let items) = value else { return true }
            var valid = true
            for (index, item) in items.enumerated() {
                let ok: Bool
                if index < prefix.count {
                    ok = child(prefix[index], item, .index(index), prefixKeyword, String(index))
                } else if let rest {
                    ok = child(rest, item, .index(index), restKeyword)
                } else {
                    break
                }
                if !ok {
                    valid = false
                    if !collecting { return false }
                }
            }
            if valid, annotations != nil {
                annotations!.items.formUnion(0..<min(items.count, prefix.count))
                if rest != nil { annotations!.allItems = true }
            }
            return valid
        case .contains(let node, let minimum, let maximum):
            guard case .array(let items) = value else { return true }
            let needsAll = maximum != nil || annotations != nil
            var matching: [Int] = []
            probing { evaluator in
                for (index, item) in items.enumerated() where evaluator.child(node, item, .index(index), "contains") {
                    matching.append(index)
                    if !needsAll && matching.count >= minimum { break }
                }
            }
            if matching.count < minimum {
                report(["contains"], minimum == 1 ? "no item matches the contains schema"
                                                  : "\(matching.count) items match the contains schema, at least \(minimum) needed")
                return false
            }
            if let maximum, matching.count > maximum {
                report(["maxContains"], "\(matching.count) items match the contains schema, at most \(maximum) allowed")
                return false
            }
            annotations?.items.formUnion(matching)
            return true
        case .unevaluatedItems(let node):
            guard case .array(let items) = value else { return true }
            var valid = true
            if annotations?.allItems != true {
                for (index, item) in items.enumerated() where annotations?.items.contains(index) != true {
                    if !child(node, item, .index(index), "unevaluatedItems") {
                        valid = false
                        if !collecting { return false }
                    }
                }
            }
            if valid { annotations?.allItems = true }
            return valid
        case .minProperties(let limit):
            guard case .object(let members) = value, members.count < limit else { return true }
            report(["minProperties"], "\(members.count) properties, at least \(limit) needed")
            return false
        case .maxProperties(let limit):
            guard case .object(let members) = value, members.count > limit else { return true }
            report(["maxProperties"], "\(members.count) properties, at most \(limit) allowed")
            return false
        case .required(let names):
            guard case .object = value else { return true }
            var valid = true
            for name in names where value[name] == nil {
                report(["required"], "the property \(JSONValue.quoted(name)) is required")
                valid = false
                if !collecting { return false }
            }
            return valid
        case .members(let properties, let patterns, let additional):
            guard case .object(let members) = value else { return true }
            return evaluateMembers(members, properties, patterns, additional, &annotations)
        case .propertyNames(let node):
            guard case .object(let members) = value else { return true }
            var valid = true
            for member in members where !child(node, .string(member.key), .key(member.key), "propertyNames") {
                valid = false
                if !collecting { return false }
            }
            return valid
        case .dependentRequired(let rules, let keyword):
            guard case .object = value else { return true }
            var valid = true
            for (name, needs) in rules where value[name] != nil {
                for other in needs where value[other] == nil {
                    report([keyword, name], "the property \(JSONValue.quoted(name)) needs \(JSONValue.quoted(other))")
                    valid = false
                    if !collecting { return false }
                }
            }
            return valid
        case .dependentSchemas(let rules, let keyword):
            guard case .object = value else { return true }
            var valid = true
            for (name, node) in rules where value[name] != nil && !inPlace(node, value, &annotations, keyword, name) {
                valid = false
                if !collecting { return false }
            }
            return valid
        case .unevaluatedProperties(let node):
            guard case .object(let members) = value else { return true }
            var valid = true
            if annotations?.allProperties != true {
                for member in members where annotations?.properties.contains(member.key) != true {
                    if !child(node, member.value, .key(member.key), "unevaluatedProperties") {
                        if node.rejectsEverything, collecting, let last = violations.indices.last {
                            violations[last].message = "the property \(JSONValue.quoted(member.key)) is not allowed (unevaluated)"
                        }
                        valid = false
                        if !collecting { return false }
                    }
                }
            }
            if valid { annotations?.allProperties = true }
            return valid
        default:
            return evaluateApplicator(check, value, &annotations)
        }
    }

    private mutating func evaluateMembers(_ members: [(key: String, value: JSONValue)], _ properties: [String: SchemaNode],
                                          _ patterns: [(CompiledPattern, SchemaNode)], _ additional: SchemaNode?,
                                          _ annotations: inout Annotations?) -> Bool {
        var valid = true
        for (key, member) in members {
            var covered = false
            if let node = properties[key] {
                covered = true
                if !child(node, member, .key(key), "properties", key) {
                    valid = false
                    if !collecting { return false }
                }
            }
            for (pattern, node) in patterns where pattern.matches(key) {
                covered = true
                if !child(node, member, .key(key), "patternProperties", pattern.source) {
                    valid = false
                    if !collecting { return false }
                }
            }
            if !covered, let additional {
                covered = true
                if !child(additional, member, .key(key), "additionalProperties") {
                    if additional.rejectsEverything, collecting, let last = violations.indices.last {
                        violations[last].message = "the property \(JSONValue.quoted(key)) is not allowed"
                    }
                    valid = false
                    if !collecting { return false }
                }
            }
            if covered { annotations?.properties.insert(key) }
        }
        return valid
    }

    private mutating func evaluateApplicator(_ check: Check, _ value: JSONValue, _ annotations: inout Annotations?) -> Bool {
        switch check {
        case .allOf(let nodes):
            var valid = true
            for (index, node) in nodes.enumerated() where !inPlace(node, value, &annotations, "allOf", String(index)) {
                valid = false
                if !collecting { return false }
            }
            return valid
        case .anyOf(let nodes):
            var passed = 0
            probing { evaluator in
                for (index, node) in nodes.enumerated() where evaluator.inPlace(node, value, &annotations, "anyOf", String(index)) {
                    passed += 1
                    if annotations == nil { break }
                }
            }
            if passed > 0 { return true }
            report(["anyOf"], "matches none of the \(nodes.count) schemas")
            return false
        case .oneOf(let nodes):
            var passing: [Int] = []
            var kept = annotations
            probing { evaluator in
                for (index, node) in nodes.enumerated() {
                    var own: Annotations? = annotations == nil ? nil : Annotations()
                    if evaluator.inPlace(node, value, &own, "oneOf", String(index)) {
                        passing.append(index)
                        if let own { kept!.merge(own) }
                        if passing.count > 1 { break }
                    }
                }
            }
            if passing.count == 1 {
                annotations = kept
                return true
            }
            report(["oneOf"], passing.isEmpty ? "matches none of the \(nodes.count) schemas, exactly one needed"
                                              : "matches the schemas \(passing[0]) and \(passing[1]), exactly one needed")
            return false
        case .not(let node):
            var none: Annotations? = nil
            let matched = probing { $0.inPlace(node, value, &none, "not") }
            if !matched { return true }
            report(["not"], "matches the schema it must not match")
            return false
        case .conditional(let condition, let then, let otherwise):
            if then == nil && otherwise == nil && annotations == nil { return true }
            let holds = probing { $0.inPlace(condition, value, &annotations, "if") }
            if holds, let then { return inPlace(then, value, &annotations, "then") }
            if !holds, let otherwise { return inPlace(otherwise, value, &annotations, "else") }
            return true
        case .ref(let node, let keyword):
            return inPlace(node, value, &annotations, keyword)
        case .dynamicRef(let initial, let anchor):
            let target = dynamicScopeTarget(anchor) ?? initial
            return inPlace(target, value, &annotations, "$dynamicRef")
        default:
            return true
        }
    }
}

import OrderedJSON

/// Equality as JSON Schema defines it for `enum`, `const` and `uniqueItems`: numbers by value
/// (`1` equals `1.0`), objects regardless of member order, no equality across types (`false`
/// is not `0`). `JSONValue`'s own `==` keeps member order, which suits printing, not this.
enum JSONEquality {
    static func equal(_ lhs: JSONValue, _ rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.string(let a), .string(let b)): return a == b
        case (.number(let a), .number(let b)):
            if a == b { return true }
            guard let x = Double(a), let y = Double(b) else { return false }
            return x == y
        case (.array(let a), .array(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { equal($0, $1) }
        case (.object(let a), .object(let b)):
            guard a.count == b.count else { return false }
            if zip(a, b).allSatisfy({ $0.key == $1.key }) {
                return zip(a, b).allSatisfy { equal($0.value, $1.value) }
            }
            return a.allSatisfy { member in
                guard let other = b.first(where: { $0.key == member.key }) else { return false }
                return equal(member.value, other.value)
            }
        default:
            return false
        }
    }

    /// A hash consistent with ``equal(_:_:)``: member order does not change it.
    static func hash(_ value: JSONValue) -> Int {
        var hasher = Hasher()
        switch value {
        case .null: hasher.combine(0)
        case .bool(let flag): hasher.combine(1); hasher.combine(flag)
        case .number(let text): hasher.combine(2); hasher.combine(Double(text) ?? 0)
        case .string(let text): hasher.combine(3); hasher.combine(text)
        case .array(let items):
            hasher.combine(4)
            for item in items { hasher.combine(hash(item)) }
        case .object(let members):
            hasher.combine(5)
            var combined = 0
            for member in members {
                var memberHasher = Hasher()
                memberHasher.combine(member.key)
                memberHasher.combine(hash(member.value))
                combined ^= memberHasher.finalize()
            }
            hasher.combine(combined)
        }
        return hasher.finalize()
    }

    /// The first pair of equal items' indices, or nil when all are distinct.
    static func firstDuplicate(in items: [JSONValue]) -> (Int, Int)? {
        if items.count < 2 { return nil }
        if items.count <= 8 {
            for second in 1..<items.count {
                for first in 0..<second where equal(items[first], items[second]) { return (first, second) }
            }
            return nil
        }
        var buckets: [Int: [Int]] = [:]
        for (index, item) in items.enumerated() {
            let key = hash(item)
            if let earlier = buckets[key]?.first(where: { equal(items[$0], item) }) { return (earlier, index) }
            buckets[key, default: []].append(index)
        }
        return nil
    }
}

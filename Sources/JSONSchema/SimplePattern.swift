/// A fast path for the patterns schemas use most (`^[A-Z]{3}-[0-9]{4}$`, `^\d{5}$`, `^[a-z_]+$`):
/// a sequence of ASCII literals and positive ASCII classes (`[...]`, `\d`, `\w`, escaped
/// punctuation), each with an optional greedy quantifier (`?`, `*`, `+`, `{n}`, `{n,}`, `{n,m}`),
/// optionally anchored by `^` and `$` at its ends. Such a pattern is matched on the string's
/// UTF-8 bytes without Foundation (whose regular expressions convert every string to UTF-16
/// first). Since every atom matches ASCII only, bytes and ECMA-262's UTF-16 units give the same
/// verdicts. Anything else (groups, alternation, `.`, negated classes, other escapes, non-ASCII)
/// is left to ``ECMARegex``.
struct SimplePattern: Sendable {
    /// An ASCII set as two 64-bit masks, and how many times it repeats.
    struct Atom: Sendable {
        var low: UInt64 = 0
        var high: UInt64 = 0
        var minimum = 1
        var maximum = 1

        mutating func insert(_ byte: UInt8) {
            if byte < 64 { low |= 1 << UInt64(byte) } else { high |= 1 << UInt64(byte - 64) }
        }

        func contains(_ byte: UInt8) -> Bool {
            byte < 64 ? low & (1 << UInt64(byte)) != 0 : byte < 128 && high & (1 << UInt64(byte - 64)) != 0
        }
    }

    let atoms: [Atom]
    let anchoredStart: Bool
    let anchoredEnd: Bool

    init?(_ pattern: String) {
        let bytes = Array(pattern.utf8)
        guard bytes.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else { return nil }
        var index = 0
        var atoms: [Atom] = []
        anchoredStart = bytes.first == UInt8(ascii: "^")
        if anchoredStart { index = 1 }
        var end = false
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "$") {
                guard index == bytes.count - 1 else { return nil }
                end = true
                break
            }
            var atom = Atom()
            switch byte {
            case UInt8(ascii: "["):
                guard let next = Self.parseClass(bytes, from: index + 1, into: &atom) else { return nil }
                index = next
            case UInt8(ascii: "\\"):
                guard index + 1 < bytes.count, Self.addEscape(bytes[index + 1], to: &atom) else { return nil }
                index += 2
            case UInt8(ascii: "."), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "|"), UInt8(ascii: "*"),
                 UInt8(ascii: "+"), UInt8(ascii: "?"), UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "]"), UInt8(ascii: "^"):
                return nil
            default:
                atom.insert(byte)
                index += 1
            }
            guard let next = Self.parseQuantifier(bytes, from: index, into: &atom) else { return nil }
            index = next
            atoms.append(atom)
        }
        anchoredEnd = end
        self.atoms = atoms
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        JSONSchemaFormat.isAlpha(byte) || JSONSchemaFormat.isDigit(byte)
    }

    /// `\d`, `\w` or an escaped punctuation character.
    private static func addEscape(_ byte: UInt8, to atom: inout Atom) -> Bool {
        switch byte {
        case UInt8(ascii: "d"):
            for digit in UInt8(ascii: "0")...UInt8(ascii: "9") { atom.insert(digit) }
        case UInt8(ascii: "w"):
            for character in 0..<UInt8(128) where isAlphanumeric(character) || character == UInt8(ascii: "_") { atom.insert(character) }
        default:
            guard !isAlphanumeric(byte) else { return false }
            atom.insert(byte)
        }
        return true
    }

    /// A positive class up to its `]`; returns the index after it.
    private static func parseClass(_ bytes: [UInt8], from start: Int, into atom: inout Atom) -> Int? {
        var index = start
        guard index < bytes.count, bytes[index] != UInt8(ascii: "^"), bytes[index] != UInt8(ascii: "]") else { return nil }
        while index < bytes.count, bytes[index] != UInt8(ascii: "]") {
            var first = bytes[index]
            if first == UInt8(ascii: "\\") {
                guard index + 1 < bytes.count else { return nil }
                let escaped = bytes[index + 1]
                index += 2
                if escaped == UInt8(ascii: "d") || escaped == UInt8(ascii: "w") {
                    guard addEscape(escaped, to: &atom) else { return nil }
                    continue
                }
                guard !isAlphanumeric(escaped) else { return nil }
                first = escaped
            } else {
                if first == UInt8(ascii: "[") { return nil }
                index += 1
            }
            if index + 1 < bytes.count, bytes[index] == UInt8(ascii: "-"), bytes[index + 1] != UInt8(ascii: "]") {
                let last = bytes[index + 1]
                guard last != UInt8(ascii: "\\"), last != UInt8(ascii: "["), first <= last else { return nil }
                for character in first...last { atom.insert(character) }
                index += 2
            } else {
                atom.insert(first)
            }
        }
        return index < bytes.count ? index + 1 : nil
    }

    private static func parseQuantifier(_ bytes: [UInt8], from start: Int, into atom: inout Atom) -> Int? {
        guard start < bytes.count else { return start }
        var index = start + 1
        switch bytes[start] {
        case UInt8(ascii: "?"): (atom.minimum, atom.maximum) = (0, 1)
        case UInt8(ascii: "*"): (atom.minimum, atom.maximum) = (0, Int.max)
        case UInt8(ascii: "+"): (atom.minimum, atom.maximum) = (1, Int.max)
        case UInt8(ascii: "{"):
            func number() -> Int? {
                let from = index
                while index < bytes.count, JSONSchemaFormat.isDigit(bytes[index]), index - from < 6 { index += 1 }
                return index > from ? Int(String(decoding: bytes[from..<index], as: UTF8.self)) : nil
            }
            guard let low = number() else { return nil }
            var high = low
            if index < bytes.count, bytes[index] == UInt8(ascii: ",") {
                index += 1
                high = number() ?? Int.max
            }
            guard index < bytes.count, bytes[index] == UInt8(ascii: "}"), low <= high else { return nil }
            index += 1
            (atom.minimum, atom.maximum) = (low, high)
        default:
            return start
        }
        // A lazy or possessive suffix, or a second quantifier: not this fast path.
        if index < bytes.count, [UInt8(ascii: "?"), UInt8(ascii: "+"), UInt8(ascii: "*"), UInt8(ascii: "{")].contains(bytes[index]) {
            return nil
        }
        return index
    }

    func matches(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            if anchoredStart { return match(bytes, atom: 0, at: 0) }
            for start in 0...bytes.count where match(bytes, atom: 0, at: start) { return true }
            return false
        }
    }

    private func match(_ bytes: UnsafeBufferPointer<UInt8>, atom index: Int, at position: Int) -> Bool {
        guard index < atoms.count else { return !anchoredEnd || position == bytes.count }
        let atom = atoms[index]
        var run = 0
        while run < atom.maximum, position + run < bytes.count, atom.contains(bytes[position + run]) { run += 1 }
        guard run >= atom.minimum else { return false }
        var count = run
        while count >= atom.minimum {
            if match(bytes, atom: index + 1, at: position + count) { return true }
            count -= 1
        }
        return false
    }
}

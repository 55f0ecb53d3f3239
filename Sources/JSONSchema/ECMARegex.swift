import Foundation
import OrderedJSON

/// JSON Schema patterns are ECMA-262 regular expressions; Foundation's engine is ICU's. The
/// translation closes the differences that change verdicts in practice:
/// - `\d`, `\w` and their negations are ASCII-only in ECMA-262 (ICU matches any Unicode digit or
///   letter), so they become explicit ASCII classes;
/// - `$` outside a class matches only at the very end (ICU's `$` also matches before a final
///   line break), so it becomes `\z`;
/// - `[` inside a class is a literal in ECMA-262 (ICU reads it as a nested set), so it is escaped.
/// - `\s` also matches U+FEFF (ECMA-262 counts the byte-order mark as white space, ICU does not);
/// Left as ICU reads them: `\S` inside a class, `\p{...}`
/// property names ICU does not share, and ECMA's `\cX` and `u`-mode `\u{...}` escapes, which
/// ICU rejects: such a pattern is reported as invalid.
enum ECMARegex {
    struct Failure: Error {
        let reason: String
    }

    static func compile(_ pattern: String) throws(Failure) -> NSRegularExpression {
        do {
            return try NSRegularExpression(pattern: translate(pattern), options: [])
        } catch {
            throw Failure(reason: "\(JSONValue.quoted(pattern)) is not a regular expression ICU accepts")
        }
    }

    static func translate(_ pattern: String) -> String {
        var output = ""
        var inClass = false
        var iterator = pattern.makeIterator()
        while let character = iterator.next() {
            switch character {
            case "\\":
                guard let escaped = iterator.next() else {
                    output.append("\\")
                    continue
                }
                switch escaped {
                case "d": output += inClass ? "0-9" : "[0-9]"
                case "D": output += inClass ? "\\D" : "[^0-9]"
                case "w": output += inClass ? "a-zA-Z0-9_" : "[a-zA-Z0-9_]"
                case "W": output += inClass ? "\\W" : "[^a-zA-Z0-9_]"
                case "s": output += inClass ? "\\s\\x{FEFF}" : "[\\s\\x{FEFF}]"
                case "S": output += inClass ? "\\S" : "[^\\s\\x{FEFF}]"
                default: output += "\\" + String(escaped)
                }
            case "[":
                if inClass {
                    output += "\\["
                } else {
                    inClass = true
                    output.append("[")
                    // A `]` right after `[` or `[^` closes the class in ECMA-262 (an empty class).
                }
            case "]":
                inClass = false
                output.append("]")
            case "$" where !inClass:
                output += "\\z"
            default:
                output.append(character)
            }
        }
        return output
    }
}

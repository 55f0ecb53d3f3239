/// Swift names for spec names: `GroupId` -> `groupID`, `TopicIds` -> `topicIDs`, keywords escaped.
enum SwiftNaming {
    static let keywords: Set<String> = [
        "associatedtype", "class", "deinit", "enum", "extension", "fileprivate", "func", "import",
        "init", "inout", "internal", "let", "open", "operator", "private", "protocol", "public",
        "rethrows", "static", "struct", "subscript", "typealias", "var", "break", "case", "continue",
        "default", "defer", "do", "else", "fallthrough", "for", "guard", "if", "in", "repeat", "return",
        "switch", "where", "while", "as", "catch", "false", "is", "nil", "self", "Self", "super",
        "throw", "throws", "true", "try", "Type", "Protocol",
    ]

    /// A property name.
    static func property(_ specName: String) -> String {
        var name = acronyms(specName)
        // Lower the leading capital run, keeping the last capital of a run before a lowercase
        // letter: "IDs" -> "ids", "ApiKey" -> "apiKey".
        let characters = Array(name)
        var index = 0
        while index < characters.count, characters[index].isUppercase {
            let nextIsLower = index + 1 < characters.count && characters[index + 1].isLowercase
            if index > 0 && nextIsLower { break }
            index += 1
        }
        name = String(characters[..<index]).lowercased() + String(characters[index...])
        return keywords.contains(name) ? "`\(name)`" : name
    }

    /// A type name.
    static func type(_ specName: String) -> String {
        acronyms(specName)
    }

    /// `Id` -> `ID` and `Ids` -> `IDs` when they end a word.
    private static func acronyms(_ name: String) -> String {
        var result = ""
        let characters = Array(name)
        var index = 0
        while index < characters.count {
            if characters[index] == "I", index + 1 < characters.count, characters[index + 1] == "d" {
                let after = index + 2 < characters.count ? characters[index + 2] : nil
                if after == nil || after!.isUppercase {
                    result += "ID"
                    index += 2
                    continue
                }
                if after == "s", index + 3 == characters.count || characters[index + 3].isUppercase {
                    result += "IDs"
                    index += 3
                    continue
                }
            }
            result.append(characters[index])
            index += 1
        }
        return result
    }
}

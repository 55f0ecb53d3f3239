import Foundation

/// One `key=value` setting read from a config file, with where it came from for error messages.
public struct PropertiesEntry: Sendable, Equatable {
    public var key: String
    public var value: String
    /// `file:line`, for messages.
    public var location: String
}

/// Reads a config file in the `java.util.Properties` text form that Kafka's `server.properties`
/// uses: `key=value` or `key: value`, `#` and `!` comments, blank lines, and a trailing `\`
/// continuing a value on the next line. Later lines win over earlier ones, as in Kafka.
public enum PropertiesFile {
    /// Parses properties text; `name` is used in locations (`name:line`).
    public static func parse(_ text: String, name: String) throws -> [PropertiesEntry] {
        var entries: [PropertiesEntry] = []
        var pending: (text: String, line: Int)? = nil
        for (index, rawLine) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            // "\r\n" is one Character in Swift, and a newline, so CRLF files split correctly.
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if pending == nil, line.isEmpty || line.hasPrefix("#") || line.hasPrefix("!") { continue }
            var logical = (pending?.text ?? "") + line
            let startLine = pending?.line ?? index + 1
            if logical.hasSuffix("\\") {
                logical.removeLast()
                pending = (logical, startLine)
                continue
            }
            pending = nil
            entries.append(try entry(logical, location: "\(name):\(startLine)"))
        }
        if let pending {
            entries.append(try entry(pending.text, location: "\(name):\(pending.line)"))
        }
        return entries
    }

    /// Reads and parses a file.
    public static func load(path: String) throws -> [PropertiesEntry] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigurationError(setting: "--config", value: path, reason: "the file cannot be read")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigurationError(setting: "--config", value: path, reason: "the file is not UTF-8 text")
        }
        return try parse(text, name: path)
    }

    private static func entry(_ line: String, location: String) throws -> PropertiesEntry {
        guard let separator = line.firstIndex(where: { $0 == "=" || $0 == ":" }) else {
            throw ConfigurationError(setting: line, value: nil, reason: "expected key=value", location: location)
        }
        let key = line[..<separator].trimmingCharacters(in: .whitespaces)
        let value = line[line.index(after: separator)...].trimmingCharacters(in: .whitespaces)
        guard !key.isEmpty else {
            throw ConfigurationError(setting: line, value: nil, reason: "the key is empty", location: location)
        }
        return PropertiesEntry(key: key, value: value, location: location)
    }
}

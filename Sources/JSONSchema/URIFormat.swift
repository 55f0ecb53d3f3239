/// The `uri` format: an absolute URI by RFC 3986's grammar (scheme, optional authority with
/// user info, host and port, path, query, fragment), every character from its classes and
/// every `%` followed by two hex digits. ASCII only (an IRI is not a URI).
enum URIFormat {
    private static let unreserved = Set("-._~".utf8)
    private static let subDelims = Set("!$&'()*+,;=".utf8)

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        JSONSchemaFormat.isAlpha(byte) || JSONSchemaFormat.isDigit(byte) || unreserved.contains(byte)
    }

    /// Every byte is in `allowed` or starts a valid percent-encoding.
    private static func isEncoded(_ bytes: ArraySlice<UInt8>, allowing allowed: (UInt8) -> Bool) -> Bool {
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte == UInt8(ascii: "%") {
                guard index + 2 < bytes.endIndex,
                      JSONSchemaFormat.isHex(bytes[index + 1]), JSONSchemaFormat.isHex(bytes[index + 2]) else { return false }
                index += 3
                continue
            }
            guard allowed(byte) else { return false }
            index += 1
        }
        return true
    }

    private static func isPathCharacter(_ byte: UInt8) -> Bool {
        isUnreserved(byte) || subDelims.contains(byte) || byte == UInt8(ascii: ":") || byte == UInt8(ascii: "@") || byte == UInt8(ascii: "/")
    }

    static func isAbsoluteURI(_ bytes: [UInt8]) -> Bool {
        guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")), colon > 0, JSONSchemaFormat.isAlpha(bytes[0]),
              bytes[1..<colon].allSatisfy({ JSONSchemaFormat.isAlpha($0) || JSONSchemaFormat.isDigit($0) || "+-.".utf8.contains($0) })
        else { return false }
        var rest = bytes[(colon + 1)...]
        var fragment: ArraySlice<UInt8>?
        if let hash = rest.firstIndex(of: UInt8(ascii: "#")) {
            fragment = rest[(hash + 1)...]
            rest = rest[..<hash]
        }
        var query: ArraySlice<UInt8>?
        if let question = rest.firstIndex(of: UInt8(ascii: "?")) {
            query = rest[(question + 1)...]
            rest = rest[..<question]
        }
        let queryCharacter: (UInt8) -> Bool = { isPathCharacter($0) || $0 == UInt8(ascii: "?") }
        if let fragment, !isEncoded(fragment, allowing: queryCharacter) { return false }
        if let query, !isEncoded(query, allowing: queryCharacter) { return false }
        if rest.starts(with: "//".utf8) {
            let afterSlashes = rest.dropFirst(2)
            let end = afterSlashes.firstIndex(of: UInt8(ascii: "/")) ?? afterSlashes.endIndex
            guard isAuthority(afterSlashes[..<end]) else { return false }
            rest = afterSlashes[end...]
        }
        return isEncoded(rest, allowing: isPathCharacter)
    }

    private static func isAuthority(_ bytes: ArraySlice<UInt8>) -> Bool {
        var host = bytes
        if let at = bytes.lastIndex(of: UInt8(ascii: "@")) {
            let userInfo = bytes[..<at]
            guard isEncoded(userInfo, allowing: { isUnreserved($0) || subDelims.contains($0) || $0 == UInt8(ascii: ":") }) else { return false }
            host = bytes[(at + 1)...]
        }
        if host.first == UInt8(ascii: "[") {
            guard let close = host.firstIndex(of: UInt8(ascii: "]")) else { return false }
            let literal = host[(host.startIndex + 1)..<close]
            let isFuture = literal.first == UInt8(ascii: "v") || literal.first == UInt8(ascii: "V")
            guard isFuture || JSONSchemaFormat.isIPv6(literal) else { return false }
            return isPort(host[(close + 1)...])
        }
        let colon = host.lastIndex(of: UInt8(ascii: ":")) ?? host.endIndex
        guard isEncoded(host[..<colon], allowing: { isUnreserved($0) || subDelims.contains($0) }) else { return false }
        return isPort(host[colon...])
    }

    /// Empty, or `:` and digits.
    private static func isPort(_ bytes: ArraySlice<UInt8>) -> Bool {
        guard let first = bytes.first else { return true }
        return first == UInt8(ascii: ":") && bytes.dropFirst().allSatisfy(JSONSchemaFormat.isDigit)
    }
}

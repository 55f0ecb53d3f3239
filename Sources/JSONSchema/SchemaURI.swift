import Foundation

/// URI references as `$id` and `$ref` use them (RFC 3986 §5): split into parts, resolved against
/// a base. A base without a scheme (a registry reference named `address.json`, or no base at
/// all) is resolved the same way, so `"$ref": "address.json"` inside a schema with no `$id`
/// names the document `address.json`.
struct SchemaURI {
    var scheme: String?
    var authority: String?
    var path: String
    var query: String?
    var fragment: String?

    init(_ text: String) {
        var rest = Substring(text)
        if let hash = rest.firstIndex(of: "#") {
            fragment = String(rest[rest.index(after: hash)...])
            rest = rest[..<hash]
        }
        if let question = rest.firstIndex(of: "?") {
            query = String(rest[rest.index(after: question)...])
            rest = rest[..<question]
        }
        if let colon = rest.firstIndex(of: ":"), Self.isScheme(rest[..<colon]) {
            scheme = String(rest[..<colon])
            rest = rest[rest.index(after: colon)...]
        }
        if rest.hasPrefix("//") {
            let afterSlashes = rest.index(rest.startIndex, offsetBy: 2)
            let end = rest[afterSlashes...].firstIndex(of: "/") ?? rest.endIndex
            authority = String(rest[afterSlashes..<end])
            rest = rest[end...]
        }
        path = String(rest)
    }

    private static func isScheme(_ text: Substring) -> Bool {
        guard let first = text.first, first.isASCII, first.isLetter else { return false }
        return text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" || $0 == ".") }
    }

    var text: String {
        var output = ""
        if let scheme { output += scheme + ":" }
        if let authority { output += "//" + authority }
        output += path
        if let query { output += "?" + query }
        if let fragment { output += "#" + fragment }
        return output
    }

    /// `reference` resolved against `base` (RFC 3986 §5.2.2).
    static func resolve(_ reference: String, against base: String) -> String {
        let ref = SchemaURI(reference)
        if ref.scheme != nil {
            var target = ref
            target.path = removeDotSegments(ref.path)
            return target.text
        }
        let base = SchemaURI(base)
        var target = ref
        target.scheme = base.scheme
        if ref.authority != nil {
            target.path = removeDotSegments(ref.path)
            return target.text
        }
        target.authority = base.authority
        if ref.path.isEmpty {
            target.path = base.path
            target.query = ref.query ?? base.query
        } else if ref.path.hasPrefix("/") {
            target.path = removeDotSegments(ref.path)
        } else {
            let merged: String
            if base.authority != nil && base.path.isEmpty {
                merged = "/" + ref.path
            } else if let slash = base.path.lastIndex(of: "/") {
                merged = base.path[...slash] + ref.path
            } else {
                merged = ref.path
            }
            target.path = removeDotSegments(merged)
        }
        return target.text
    }

    /// The URI without its fragment, and the fragment percent-decoded ("" when absent).
    static func split(_ uri: String) -> (resource: String, fragment: String) {
        guard let hash = uri.firstIndex(of: "#") else { return (uri, "") }
        let fragment = String(uri[uri.index(after: hash)...])
        return (String(uri[..<hash]), fragment.removingPercentEncoding ?? fragment)
    }

    private static func removeDotSegments(_ path: String) -> String {
        guard path.contains(".") else { return path }
        var input = Substring(path)
        var output: [Substring] = []
        let absolute = path.hasPrefix("/")
        if absolute { input = input.dropFirst() }
        let segments = input.split(separator: "/", omittingEmptySubsequences: false)
        for (index, segment) in segments.enumerated() {
            let last = index == segments.count - 1
            switch segment {
            case ".":
                if last { output.append("") }
            case "..":
                if !output.isEmpty { output.removeLast() }
                if last { output.append("") }
            default:
                output.append(segment)
            }
        }
        return (absolute ? "/" : "") + output.joined(separator: "/")
    }
}

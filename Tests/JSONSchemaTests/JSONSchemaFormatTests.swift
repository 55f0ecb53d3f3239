@testable import JSONSchema
import Foundation
import Testing

@Suite struct JSONSchemaFormatTests {
    @Test(arguments: [
        (JSONSchemaFormat.dateTime, "1985-04-12T23:20:50.52Z", true),
        (.dateTime, "1990-12-31T15:59:60-08:00", true),
        (.dateTime, "1990-12-31T23:59:60+01:00", false),
        (.dateTime, "2020-13-01T00:00:00Z", false),
        (.dateTime, "2020-01-01 00:00:00Z", false),
        (.date, "2024-02-29", true),
        (.date, "2023-02-29", false),
        (.date, "2023-1-01", false),
        (.time, "08:30:06.283185Z", true),
        (.time, "08:30:06", false),
        (.time, "24:00:00Z", false),
        (.email, "joe.bloggs@example.com", true),
        (.email, #""joe bloggs"@example.com"#, true),
        (.email, "joe@[IPv6:::1]", true),
        (.email, "te..st@example.com", false),
        (.email, ".test@example.com", false),
        (.uuid, "2eb8aa08-aa98-11ea-b4aa-73b441d16380", true),
        (.uuid, "2eb8aa08-aa98-11ea-b4aa-73b441d1638", false),
        (.uuid, "2eb8aa08aa9811eab4aa73b441d16380", false),
        (.uri, "http://foo.bar/?baz=qux#quux", true),
        (.uri, "urn:oasis:names:specification:docbook:dtd:xml:4.1.2", true),
        (.uri, "ldap://[2001:db8::7]/c=GB?objectClass?one", true),
        (.uri, "//foo.bar/?baz=qux#quux", false),
        (.uri, "http:// shouldfail.com", false),
        (.uri, "http://example.com/%zz", false),
        (.ipv4, "192.168.0.1", true),
        (.ipv4, "256.0.0.1", false),
        (.ipv4, "087.10.0.1", false),
        (.ipv4, "1.2.3", false),
        (.ipv6, "::1", true),
        (.ipv6, "1:d6::42", true),
        (.ipv6, "::ffff:192.168.0.1", true),
        (.ipv6, "12345::", false),
        (.ipv6, "1:1:1:1:1:1:1:1:1", false),
        (.ipv6, "1::2::3", false),
        (.hostname, "www.example.com", true),
        (.hostname, "xn--4gbwdl.xn--wgbh1c", true),
        (.hostname, "-a-host-name", false),
        (.hostname, "not_a_valid_host_name", false),
        (.hostname, String(repeating: "a", count: 64) + ".com", false),
    ])
    func formats(format: JSONSchemaFormat, text: String, valid: Bool) {
        #expect(format.accepts(text) == valid, "\(format.rawValue) \(text)")
    }

    /// ECMA-262 semantics over ICU: ASCII-only \d and \w, `$` only at the very end, `[` literal
    /// inside a class, U+FEFF as white space.
    @Test(arguments: [
        (#"^\d+$"#, "123", true),
        (#"^\d+$"#, "١٢٣", false),
        (#"^\w$"#, "é", false),
        (#"^abc$"#, "abc\n", false),
        (#"^[[]$"#, "[", true),
        (#"^\s$"#, "\u{FEFF}", true),
        (#"^[\d]$"#, "7", true),
    ])
    func patterns(pattern: String, text: String, matches: Bool) throws {
        let compiled = CompiledPattern(source: pattern, expression: try ECMARegex.compile(pattern))
        #expect(compiled.matches(text) == matches, "\(pattern) on \(text)")
    }

    @Test(arguments: [
        ("a.json", "", "a.json"),
        ("#/x", "https://e.com/a/b.json", "https://e.com/a/b.json#/x"),
        ("c.json", "https://e.com/a/b.json", "https://e.com/a/c.json"),
        ("../c.json", "https://e.com/a/b.json", "https://e.com/c.json"),
        ("/c.json", "https://e.com/a/b.json", "https://e.com/c.json"),
        ("urn:x:y", "https://e.com/a", "urn:x:y"),
        ("#foo", "urn:uuid:1234", "urn:uuid:1234#foo"),
    ])
    func uriResolution(reference: String, base: String, resolved: String) {
        #expect(SchemaURI.resolve(reference, against: base) == resolved)
    }
}

@Suite struct SimplePatternTests {
    /// The byte matcher and ICU agree on the patterns it takes; the others are left to ICU.
    @Test(arguments: [
        #"^[A-Z]{3}-[0-9]{4}$"#, #"^\d{5}$"#, #"^[a-z_]+$"#, "abc", #"^a*a$"#, #"x?y{2,}z{0,1}$"#, #"^[\w.-]+$"#,
        #"[a-]"#, #"^\$\d+$"#, "^$", #"^[0-9]{2,3}"#,
    ])
    func agreesWithICU(pattern: String) throws {
        let simple = try #require(SimplePattern(pattern))
        let icu = try ECMARegex.compile(pattern)
        for text in ["", "ABC-1234", "ABC-12345", "12345", "1234", "abc_d", "xabcx", "a", "aaa", "xyyz", "yy", "a.b-c",
                     "é", "abé", "$12", "-", "123", "12é"] {
            let byICU = icu.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
            #expect(simple.matches(text) == byICU, "\(pattern) on \(text)")
        }
    }

    @Test(arguments: ["(a)", "a|b", ".", "[^a]", #"\s"#, "a*?", "é", "a{2", #"\p{L}"#, "[[]"])
    func leavesTheRestToICU(pattern: String) {
        #expect(SimplePattern(pattern) == nil)
    }
}

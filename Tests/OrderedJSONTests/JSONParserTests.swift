import OrderedJSON
import Testing

@Suite struct JSONParserTests {
    @Test(arguments: [
        ("{\"b\":1,\"a\":[true,false,null]}", "{\"b\":1,\"a\":[true,false,null]}"),
        (" [ 1.0 , -0 , 2e10 , 9223372036854775807 ] ", "[1.0,-0,2e10,9223372036854775807]"),
        ("\"\\u00e9\\n\\ud83d\\ude00\\/\"", "\"é\\n😀/\""),
        ("\"\\u0001\"", "\"\\u0001\""),
        ("{}", "{}"),
    ])
    func roundTripsKeepingOrderAndNumberText(input: String, compact: String) throws {
        #expect(try JSONParser.parse(input).compactText == compact)
    }

    @Test(arguments: [
        ("", "unexpected end of input, expected a value", 1, 1),
        ("{\"a\":1,\"a\":2}", "duplicate key \"a\"", 1, 8),
        ("[1,]", "unexpected character ']', expected a value", 1, 4),
        ("{\"a\" 1}", "expected ':' after the key \"a\"", 1, 6),
        ("\n  01", "unexpected text after the JSON value", 2, 4),
        ("\"abc", "unterminated string", 1, 5),
        ("\"a\u{01}\"", "control character in a string must be escaped", 1, 3),
        ("tru", "invalid literal, expected 'true'", 1, 1),
        ("-", "a number needs digits", 1, 2),
        ("1.", "a number needs digits after '.'", 1, 3),
        ("\"\\ud800\"", "a high surrogate must be followed by a low surrogate", 1, 8),
        ("\"\\q\"", "invalid escape '\\q'", 1, 3),
    ])
    func rejectsWithReasonAndPosition(input: String, reason: String, line: Int, column: Int) {
        #expect(throws: JSONParseError.self) { try JSONParser.parse(input) }
        do {
            _ = try JSONParser.parse(input)
        } catch {
            #expect(error.reason == reason)
            #expect(error.line == line)
            #expect(error.column == column)
        }
    }

    @Test func capsNestingDepth() {
        let deep = String(repeating: "[", count: JSONParser.maxDepth + 1) + String(repeating: "]", count: JSONParser.maxDepth + 1)
        #expect(throws: JSONParseError.self) { try JSONParser.parse(deep) }
        let allowed = String(repeating: "[", count: JSONParser.maxDepth) + String(repeating: "]", count: JSONParser.maxDepth)
        #expect((try? JSONParser.parse(allowed)) != nil)
    }

    @Test func numbersCompareByValueAndReportIntegers() throws {
        #expect(JSONValue.number("1.0") == JSONValue.number("1"))
        #expect(JSONValue.number("12").integerValue == 12)
        #expect(JSONValue.number("1.5").integerValue == nil)
        #expect(try JSONParser.parse("{\"x\":{\"y\":[2]}}")["x"]?["y"]?.arrayValue?.first?.integerValue == 2)
    }
}

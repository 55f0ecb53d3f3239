import Testing
@testable import SluiceNode

@Suite struct PropertiesFileTests {
    @Test(arguments: [
        ("a=1", [("a", "1")]),
        ("a = 1 ", [("a", "1")]),
        ("a: 1", [("a", "1")]),
        ("# comment\n! other\n\na=1", [("a", "1")]),
        ("a=x=y", [("a", "x=y")]),
        ("a=1\na=2", [("a", "1"), ("a", "2")]),
        ("a=one \\\n  two", [("a", "one two")]),
        ("a=\r\nb=2\r\n", [("a", ""), ("b", "2")]),
    ])
    func parses(text: String, expected: [(String, String)]) throws {
        let entries = try PropertiesFile.parse(text, name: "f")
        #expect(entries.map(\.key) == expected.map(\.0))
        #expect(entries.map(\.value) == expected.map(\.1))
    }

    @Test func locationsNameTheLine() throws {
        let entries = try PropertiesFile.parse("# c\n\nnode.id=3\n", name: "server.properties")
        #expect(entries.first?.location == "server.properties:3")
    }

    @Test(arguments: ["no separator here", "=value"])
    func rejectsMalformedLines(line: String) {
        #expect(throws: ConfigurationError.self) {
            try PropertiesFile.parse("ok=1\n\(line)", name: "f")
        }
    }
}

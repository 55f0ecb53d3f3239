import Foundation
import Serde
import Testing

@Suite("Confluent wire format")
struct WireFormatTests {
    static let guid = UUID(uuidString: "6ba7b810-9dad-11d1-80b4-00c04fd430c8")!

    struct FrameCase: Sendable, CustomTestStringConvertible {
        let id: Int
        let payload: [UInt8]
        let expected: [UInt8]
        var testDescription: String { "id \(id), \(payload.count) payload bytes" }
    }

    @Test("framing puts magic 0 and the big-endian id before the payload", arguments: [
        FrameCase(id: 0, payload: [], expected: [0, 0, 0, 0, 0]),
        FrameCase(id: 1, payload: [0x02], expected: [0, 0, 0, 0, 1, 0x02]),
        FrameCase(id: 0x0102_0304, payload: [9, 8], expected: [0, 1, 2, 3, 4, 9, 8]),
        FrameCase(id: Int(Int32.max), payload: [7], expected: [0, 0x7F, 0xFF, 0xFF, 0xFF, 7]),
    ])
    func frame(_ c: FrameCase) throws {
        let framed = try ConfluentWireFormat.frame(schemaID: c.id, payload: c.payload)
        #expect(framed == c.expected)
        let parsed = try ConfluentWireFormat.parse(framed)
        #expect(parsed.schema == .id(c.id))
        #expect(Array(parsed.payload) == c.payload)
    }

    @Test("ids outside a Java int are refused", arguments: [-1, Int(Int32.max) + 1])
    func idOutOfRange(_ id: Int) {
        #expect(throws: WireFormatError.idOutOfRange(id)) { try ConfluentWireFormat.frame(schemaID: id, payload: [1]) }
    }

    struct BadInput: Sendable, CustomTestStringConvertible {
        let bytes: [UInt8]
        let error: WireFormatError
        let mentions: String
        var testDescription: String { "\(bytes.count) bytes: \(error)" }
    }

    @Test("malformed framing names what it found", arguments: [
        BadInput(bytes: [], error: .empty, mentions: "no bytes"),
        BadInput(bytes: [0, 0, 0, 1], error: .truncatedPrefix(length: 4, needed: 5, magic: 0), mentions: "4-byte schema id"),
        BadInput(bytes: [1] + [UInt8](repeating: 0, count: 15), error: .truncatedPrefix(length: 16, needed: 17, magic: 1), mentions: "16-byte schema GUID"),
        BadInput(bytes: [2, 0, 0, 0, 1, 0], error: .unknownMagicByte(2), mentions: "0x02"),
        BadInput(bytes: Array(#"{"a":1}"#.utf8), error: .unknownMagicByte(0x7B), mentions: "plain JSON"),
    ])
    func malformed(_ c: BadInput) {
        do {
            _ = try ConfluentWireFormat.parse(c.bytes)
            Issue.record("parsed \(c.bytes)")
        } catch {
            #expect(error == c.error)
            #expect(error.description.contains(c.mentions), "\(error.description)")
        }
    }

    @Test("the GUID prefix is read most significant byte first")
    func guidPrefix() throws {
        let header = ConfluentWireFormat.guidHeaderValue(Self.guid)
        #expect(header.count == 17)
        #expect(Array(header[0...2]) == [1, 0x6B, 0xA7])
        let parsed = try ConfluentWireFormat.parse(header + [42])
        #expect(parsed.schema == .guid(Self.guid))
        #expect(Array(parsed.payload) == [42])
    }

    struct HeaderCase: Sendable, CustomTestStringConvertible {
        let name: String
        let headers: [String: [UInt8]]
        let field: MessageField
        let bytes: [UInt8]
        let schema: SchemaIdentifier
        let payload: [UInt8]
        var testDescription: String { name }
    }

    @Test("the header form is read before the prefix", arguments: [
        HeaderCase(name: "value header with GUID", headers: ["__value_schema_id": ConfluentWireFormat.guidHeaderValue(guid)],
                   field: .value, bytes: [0, 0, 0, 0, 9, 5], schema: .guid(guid), payload: [0, 0, 0, 0, 9, 5]),
        HeaderCase(name: "key header with id", headers: ["__key_schema_id": [0, 0, 0, 0, 7]],
                   field: .key, bytes: [3], schema: .id(7), payload: [3]),
        HeaderCase(name: "the other field's header is ignored", headers: ["__key_schema_id": ConfluentWireFormat.guidHeaderValue(guid)],
                   field: .value, bytes: [0, 0, 0, 0, 9, 5], schema: .id(9), payload: [5]),
        HeaderCase(name: "no header: the prefix", headers: [:], field: .value, bytes: [0, 0, 0, 1, 0, 1, 2],
                   schema: .id(256), payload: [1, 2]),
    ])
    func header(_ c: HeaderCase) throws {
        let headers = c.headers.map { (key: $0.key, value: Optional($0.value)) }
        let located = try ConfluentWireFormat.locate(c.bytes, headers: headers, field: c.field)
        #expect(located.schema == c.schema)
        #expect(Array(located.payload) == c.payload)
    }

    @Test("a malformed schema-id header is an error, not a fallback to the prefix", arguments: [
        [UInt8](), [1, 2, 3], [2] + [UInt8](repeating: 0, count: 16), [0, 0, 0, 0, 1, 0],
    ])
    func malformedHeader(_ value: [UInt8]) {
        #expect(throws: WireFormatError.malformedHeader(name: "__value_schema_id", length: value.count, magic: value.first)) {
            try ConfluentWireFormat.locate([0, 0, 0, 0, 1], headers: [(key: "__value_schema_id", value: value)], field: .value)
        }
    }
}

import Avro
import Foundation
import Testing

/// `AvroEncoder` / `AvroDecoder` against the generic codec: a Swift value encodes to exactly the
/// bytes of the hand-built `AvroValue` it stands for, and decodes back to itself.
@Suite struct AvroCodableTests {
    enum Color: String, Codable { case red = "RED", green = "GREEN" }

    struct Everything: Codable, Equatable {
        var flag: Bool
        var small: Int32
        var big: Int
        var ratio: Float
        var precise: Double
        var name: String
        var blob: Data
        var hash: [UInt8]
        var color: Color
        var tags: [String]
        var counts: [String: Int]
        var note: String?
        var inner: Inner
    }

    struct Inner: Codable, Equatable {
        var id: Int64
        var maybe: Int?
    }

    static let everythingSchema = #"""
    {"type":"record","name":"Everything","namespace":"t","fields":[
      {"name":"flag","type":"boolean"},{"name":"small","type":"int"},{"name":"big","type":"long"},
      {"name":"ratio","type":"float"},{"name":"precise","type":"double"},{"name":"name","type":"string"},
      {"name":"blob","type":"bytes"},{"name":"hash","type":{"type":"fixed","name":"H","size":4}},
      {"name":"color","type":{"type":"enum","name":"Color","symbols":["RED","GREEN"]}},
      {"name":"tags","type":{"type":"array","items":"string"}},
      {"name":"counts","type":{"type":"map","values":"long"}},
      {"name":"note","type":["null","string"]},
      {"name":"inner","type":{"type":"record","name":"Inner","fields":[{"name":"id","type":"long"},{"name":"maybe","type":["null","int"]}]}}]}
    """#

    static let everything: [(Everything, AvroValue)] = [
        (Everything(flag: true, small: -64, big: Int.max, ratio: 1.5, precise: -0.25, name: "héllo", blob: Data([0, 255]),
                    hash: [1, 2, 3, 4], color: .green, tags: ["a", "b"], counts: ["k": 7], note: "n",
                    inner: Inner(id: 9, maybe: 3)),
         .record([.boolean(true), .int(-64), .long(.max), .float(1.5), .double(-0.25), .string("héllo"), .bytes([0, 255]),
                  .fixed([1, 2, 3, 4]), .enumeration(1, "GREEN"), .array([.string("a"), .string("b")]),
                  .map([("k", .long(7))]), .union(1, .string("n")), .record([.long(9), .union(1, .int(3))])])),
        (Everything(flag: false, small: 0, big: -1, ratio: 0, precise: .infinity, name: "", blob: Data(), hash: [0, 0, 0, 0],
                    color: .red, tags: [], counts: [:], note: nil, inner: Inner(id: 0, maybe: nil)),
         .record([.boolean(false), .int(0), .long(-1), .float(0), .double(.infinity), .string(""), .bytes([]),
                  .fixed([0, 0, 0, 0]), .enumeration(0, "RED"), .array([]), .map([]), .union(0, .null),
                  .record([.long(0), .union(0, .null)])])),
    ]

    @Test(arguments: 0..<everything.count)
    func recordsEncodeAsTheirGenericValue(index: Int) throws {
        let (value, generic) = Self.everything[index]
        let schema = try AvroSchema(parsing: Self.everythingSchema)
        let bytes = try AvroEncoder(schema: schema).encode(value)
        #expect(bytes == (try AvroBinaryEncoder.encode(generic, schema: schema)))
        #expect(try AvroDecoder(schema: schema).decode(Everything.self, from: bytes) == value)
    }

    struct Logical: Codable, Equatable {
        var at: Date
        var atMicros: Date
        var day: Date
        var id: UUID
        var rawID: UUID
        var price: Decimal
        var fixedPrice: Decimal
        var when: Date?
    }

    @Test func logicalTypesConvertToFoundationValues() throws {
        let schema = try AvroSchema(parsing: #"""
        {"type":"record","name":"L","fields":[
          {"name":"at","type":{"type":"long","logicalType":"timestamp-millis"}},
          {"name":"atMicros","type":{"type":"long","logicalType":"timestamp-micros"}},
          {"name":"day","type":{"type":"int","logicalType":"date"}},
          {"name":"id","type":{"type":"string","logicalType":"uuid"}},
          {"name":"rawID","type":{"type":"fixed","name":"U","size":16,"logicalType":"uuid"}},
          {"name":"price","type":{"type":"bytes","logicalType":"decimal","precision":9,"scale":2}},
          {"name":"fixedPrice","type":{"type":"fixed","name":"D","size":4,"logicalType":"decimal","precision":9,"scale":2}},
          {"name":"when","type":["null",{"type":"long","logicalType":"timestamp-millis"}]}]}
        """#)
        let uuid = UUID(uuidString: "0E3A4F5C-1B2D-4E6F-8A9B-0C1D2E3F4A5B")!
        let value = Logical(at: Date(timeIntervalSince1970: 1_700_000_000.123), atMicros: Date(timeIntervalSince1970: 1_700_000_000.5),
                            day: Date(timeIntervalSince1970: 19_000 * 86_400), id: uuid, rawID: uuid,
                            price: Decimal(string: "-123.45")!, fixedPrice: Decimal(string: "1.5")!, when: Date(timeIntervalSince1970: 1))
        let uuidBytes = withUnsafeBytes(of: uuid.uuid) { Array($0) }
        // -12345 in two's complement is CF C7; 150 sign-extended to four bytes is 00 00 00 96.
        let generic = AvroValue.record([
            .long(1_700_000_000_123), .long(1_700_000_000_500_000), .int(19_000),
            .string("0e3a4f5c-1b2d-4e6f-8a9b-0c1d2e3f4a5b"), .fixed(uuidBytes),
            .bytes([0xCF, 0xC7]), .fixed([0, 0, 0, 0x96]), .union(1, .long(1000)),
        ])
        let bytes = try AvroEncoder(schema: schema).encode(value)
        #expect(bytes == (try AvroBinaryEncoder.encode(generic, schema: schema)))
        let decoded = try AvroDecoder(schema: schema).decode(Logical.self, from: bytes)
        #expect(decoded.id == uuid && decoded.rawID == uuid && decoded.price == value.price && decoded.fixedPrice == value.fixedPrice)
        #expect(abs(decoded.at.timeIntervalSince1970 - value.at.timeIntervalSince1970) < 1e-6)
        #expect(decoded.day == value.day && decoded.atMicros == value.atMicros && decoded.when == value.when)
    }

    struct Node: Codable, Equatable {
        var value: Int
        var children: [Node]
    }

    @Test func recursiveTypesNest() throws {
        let schema = try AvroSchema(parsing: #"{"type":"record","name":"Node","fields":[{"name":"value","type":"long"},{"name":"children","type":{"type":"array","items":"Node"}}]}"#)
        let tree = Node(value: 1, children: [Node(value: 2, children: []), Node(value: 3, children: [Node(value: 4, children: [])])])
        let generic = AvroValue.record([.long(1), .array([.record([.long(2), .array([])]),
                                                           .record([.long(3), .array([.record([.long(4), .array([])])])])])])
        let bytes = try AvroEncoder(schema: schema).encode(tree)
        #expect(bytes == (try AvroBinaryEncoder.encode(generic, schema: schema)))
        #expect(try AvroDecoder(schema: schema).decode(Node.self, from: bytes) == tree)
    }

    /// A hand-written encode(to:) that writes fields out of schema order, and leaves one out.
    struct Backwards: Encodable {
        enum CodingKeys: String, CodingKey { case a, b, c }
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode("third", forKey: .c)
            try container.encode(1, forKey: .a)
        }
    }

    @Test func fieldsAreWrittenInSchemaOrderAndDefaultsFillTheRest() throws {
        let schema = try AvroSchema(parsing: #"{"type":"record","name":"R","fields":[{"name":"a","type":"int"},{"name":"b","type":"string","default":"dflt"},{"name":"c","type":"string"}]}"#)
        let bytes = try AvroEncoder(schema: schema).encode(Backwards())
        #expect(bytes == (try AvroBinaryEncoder.encode(.record([.int(1), .string("dflt"), .string("third")]), schema: schema)))
    }

    struct Empty: Codable {}
    struct Holder: Codable { var empty: Empty; var after: Int }

    @Test func aValueThatWritesNothingIsARecordOfDefaultsOrAnError() throws {
        let schema = try AvroSchema(parsing: #"{"type":"record","name":"H","fields":[{"name":"empty","type":{"type":"record","name":"E","fields":[{"name":"x","type":"int","default":5}]}},{"name":"after","type":"long"}]}"#)
        let bytes = try AvroEncoder(schema: schema).encode(Holder(empty: Empty(), after: 2))
        #expect(bytes == (try AvroBinaryEncoder.encode(.record([.record([.int(5)]), .long(2)]), schema: schema)))
        let strict = try AvroSchema(parsing: #"{"type":"record","name":"H","fields":[{"name":"empty","type":"string"},{"name":"after","type":"long"}]}"#)
        #expect {
            try AvroEncoder(schema: strict).encode(Holder(empty: Empty(), after: 2))
        } throws: { error in
            (error as? AvroCodingError)?.message.contains("at /empty") == true
        }
    }

    struct V1: Codable { var id: Int32; var name: String }
    struct V2: Codable, Equatable { var id: Int64; var name: String; var region: String; var extra: String? }

    @Test func decodingResolvesFromTheWriterSchema() throws {
        let writer = try AvroSchema(parsing: #"{"type":"record","name":"U","fields":[{"name":"id","type":"int"},{"name":"name","type":"string"}]}"#)
        let reader = try AvroSchema(parsing: #"{"type":"record","name":"U","fields":[{"name":"id","type":"long"},{"name":"name","type":"string"},{"name":"region","type":"string","default":"eu"}]}"#)
        let bytes = try AvroEncoder(schema: writer).encode(V1(id: 5, name: "x"))
        let value = try AvroDecoder(schema: reader, writerSchema: writer).decode(V2.self, from: bytes)
        #expect(value == V2(id: 5, name: "x", region: "eu", extra: nil))
    }

    struct Choice: Codable { var pick: Int?; var text: String? }

    @Test func unionsTakeTheBranchTheSwiftValueFits() throws {
        let schema = try AvroSchema(parsing: #"{"type":"record","name":"C","fields":[{"name":"pick","type":["null","string","long"]},{"name":"text","type":["null","long","string"]}]}"#)
        let bytes = try AvroEncoder(schema: schema).encode(Choice(pick: 7, text: "t"))
        #expect(bytes == (try AvroBinaryEncoder.encode(.record([.union(2, .long(7)), .union(2, .string("t"))]), schema: schema)))
    }

    struct WrongType: Codable { var id: String }
    struct Tags: Codable { var tags: [Int] }
    struct Narrow: Codable { var n: Int8 }
    struct Colored: Codable { var color: String }
    struct Missing: Codable { var other: Int }
    struct Hash: Codable { var hash: [UInt8] }

    static let encodingErrors: [(schema: String, value: any Encodable & Sendable, path: String, reason: String)] = [
        (#"{"type":"record","name":"R","fields":[{"name":"id","type":"long"}]}"#, WrongType(id: "x"), "/id", "string"),
        (#"{"type":"record","name":"R","fields":[{"name":"tags","type":{"type":"array","items":"string"}}]}"#, Tags(tags: [1]), "/tags/0", "integer"),
        (#"{"type":"record","name":"R","fields":[{"name":"color","type":{"type":"enum","name":"E","symbols":["RED"]}}]}"#, Colored(color: "BLUE"), "/color", "not a symbol"),
        (#"{"type":"record","name":"R","fields":[{"name":"other","type":"long"},{"name":"needed","type":"long"}]}"#, Missing(other: 1), "/", "needed"),
        (#"{"type":"record","name":"R","fields":[{"name":"hash","type":{"type":"fixed","name":"F","size":2}}]}"#, Hash(hash: [1, 2, 3]), "/hash", "3 bytes"),
        (#"{"type":"record","name":"R","fields":[{"name":"n","type":"int"}]}"#, Missing(other: 1), "/", "no field \"other\""),
    ]

    @Test(arguments: 0..<encodingErrors.count)
    func encodingErrorsNameTheField(index: Int) throws {
        let (schema, value, path, reason) = Self.encodingErrors[index]
        let encoder = try AvroEncoder(schema: try AvroSchema(parsing: schema))
        #expect {
            try encoder.encode(value)
        } throws: { error in
            let message = (error as? AvroCodingError)?.message ?? "\(error)"
            return message.contains("at \(path)") && message.contains(reason)
        }
    }

    @Test func decodingErrorsNameTheField() throws {
        let schema = try AvroSchema(parsing: #"{"type":"record","name":"R","fields":[{"name":"n","type":"int"}]}"#)
        let bytes = try AvroBinaryEncoder.encode(.record([.int(300)]), schema: schema)
        #expect {
            try AvroDecoder(schema: schema).decode(Narrow.self, from: bytes)
        } throws: { error in
            (error as? AvroCodingError)?.message.contains("at /n: 300 does not fit an Int8") == true
        }
        #expect {
            try AvroDecoder(schema: schema).decode(Missing.self, from: bytes)
        } throws: { error in
            (error as? AvroCodingError)?.message.contains("at /other") == true
        }
    }
}

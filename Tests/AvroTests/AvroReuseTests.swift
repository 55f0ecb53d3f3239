import Avro
import Testing

/// The codec's reusable buffers and values (the fast paths of the bench): many datums appended
/// to one encoder, datums read from slices of a shared buffer, and datums read into a value that
/// is reused. Each must give exactly what the one-datum API gives.
@Suite struct AvroReuseTests {
    static let schemaText = #"{"type":"record","name":"R","fields":[{"name":"id","type":"long"},{"name":"u","type":["null","string"]},{"name":"tags","type":{"type":"array","items":"string"}},{"name":"inner","type":{"type":"record","name":"I","fields":[{"name":"d","type":"double"},{"name":"m","type":{"type":"map","values":"int"}}]}}]}"#

    /// Datums whose shapes vary from one to the next (union branch, array length, map size),
    /// so that reading into the previous value grows, shrinks and replaces its parts.
    static func datum(_ i: Int) -> AvroValue {
        .record([
            .long(Int64(i) * 1_000_003 - 500),
            i % 2 == 0 ? .union(0, .null) : .union(1, .string(String(repeating: "é", count: i % 20))),
            .array((0..<(i * 7 % 5)).map { .string("tag \($0) of \(i)") }),
            .record([.double(Double(i) / 3), .map((0..<(i % 3)).map { (key: "k\($0)", value: .int(Int32($0 - i))) })]),
        ])
    }

    @Test func manyDatumsInOneEncoderAndReadBackFromSlices() throws {
        let schema = try AvroSchema(parsing: Self.schemaText)
        var encoder = AvroBinaryEncoder(schema: schema)
        var offsets = [0]
        for i in 0..<300 {
            try encoder.encode(Self.datum(i))
            offsets.append(encoder.bytes.count)
        }
        let reader = try AvroDatumReader(writer: schema)
        let buffer = encoder.bytes
        var reused = AvroValue.null
        for i in 0..<300 {
            let slice = buffer[offsets[i] ..< offsets[i + 1]]
            // The shared buffer holds each datum exactly as a fresh encoder writes it.
            #expect(Array(slice) == (try AvroBinaryEncoder.encode(Self.datum(i), schema: schema)))
            #expect(try reader.read(slice) == Self.datum(i))
            try slice.withUnsafeBytes { raw in try reader.read(raw, into: &reused) }
            #expect(reused == Self.datum(i))
        }
    }

    @Test(arguments: [AvroValue.null, .long(1), .record([]), .record([.null, .null, .null, .null]), datum(4), datum(7)])
    func readingIntoAnyPreviousValueGivesTheDatum(previous: AvroValue) throws {
        let schema = try AvroSchema(parsing: Self.schemaText)
        let reader = try AvroDatumReader(writer: schema)
        let bytes = try AvroBinaryEncoder.encode(Self.datum(3), schema: schema)
        var value = previous
        try bytes.withUnsafeBytes { raw in try reader.read(raw, into: &value) }
        #expect(value == Self.datum(3))
    }

    @Test func readingIntoAValueDoesNotChangeACopyOfIt() throws {
        let schema = try AvroSchema(parsing: Self.schemaText)
        let reader = try AvroDatumReader(writer: schema)
        var value = Self.datum(5)
        let copy = value
        let bytes = try AvroBinaryEncoder.encode(Self.datum(6), schema: schema)
        try bytes.withUnsafeBytes { raw in try reader.read(raw, into: &value) }
        #expect(value == Self.datum(6))
        #expect(copy == Self.datum(5))
    }

    @Test func resolvingIntoAReusedValueFillsTheAddedField() throws {
        let writer = try AvroSchema(parsing: #"{"type":"record","name":"R","fields":[{"name":"a","type":"int"},{"name":"s","type":"string"}]}"#)
        let reader = try AvroSchema(parsing: #"{"type":"record","name":"R","fields":[{"name":"a","type":"long"},{"name":"added","type":"string","default":"d"},{"name":"s","type":"string"}]}"#)
        let resolver = try AvroDatumReader(writer: writer, reader: reader)
        var value = AvroValue.null
        for i in 0..<5 {
            let bytes = try AvroBinaryEncoder.encode(.record([.int(Int32(i)), .string("s\(i)")]), schema: writer)
            let expected = AvroValue.record([.long(Int64(i)), .string("d"), .string("s\(i)")])
            try bytes.withUnsafeBytes { raw in try resolver.read(raw, into: &value) }
            #expect(value == expected)
            #expect(try resolver.read(bytes) == expected)
        }
    }

    @Test func aFailedEncodeLeavesTheBufferAsItWas() throws {
        let schema = try AvroSchema(parsing: Self.schemaText)
        var encoder = AvroBinaryEncoder(schema: schema)
        try encoder.encode(Self.datum(1))
        let before = encoder.bytes
        var bad = Self.datum(2)
        if case .record(var fields) = bad {
            fields[2] = .array([.string("fine"), .long(9)])
            bad = .record(fields)
        }
        do {
            try encoder.encode(bad)
            Issue.record("encoded a long as a string")
        } catch {
            // The message names the place of the wrong value.
            #expect(error.message.contains("/tags/1"), "\(error.message)")
            #expect(error.message.contains("not a string"), "\(error.message)")
        }
        #expect(encoder.bytes == before)
    }

    @Test func aDatumLargerThanTheReservedRoomIsWrittenWhole() throws {
        let schema = try AvroSchema(parsing: #"{"type":"array","items":"string"}"#)
        var encoder = AvroBinaryEncoder(schema: schema)
        try encoder.encode(.array([.string("small")]))
        let large = AvroValue.array((0..<2_000).map { .string(String(repeating: "x", count: $0 % 300)) })
        try encoder.encode(large)
        let reader = try AvroDatumReader(writer: schema)
        let first = try AvroBinaryEncoder.encode(.array([.string("small")]), schema: schema)
        #expect(try reader.read(encoder.bytes[first.count...]) == large)
    }

    @Test(arguments: [[UInt8]("plain ascii".utf8), Array("naïve – ünïcödé ✓ 😀".utf8)])
    func validUTF8IsReadAsItIs(text: [UInt8]) throws {
        let schema = try AvroSchema(parsing: #""string""#)
        let bytes = try AvroBinaryEncoder.encode(.string(String(decoding: text, as: UTF8.self)), schema: schema)
        #expect(try AvroDatumReader(writer: schema).read(bytes) == .string(String(decoding: text, as: UTF8.self)))
    }

    @Test(arguments: [[UInt8]([0xc0, 0x80]), [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0x61, 0x80], [0xe2, 0x82]])
    func invalidUTF8IsRefused(text: [UInt8]) throws {
        let reader = try AvroDatumReader(writer: try AvroSchema(parsing: #""string""#))
        #expect(throws: AvroCodingError.self) { try reader.read([UInt8(text.count * 2)] + text) }
    }
}

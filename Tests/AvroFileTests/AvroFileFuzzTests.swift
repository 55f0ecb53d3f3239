import Avro
import AvroFile
import Testing

/// Damaged container files never crash the reader: each mutation of a valid file either reads
/// (to values that re-encode under the file's schema) or fails with an error that says why.
@Suite struct AvroFileFuzzTests {
    /// SplitMix64: a small seeded generator, so a failure can be replayed.
    struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let schema = #"""
    {"type":"record","name":"R","fields":[{"name":"id","type":"long"},{"name":"tags","type":{"type":"array","items":"string"}},
      {"name":"m","type":{"type":"map","values":["null","double"]}},{"name":"f","type":{"type":"fixed","name":"F","size":3}}]}
    """#

    @Test(arguments: AvroFileCodec.allCases)
    func mutatedFilesFailWithAReasonOrReadCleanly(codec: AvroFileCodec) throws {
        let schema = try AvroSchema(parsing: Self.schema)
        var container = try AvroContainerWriter(schema: schema, codec: codec, blockSize: 64)
        for i in 0..<40 {
            try container.append(.record([.long(Int64(i) * 7919), .array((0..<(i % 4)).map { .string("t\($0)") }),
                                          .map([("k\(i)", i % 2 == 0 ? .union(0, .null) : .union(1, .double(Double(i))))]),
                                          .fixed([UInt8(i), 1, 2])]))
        }
        let original = try container.finish()
        var generator = SeededGenerator(state: 0xA5A5 &+ UInt64(codec.rawValue.utf8.count))
        var read = 0
        var refused = 0
        for _ in 0..<3_000 {
            var bytes = original
            switch Int.random(in: 0..<3, using: &generator) {
            case 0:
                for _ in 0..<Int.random(in: 1...4, using: &generator) {
                    bytes[Int.random(in: 0..<bytes.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
                }
            case 1:
                bytes.removeLast(Int.random(in: 1..<bytes.count, using: &generator))
            default:
                let at = Int.random(in: 0..<bytes.count, using: &generator)
                bytes.insert(contentsOf: (0..<Int.random(in: 1...8, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }, at: at)
            }
            do {
                let file = try AvroContainerReader(bytes: bytes, maxBlockSize: 1 << 20)
                let values = try file.values()
                for value in values { _ = try AvroBinaryEncoder.encode(value, schema: file.schema) }
                read += 1
            } catch {
                #expect(!"\(error)".isEmpty)
                refused += 1
            }
        }
        #expect(read + refused == 3_000 && refused > 1_000, "read \(read), refused \(refused)")
    }
}

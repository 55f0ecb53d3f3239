import Avro
import OrderedJSON
import Testing

/// Hostile input never crashes the parsers or the decoder: mutated schema texts and random
/// datum bytes, from a fixed seed so a failure is reproducible.
@Suite struct AvroFuzzTests {
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

    static let seeds = [
        #"{"type":"record","name":"R","namespace":"n","fields":[{"name":"a","type":["null","string"],"default":null},{"name":"m","type":{"type":"map","values":{"type":"array","items":"long"}}},{"name":"e","type":{"type":"enum","name":"E","symbols":["A","B"],"default":"A"}},{"name":"f","type":{"type":"fixed","name":"F","size":4}},{"name":"r","type":["null","R"],"default":null}]}"#,
        #"["null","int",{"type":"array","items":"double"},{"type":"record","name":"X","fields":[]}]"#,
    ]

    @Test func mutatedSchemasNeverCrashTheParser() {
        var random = SeededGenerator(state: 42)
        let alphabet = Array(#"{}[]":,"0123456789abcdefnrtu\ -.eE"#.utf8)
        var parsed = 0
        for round in 0..<20_000 {
            var bytes = Array(Self.seeds[round % Self.seeds.count].utf8)
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                let position = Int.random(in: 0..<bytes.count, using: &random)
                switch Int.random(in: 0..<3, using: &random) {
                case 0: bytes[position] = alphabet.randomElement(using: &random)!
                case 1: bytes.remove(at: position)
                default: bytes.insert(alphabet.randomElement(using: &random)!, at: position)
                }
                if bytes.isEmpty { bytes = [0x7b] }
            }
            if let schema = try? AvroSchema(parsing: String(decoding: bytes, as: UTF8.self)) {
                parsed += 1
                // Whatever parses prints and re-parses to the same canonical form.
                #expect((try? AvroSchema(parsing: schema.text))?.canonicalForm == schema.canonicalForm)
            }
        }
        #expect(parsed > 0)
    }

    @Test func randomBytesNeverCrashTheDecoder() throws {
        var random = SeededGenerator(state: 7)
        let schema = try AvroSchema(parsing: Self.seeds[0])
        let reader = try AvroDatumReader(writer: schema)
        var decoded = 0
        var rejected = 0
        for _ in 0..<50_000 {
            let count = Int.random(in: 0...64, using: &random)
            let bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &random) }
            do {
                let value = try reader.read(bytes)
                decoded += 1
                // What decodes encodes back to the same bytes.
                #expect(try AvroBinaryEncoder.encode(value, schema: schema) == bytes)
            } catch {
                rejected += 1
                #expect(!error.message.isEmpty)
            }
        }
        #expect(decoded + rejected == 50_000)
        #expect(rejected > 0)
    }
}

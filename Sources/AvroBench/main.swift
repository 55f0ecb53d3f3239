// sluice-avro-bench SCHEMA N REPEATS: the Swift Avro codec bench of ../shared/bench/README.md
// ("Swift Avro codec bench contract"): builds the same records as avro_c_bench.c, encodes all N
// to datum bytes, decodes them all reading every field, and prints the best of REPEATS as
// RESULT {"codec":"swift","encode_records_per_s":X,"decode_records_per_s":Y}.
import Avro
import Dispatch
import Foundation

let arguments = CommandLine.arguments
guard arguments.count == 4, let count = Int(arguments[2]), let repeats = Int(arguments[3]), count > 0, repeats > 0,
      let schemaData = FileManager.default.contents(atPath: arguments[1]) else {
    FileHandle.standardError.write(Data("usage: sluice-avro-bench SCHEMA N REPEATS\n".utf8))
    exit(2)
}
let schema: AvroSchema
do {
    schema = try AvroSchema(parsing: String(decoding: schemaData, as: UTF8.self))
} catch {
    FileHandle.standardError.write(Data("invalid schema: \(error)\n".utf8))
    exit(2)
}

let tagNames = ["alpha", "beta", "gamma"]
let records: [AvroValue] = (0..<count).map { i in
    .record([
        .long(Int64(i)),
        .long(1_700_000_000_000 + Int64(i)),
        .string("user-\(i % 1000)"),
        .double(Double(i) * 0.25),
        .boolean(i % 2 == 0),
        i % 3 == 0 ? .union(1, .string("note number \(i)")) : .union(0, .null),
        .array(tagNames.prefix(i % 3 + 1).map { .string($0) }),
    ])
}

func seconds(since start: UInt64) -> Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }

var encoder = AvroBinaryEncoder(schema: schema)
var encoded: [[UInt8]] = []
var bestEncode = 0.0
var bestDecode = 0.0
do {
    let reader = try AvroDatumReader(writer: schema)
    for _ in 0..<repeats {
        encoded.removeAll(keepingCapacity: true)
        let start = DispatchTime.now().uptimeNanoseconds
        for record in records {
            encoder.reset()
            try encoder.encode(record)
            encoded.append(encoder.bytes)
        }
        bestEncode = max(bestEncode, Double(count) / seconds(since: start))

        var checksum = 0
        let decodeStart = DispatchTime.now().uptimeNanoseconds
        for datum in encoded {
            // Read every field, as the C bench does.
            guard case .record(let fields) = try reader.read(datum) else { fatalError("not a record") }
            for field in fields {
                switch field {
                case .long(let value): checksum &+= Int(truncatingIfNeeded: value)
                case .string(let text): checksum &+= text.utf8.count
                case .double(let value): checksum &+= Int(value)
                case .boolean(let flag): checksum &+= flag ? 1 : 0
                case .union(_, .string(let text)): checksum &+= text.utf8.count
                case .array(let items): checksum &+= items.count
                default: break
                }
            }
        }
        bestDecode = max(bestDecode, Double(count) / seconds(since: decodeStart))
        if checksum == 42 { print("") }
    }
} catch {
    FileHandle.standardError.write(Data("bench failed: \(error)\n".utf8))
    exit(1)
}
print("RESULT {\"codec\":\"swift\",\"encode_records_per_s\":\(Int(bestEncode)),\"decode_records_per_s\":\(Int(bestDecode))}")

// sluice-avro-bench SCHEMA N REPEATS: the Swift Avro codec bench of ../shared/bench/README.md
// ("Swift Avro codec bench contract"): builds the same records as avro_c_bench.c, encodes all N
// to datum bytes, decodes them all reading every field, and prints the best of REPEATS as
// RESULT {"codec":"swift","encode_records_per_s":X,"decode_records_per_s":Y,...}.
//
// As avro_c_bench.c does, the N datums are written one after another into one reused buffer
// (with their offsets) and read back from it into one reused value (decode_records_per_s; the
// figure for a fresh value per datum is fresh_decode_records_per_s). The same run measures
// resolving decode: the datums read into the schema evolved by one added field with a default
// (a reader compiled once for the pair), as resolve_decode_records_per_s.
import Avro
import Dispatch
import Foundation

let arguments = CommandLine.arguments
guard arguments.count == 4, let count = Int(arguments[2]), let repeats = Int(arguments[3]), count > 0, repeats > 0,
      let schemaData = FileManager.default.contents(atPath: arguments[1]) else {
    FileHandle.standardError.write(Data("usage: sluice-avro-bench SCHEMA N REPEATS\n".utf8))
    exit(2)
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("sluice-avro-bench: \(message)\n".utf8))
    exit(1)
}

/// The writer schema with one more field at the end, a string with a default (schema evolution
/// as a registry sees it: BACKWARD compatible).
func evolved(_ json: Data) -> String {
    guard var object = (try? JSONSerialization.jsonObject(with: json)) as? [String: Any],
          var fields = object["fields"] as? [Any] else { fail("the schema is not a record; resolving decode needs one") }
    fields.append(["name": "region", "type": "string", "default": "unknown"])
    object["fields"] = fields
    guard let text = try? JSONSerialization.data(withJSONObject: object) else { fail("cannot print the evolved schema") }
    return String(decoding: text, as: UTF8.self)
}

let schema: AvroSchema
let readerSchema: AvroSchema
do {
    schema = try AvroSchema(parsing: String(decoding: schemaData, as: UTF8.self))
    readerSchema = try AvroSchema(parsing: evolved(schemaData))
} catch {
    fail("invalid schema: \(error)")
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

/// Touches every field of a decoded record, as the C bench reads each one back out.
@inline(never)
func checksum(_ value: AvroValue) -> Int {
    guard case .record(let fields) = value else { fail("decoded a non-record") }
    var sum = 0
    for field in fields {
        switch field {
        case .long(let number): sum &+= Int(truncatingIfNeeded: number)
        case .string(let text): sum &+= text.utf8.count
        case .double(let number): sum &+= Int(number)
        case .boolean(let flag): sum &+= flag ? 1 : 0
        case .union(_, .string(let text)): sum &+= text.utf8.count
        case .union(_, _): sum &+= 1
        case .array(let items):
            for case .string(let text) in items { sum &+= text.utf8.count }
        default: break
        }
    }
    return sum
}

/// Decodes every datum of `buffer` (split at `offsets`) with `reader`, into one reused value (as
/// avro_c_bench.c reads into a reused generic value) or into a fresh value each; records/s.
func decodeAll(_ reader: AvroDatumReader, _ buffer: [UInt8], _ offsets: [Int], reusing: Bool,
               checksum total: inout Int) throws -> Double {
    try buffer.withUnsafeBytes { raw in
        var value = AvroValue.null
        let start = DispatchTime.now().uptimeNanoseconds
        for index in 0..<offsets.count - 1 {
            let datum = UnsafeRawBufferPointer(rebasing: raw[offsets[index] ..< offsets[index + 1]])
            if reusing {
                try reader.read(datum, into: &value)
                total &+= checksum(value)
            } else {
                total &+= checksum(try reader.read(datum))
            }
        }
        return Double(offsets.count - 1) / seconds(since: start)
    }
}

struct Figures {
    var encode = 0.0, decode = 0.0, decodeFresh = 0.0, resolve = 0.0, resolveFresh = 0.0
    var bytesPerRecord = 0.0, checksum = 0
}

func run(records: [AvroValue], schema: AvroSchema, readerSchema: AvroSchema, repeats: Int) throws -> Figures {
    var figures = Figures()
    var encoder = AvroBinaryEncoder(schema: schema)
    var offsets = [Int](repeating: 0, count: records.count + 1)
    let reader = try AvroDatumReader(writer: schema)
    let resolver = try AvroDatumReader(writer: schema, reader: readerSchema)
    for _ in 0..<repeats {
        encoder.reset()
        let start = DispatchTime.now().uptimeNanoseconds
        for index in records.indices {
            offsets[index] = encoder.bytes.count
            try encoder.encode(records[index])
        }
        figures.encode = max(figures.encode, Double(records.count) / seconds(since: start))
        offsets[records.count] = encoder.bytes.count

        var plain = 0, fresh = 0, resolved = 0, resolvedFresh = 0
        figures.decode = max(figures.decode, try decodeAll(reader, encoder.bytes, offsets, reusing: true, checksum: &plain))
        figures.decodeFresh = max(figures.decodeFresh, try decodeAll(reader, encoder.bytes, offsets, reusing: false, checksum: &fresh))
        figures.resolve = max(figures.resolve, try decodeAll(resolver, encoder.bytes, offsets, reusing: true, checksum: &resolved))
        figures.resolveFresh = max(figures.resolveFresh,
                                   try decodeAll(resolver, encoder.bytes, offsets, reusing: false, checksum: &resolvedFresh))
        // The resolved records carry the default ("unknown", 7 bytes) besides every plain field.
        guard fresh == plain, resolved == plain &+ 7 * records.count, resolvedFresh == resolved else {
            fail("the decoders read different values (checksums \(plain) \(fresh) \(resolved) \(resolvedFresh))")
        }
        figures.checksum = plain
    }
    figures.bytesPerRecord = Double(offsets[records.count]) / Double(records.count)
    return figures
}

let figures: Figures
do {
    figures = try run(records: records, schema: schema, readerSchema: readerSchema, repeats: repeats)
} catch {
    fail("bench failed: \(error)")
}
print(String(format: "swift: %d records, %.1f B/record encoded, checksum %d", count, figures.bytesPerRecord, figures.checksum))
print(String(format: "swift decode into a fresh value per datum: %.0f records/s, resolving %.0f records/s",
             figures.decodeFresh, figures.resolveFresh))
print("RESULT {\"codec\":\"swift\",\"records\":\(count),\"bytes_per_record\":\(String(format: "%.2f", figures.bytesPerRecord)),"
    + "\"encode_records_per_s\":\(Int(figures.encode)),\"decode_records_per_s\":\(Int(figures.decode)),"
    + "\"resolve_decode_records_per_s\":\(Int(figures.resolve)),"
    + "\"fresh_decode_records_per_s\":\(Int(figures.decodeFresh)),"
    + "\"fresh_resolve_decode_records_per_s\":\(Int(figures.resolveFresh))}")

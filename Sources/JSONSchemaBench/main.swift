import Foundation
import JSONSchema
import OrderedJSON

// sluice-jsonschema-bench <schema.json> <docs.jsonl>: parses every line first, then validates
// them all with `isValid` and with `violations(of:)`, and prints one JSON line of rates, so
// validation is measured apart from parsing (scripts/bench-jsonschema.sh compares it with the
// jsonschema package on the same documents).
let arguments = CommandLine.arguments
guard arguments.count == 3, let schemaData = FileManager.default.contents(atPath: arguments[1]),
      let documentData = FileManager.default.contents(atPath: arguments[2]) else {
    FileHandle.standardError.write(Data("usage: sluice-jsonschema-bench <schema.json> <docs.jsonl>\n".utf8))
    exit(2)
}
let validator = try JSONSchemaValidator(schema: try JSONParser.parse([UInt8](schemaData)))
var clock = ContinuousClock.now
let documents = try [UInt8](documentData).split(separator: UInt8(ascii: "\n")).map { try JSONParser.parse(Array($0)) }
func seconds(since start: ContinuousClock.Instant) -> Double {
    let elapsed = ContinuousClock.now - start
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
}
let parseSeconds = seconds(since: clock)
var invalid = 0
clock = ContinuousClock.now
for document in documents where !validator.isValid(document) { invalid += 1 }
let isValidSeconds = seconds(since: clock)
var reported = 0
clock = ContinuousClock.now
for document in documents where !validator.violations(of: document).isEmpty { reported += 1 }
let violationsSeconds = seconds(since: clock)
let count = Double(documents.count)
print("{\"documents\":\(documents.count),\"invalid\":\(invalid),\"reported\":\(reported),"
      + "\"parse_per_s\":\(Int(count / parseSeconds)),\"is_valid_per_s\":\(Int(count / isValidSeconds)),"
      + "\"violations_per_s\":\(Int(count / violationsSeconds))}")

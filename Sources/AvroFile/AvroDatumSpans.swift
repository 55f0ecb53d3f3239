import Avro

/// Finds where each datum of a container block ends, by skipping over the writer schema's
/// encoding (a block is datums back to back, and the codec's reader decodes one datum at a time).
/// Every length is checked against the bytes left, so hostile data fails instead of looping or
/// allocating.
struct AvroDatumSpans {
    private let root: SkipNode

    init(schema: AvroSchema) {
        var named: [String: SkipNode] = [:]
        root = Self.compile(schema.root, schema, &named)
    }

    /// The byte ranges of `count` datums that must fill `block` exactly.
    func spans(in block: [UInt8], count: Int) throws(AvroFileError) -> [Range<Int>] {
        guard count <= block.count || root.isEmpty, count <= 100_000_000 else {
            throw AvroFileError("a block of \(block.count) bytes cannot hold \(count) datums")
        }
        var spans: [Range<Int>] = []
        spans.reserveCapacity(min(count, block.count + 1))
        var position = 0
        for index in 0..<count {
            let start = position
            do {
                try root.skip(block, &position)
            } catch {
                throw AvroFileError("datum \(index) of the block: \(error.message)")
            }
            spans.append(start..<position)
        }
        guard position == block.count else {
            throw AvroFileError("\(block.count - position) bytes left in the block after its \(count) datums")
        }
        return spans
    }

    private static func compile(_ type: AvroType, _ schema: AvroSchema, _ named: inout [String: SkipNode]) -> SkipNode {
        let resolved = schema.resolve(type)
        if let name = resolved.fullName, let existing = named[name] { return existing }
        let node = SkipNode()
        if let name = resolved.fullName { named[name] = node }
        switch resolved {
        case .primitive(let primitive, _):
            switch primitive {
            case .null: node.kind = .width(0)
            case .boolean: node.kind = .width(1)
            case .int, .long: node.kind = .varint
            case .float: node.kind = .width(4)
            case .double: node.kind = .width(8)
            case .bytes, .string: node.kind = .lengthPrefixed
            }
        case .fixed(let fixed): node.kind = .width(fixed.size)
        case .enumeration: node.kind = .varint
        case .array(let items, _): node.kind = .blocks(compile(items, schema, &named), keyed: false)
        case .map(let values, _): node.kind = .blocks(compile(values, schema, &named), keyed: true)
        case .union(let branches): node.kind = .union(branches.map { compile($0, schema, &named) })
        case .record(let record): node.kind = .record(record.fields.map { compile($0.type, schema, &named) })
        case .named(let name): node.kind = .invalid("the type \(name) is not defined")
        }
        return node
    }
}

private final class SkipNode: @unchecked Sendable {
    // Set once while compiling (a recursive type points back at a node being built), then only read.
    var kind: Kind = .width(0)

    enum Kind {
        case width(Int)
        case varint
        case lengthPrefixed
        case blocks(SkipNode, keyed: Bool)
        case union([SkipNode])
        case record([SkipNode])
        case invalid(String)
    }

    /// Takes no bytes (null, or a record of nulls): such items are capped by count, not size.
    var isEmpty: Bool {
        switch kind {
        case .width(0): true
        case .record(let fields): fields.allSatisfy { $0 !== self && $0.isEmpty }
        default: false
        }
    }

    func skip(_ bytes: [UInt8], _ position: inout Int) throws(AvroCodingError) {
        switch kind {
        case .width(let width):
            guard bytes.count - position >= width else { throw AvroCodingError("truncated at byte \(position)") }
            position += width
        case .varint:
            _ = try Self.long(bytes, &position)
        case .lengthPrefixed:
            let length = try Self.long(bytes, &position)
            guard length >= 0, length <= Int64(bytes.count - position) else {
                throw AvroCodingError("length \(length) at byte \(position) exceeds the \(bytes.count - position) bytes left")
            }
            position += Int(length)
        case .blocks(let item, let keyed):
            while true {
                var count = try Self.long(bytes, &position)
                if count == 0 { break }
                if count < 0 {
                    guard count != .min else { throw AvroCodingError("invalid block count at byte \(position)") }
                    count = -count
                    _ = try Self.long(bytes, &position)
                }
                let limit = item.isEmpty && !keyed ? 10_000_000 : Int64(bytes.count - position)
                guard count <= limit else { throw AvroCodingError("a block of \(count) items at byte \(position) exceeds the data") }
                for _ in 0..<count {
                    if keyed { try SkipNode.string.skip(bytes, &position) }
                    try item.skip(bytes, &position)
                }
            }
        case .union(let branches):
            let index = try Self.long(bytes, &position)
            guard index >= 0, index < Int64(branches.count) else { throw AvroCodingError("union branch \(index) at byte \(position) does not exist") }
            try branches[Int(index)].skip(bytes, &position)
        case .record(let fields):
            for field in fields { try field.skip(bytes, &position) }
        case .invalid(let message):
            throw AvroCodingError(message)
        }
    }

    private static let string: SkipNode = {
        let node = SkipNode()
        node.kind = .lengthPrefixed
        return node
    }()

    private static func long(_ bytes: [UInt8], _ position: inout Int) throws(AvroCodingError) -> Int64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard position < bytes.count else { throw AvroCodingError("truncated varint at byte \(position)") }
            guard shift < 64 else { throw AvroCodingError("varint longer than 10 bytes at byte \(position)") }
            let byte = bytes[position]
            position += 1
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { break }
            shift += 7
        }
        return Int64(bitPattern: result >> 1) ^ -Int64(bitPattern: result & 1)
    }
}

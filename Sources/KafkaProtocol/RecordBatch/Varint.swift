/// Zigzag varints as used inside records (not the unsigned varints of the flexible protocol
/// encoding): zigzag, then LEB128, at most 5 bytes for 32 bits and 10 for 64.
struct VarintReader {
    let bytes: [UInt8]
    private(set) var position = 0

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    var remaining: Int { bytes.count - position }
    var isAtEnd: Bool { position == bytes.count }

    mutating func byte() throws(VarintError) -> UInt8 {
        guard position < bytes.count else { throw VarintError("unexpected end of the records") }
        defer { position += 1 }
        return bytes[position]
    }

    mutating func varlong() throws(VarintError) -> Int64 {
        var raw: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let next = try byte()
            guard shift < 64 else { throw VarintError("varlong longer than 10 bytes") }
            raw |= UInt64(next & 0x7f) << shift
            if next & 0x80 == 0 { break }
            shift += 7
        }
        return Int64(bitPattern: raw >> 1) ^ -Int64(bitPattern: raw & 1)
    }

    mutating func varint() throws(VarintError) -> Int32 {
        let start = position
        let value = try varlong()
        guard position - start <= 5, let narrow = Int32(exactly: value) else {
            throw VarintError("varint longer than 5 bytes or out of range")
        }
        return narrow
    }

    /// A length-prefixed byte string; length -1 is null.
    mutating func nullableBytes(_ field: String) throws(VarintError) -> [UInt8]? {
        let length = try varint()
        if length == -1 { return nil }
        guard length >= 0 else { throw VarintError("\(field) length \(length) is negative") }
        guard Int(length) <= remaining else {
            throw VarintError("\(field) length \(length) exceeds the \(remaining) bytes left")
        }
        defer { position += Int(length) }
        return Array(bytes[position..<(position + Int(length))])
    }
}

struct VarintError: Error {
    var message: String

    init(_ message: String) {
        self.message = message
    }
}

enum VarintWriter {
    static func writeVarlong(_ value: Int64, into bytes: inout [UInt8]) {
        var raw = UInt64(bitPattern: (value << 1) ^ (value >> 63))
        while raw >= 0x80 {
            bytes.append(UInt8(raw & 0x7f) | 0x80)
            raw >>= 7
        }
        bytes.append(UInt8(raw))
    }

    static func writeVarint(_ value: Int32, into bytes: inout [UInt8]) {
        writeVarlong(Int64(value), into: &bytes)
    }

    static func writeNullableBytes(_ value: [UInt8]?, into bytes: inout [UInt8]) {
        guard let value else {
            writeVarint(-1, into: &bytes)
            return
        }
        writeVarint(Int32(value.count), into: &bytes)
        bytes += value
    }
}

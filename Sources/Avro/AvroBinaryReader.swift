/// A bounds-checked cursor over Avro binary data: every length is checked against the bytes
/// left before anything is allocated, so hostile input cannot make it allocate beyond its size.
/// Inlinable (with ``AvroReader``), so generated code reads its fields without a call per field.
@usableFromInline
struct AvroBinaryReader {
    @usableFromInline let bytes: UnsafeRawBufferPointer
    @usableFromInline var position = 0

    @usableFromInline
    init(bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    @inlinable
    var remaining: Int { bytes.count - position }

    @usableFromInline
    func error(_ message: String) -> AvroCodingError {
        AvroCodingError("\(message) at byte \(position)")
    }

    /// A zigzag varint. One-byte values (small numbers, lengths and branch indices: most of them)
    /// take the inlined path.
    @inlinable @inline(__always)
    mutating func readLong() throws(AvroCodingError) -> Int64 {
        guard position < bytes.count else { throw error("truncated varint") }
        let first = bytes[position]
        if first < 0x80 {
            position += 1
            return Int64(first >> 1) ^ -Int64(first & 1)
        }
        return try readLongSlowly()
    }

    @usableFromInline
    mutating func readLongSlowly() throws(AvroCodingError) -> Int64 {
        if bytes.count - position >= 10 {
            // Room for the longest varint: no bounds check per byte.
            var result: UInt64 = 0
            var shift: UInt64 = 0
            var offset = position
            while shift < 70 {
                let byte = bytes[offset]
                offset += 1
                result |= UInt64(byte & 0x7F) << shift
                if byte & 0x80 == 0 {
                    position = offset
                    return Int64(bitPattern: result >> 1) ^ -Int64(bitPattern: result & 1)
                }
                shift += 7
            }
            position = offset - 1
            throw error("varint longer than 10 bytes")
        }
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard position < bytes.count else { throw error("truncated varint") }
            let byte = bytes[position]
            position += 1
            guard shift < 64 else { throw error("varint longer than 10 bytes") }
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { break }
            shift += 7
        }
        return Int64(bitPattern: result >> 1) ^ -Int64(bitPattern: result & 1)
    }

    @inlinable @inline(__always)
    mutating func readInt() throws(AvroCodingError) -> Int32 {
        let value = try readLong()
        guard let narrow = Int32(exactly: value) else { throw error("int value \(value) out of 32-bit range") }
        return narrow
    }

    @inlinable
    mutating func readBoolean() throws(AvroCodingError) -> Bool {
        guard position < bytes.count else { throw error("truncated boolean") }
        let byte = bytes[position]
        position += 1
        guard byte <= 1 else { throw error("boolean byte \(byte) is neither 0 nor 1") }
        return byte == 1
    }

    @inlinable
    mutating func readFixedWidth<T: FixedWidthInteger>(_: T.Type) throws(AvroCodingError) -> T {
        let size = MemoryLayout<T>.size
        guard remaining >= size else { throw error("truncated \(size)-byte number") }
        let value = bytes.loadUnaligned(fromByteOffset: position, as: T.self)
        position += size
        return T(littleEndian: value)
    }

    @inlinable
    mutating func readFloat() throws(AvroCodingError) -> Float { Float(bitPattern: try readFixedWidth(UInt32.self)) }
    @inlinable
    mutating func readDouble() throws(AvroCodingError) -> Double { Double(bitPattern: try readFixedWidth(UInt64.self)) }

    /// A length-prefixed byte run, checked against what is left.
    @inlinable @inline(__always)
    mutating func readLength() throws(AvroCodingError) -> Int {
        let length = try readLong()
        guard length >= 0 else { throw error("negative length \(length)") }
        guard length <= Int64(remaining) else { throw error("length \(length) exceeds the \(remaining) bytes left") }
        return Int(length)
    }

    @inlinable
    mutating func readBytes() throws(AvroCodingError) -> [UInt8] {
        try readRaw(readLength())
    }

    @inlinable
    mutating func readRaw(_ count: Int) throws(AvroCodingError) -> [UInt8] {
        guard count <= remaining else { throw error("\(count) bytes wanted, \(remaining) left") }
        let slice = Array(bytes[position..<(position + count)])
        position += count
        return slice
    }

    /// A string made once from the input's UTF-8 (validated; no intermediate array).
    @inlinable
    mutating func readString() throws(AvroCodingError) -> String {
        let count = try readLength()
        guard count > 0, let base = bytes.baseAddress else { return "" }
        let start = base + position
        let utf8 = UnsafeBufferPointer(start: start.assumingMemoryBound(to: UInt8.self), count: count)
        // String(decoding:) takes the contiguous fast path (String(validating:) is generic and
        // looks up metadata on every call). It repairs invalid sequences, so ASCII is taken as
        // it is, and other text only if decoding left every byte as it was.
        let text = String(decoding: utf8, as: UTF8.self)
        guard Self.isASCII(start, count) || Self.sameBytes(text, utf8) else { throw error("string is not valid UTF-8") }
        position += count
        return text
    }

    /// Whether no byte has its high bit set (eight bytes at a time).
    @inlinable @inline(__always)
    static func isASCII(_ start: UnsafeRawPointer, _ count: Int) -> Bool {
        var offset = 0
        var bits: UInt64 = 0
        while offset + 8 <= count {
            bits |= start.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            offset += 8
        }
        while offset < count {
            bits |= UInt64(start.load(fromByteOffset: offset, as: UInt8.self))
            offset += 1
        }
        return bits & 0x8080_8080_8080_8080 == 0
    }

    @usableFromInline
    static func sameBytes(_ text: String, _ utf8: UnsafeBufferPointer<UInt8>) -> Bool {
        var text = text
        return text.withUTF8 { decoded in
            guard decoded.count == utf8.count else { return false }
            for index in 0..<decoded.count where decoded[index] != utf8[index] { return false }
            return true
        }
    }

    mutating func skip(_ count: Int) throws(AvroCodingError) {
        guard count <= remaining else { throw error("\(count) bytes to skip, \(remaining) left") }
        position += count
    }

    /// The item count of the next array or map block (0 ends the value); a negative count is
    /// followed by the block's byte size, which is skipped over as a hint.
    @inlinable
    mutating func readBlockCount(itemsMayBeEmpty: Bool) throws(AvroCodingError) -> Int {
        var count = try readLong()
        if count < 0 {
            guard count != .min else { throw error("invalid block count") }
            count = -count
            _ = try readLong()
        }
        // Each item takes at least a byte, unless it is a null: then cap the count instead.
        let limit = itemsMayBeEmpty ? Int64(max(remaining, 1_000_000)) : Int64(remaining)
        guard count <= limit else { throw error("block of \(count) items exceeds the \(remaining) bytes left") }
        return Int(count)
    }
}

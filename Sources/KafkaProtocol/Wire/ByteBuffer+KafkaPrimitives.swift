import NIOCore

/// Kafka's primitive types over `ByteBuffer` (see the protocol guide): big-endian fixed
/// integers, unsigned varints (flexible versions only), strings and bytes with int16 / int32 or
/// compact (varint length + 1) lengths, nullable forms, arrays, UUIDs and tagged fields.
/// Reads check every length against the bytes left before allocating.
extension ByteBuffer {
    // MARK: Fixed-width

    @inlinable
    public mutating func readKafka<T: FixedWidthInteger>(_ type: T.Type, _ field: @autoclosure () -> String) throws(KafkaProtocolError) -> T {
        guard let value = readInteger(as: T.self) else {
            throw KafkaProtocolError(.truncated, "\(field()): \(MemoryLayout<T>.size) bytes needed, \(readableBytes) left")
        }
        return value
    }

    public mutating func readKafkaBool(_ field: @autoclosure () -> String) throws(KafkaProtocolError) -> Bool {
        try readKafka(UInt8.self, field()) != 0
    }

    public mutating func readKafkaFloat64(_ field: @autoclosure () -> String) throws(KafkaProtocolError) -> Double {
        Double(bitPattern: try readKafka(UInt64.self, field()))
    }

    public mutating func writeKafkaBool(_ value: Bool) {
        writeInteger(UInt8(value ? 1 : 0))
    }

    public mutating func writeKafkaFloat64(_ value: Double) {
        writeInteger(value.bitPattern)
    }

    // MARK: Unsigned varint

    /// An unsigned LEB128 varint of at most 5 bytes.
    public mutating func readUnsignedVarint(_ field: @autoclosure () -> String) throws(KafkaProtocolError) -> UInt32 {
        var result: UInt32 = 0
        var shift: UInt32 = 0
        while true {
            guard let byte = readInteger(as: UInt8.self) else {
                throw KafkaProtocolError(.truncated, "\(field()): the varint is cut short")
            }
            guard shift < 35, shift < 28 || byte < 0x10 else {
                throw KafkaProtocolError(.invalidValue, "\(field()): varint longer than 5 bytes")
            }
            result |= UInt32(byte & 0x7f) << shift
            if byte & 0x80 == 0 { return result }
            shift += 7
        }
    }

    public mutating func writeUnsignedVarint(_ value: UInt32) {
        var remaining = value
        while remaining >= 0x80 {
            writeInteger(UInt8(remaining & 0x7f) | 0x80)
            remaining >>= 7
        }
        writeInteger(UInt8(remaining))
    }

    // MARK: Lengths

    /// A length prefix: int16 (strings) or int32 (bytes, arrays) before flexible versions,
    /// a compact varint (length + 1) after. Returns nil for null (-1, or compact 0).
    @usableFromInline
    mutating func readKafkaLength(flexible: Bool, wide: Bool, _ field: @autoclosure () -> String) throws(KafkaProtocolError) -> Int? {
        let length: Int
        if flexible {
            length = Int(try readUnsignedVarint(field())) - 1
        } else if wide {
            length = Int(try readKafka(Int32.self, field()))
        } else {
            length = Int(try readKafka(Int16.self, field()))
        }
        if length == -1 { return nil }
        guard length >= 0 else { throw KafkaProtocolError(.invalidLength, "\(field()): negative length \(length)") }
        return length
    }

    mutating func writeKafkaLength(_ length: Int?, flexible: Bool, wide: Bool) {
        if flexible {
            writeUnsignedVarint(UInt32(truncatingIfNeeded: (length ?? -1) + 1))
        } else if wide {
            writeInteger(Int32(truncatingIfNeeded: length ?? -1))
        } else {
            writeInteger(Int16(truncatingIfNeeded: length ?? -1))
        }
    }

    // MARK: Strings

    public mutating func readKafkaNullableString(flexible: Bool, _ field: @autoclosure () -> String) throws(KafkaProtocolError) -> String? {
        guard let length = try readKafkaLength(flexible: flexible, wide: false, field()) else { return nil }
        guard length <= readableBytes else {
            throw KafkaProtocolError(.truncated, "\(field()): string of \(length) bytes, \(readableBytes) left")
        }
        guard let string = readString(length: length) else {
            throw KafkaProtocolError(.invalidValue, "\(field()): the string is not UTF-8")
        }
        return string
    }

    public mutating func readKafkaString(flexible: Bool, _ field: @autoclosure () -> String) throws(KafkaProtocolError) -> String {
        guard let string = try readKafkaNullableString(flexible: flexible, field()) else {
            throw KafkaProtocolError(.invalidValue, "\(field()): null where a string is required")
        }
        return string
    }

    public mutating func writeKafkaString(_ value: String?, flexible: Bool) {
        guard let value else {
            writeKafkaLength(nil, flexible: flexible, wide: false)
            return
        }
        writeKafkaLength(value.utf8.count, flexible: flexible, wide: false)
        writeString(value)
    }

    // MARK: Bytes and records

    public mutating func readKafkaNullableBytes(flexible: Bool, _ field: @autoclosure () -> String) throws(KafkaProtocolError) -> [UInt8]? {
        guard let length = try readKafkaLength(flexible: flexible, wide: true, field()) else { return nil }
        guard let bytes = readBytes(length: length) else {
            throw KafkaProtocolError(.truncated, "\(field()): \(length) bytes needed, \(readableBytes) left")
        }
        return bytes
    }

    public mutating func readKafkaBytes(flexible: Bool, _ field: @autoclosure () -> String) throws(KafkaProtocolError) -> [UInt8] {
        guard let bytes = try readKafkaNullableBytes(flexible: flexible, field()) else {
            throw KafkaProtocolError(.invalidValue, "\(field()): null where bytes are required")
        }
        return bytes
    }

    public mutating func writeKafkaBytes(_ value: [UInt8]?, flexible: Bool) {
        writeKafkaLength(value?.count, flexible: flexible, wide: true)
        if let value { writeBytes(value) }
    }

    /// A records field as a slice of this buffer (no copy); nil when null.
    public mutating func readKafkaRecords(flexible: Bool, _ field: @autoclosure () -> String) throws(KafkaProtocolError) -> ByteBuffer? {
        guard let length = try readKafkaLength(flexible: flexible, wide: true, field()) else { return nil }
        guard let slice = readSlice(length: length) else {
            throw KafkaProtocolError(.truncated, "\(field()): \(length) bytes of records needed, \(readableBytes) left")
        }
        return slice
    }

    public mutating func writeKafkaRecords(_ value: ByteBuffer?, flexible: Bool) {
        writeKafkaLength(value?.readableBytes, flexible: flexible, wide: true)
        if var value { writeBuffer(&value) }
    }

    // MARK: Arrays

    /// An array's element count; nil for a null array. A count larger than the bytes left
    /// (every element takes at least one) is refused before anything is reserved.
    public mutating func readKafkaArrayCount(flexible: Bool, _ field: @autoclosure () -> String) throws(KafkaProtocolError) -> Int? {
        guard let count = try readKafkaLength(flexible: flexible, wide: true, field()) else { return nil }
        guard count <= readableBytes else {
            throw KafkaProtocolError(.invalidLength, "\(field()): \(count) elements cannot fit in the \(readableBytes) bytes left")
        }
        return count
    }

    public mutating func writeKafkaArrayCount(_ count: Int?, flexible: Bool) {
        writeKafkaLength(count, flexible: flexible, wide: true)
    }

    // MARK: UUID

    public mutating func readKafkaUUID(_ field: @autoclosure () -> String) throws(KafkaProtocolError) -> KafkaUUID {
        let high = try readKafka(UInt64.self, field())
        return KafkaUUID(high: high, low: try readKafka(UInt64.self, field()))
    }

    public mutating func writeKafkaUUID(_ value: KafkaUUID) {
        writeInteger(value.high)
        writeInteger(value.low)
    }

    // MARK: Tagged fields

    /// Reads a tagged-field section, handing each field's bytes to `known`, which returns
    /// false for tags it does not know; those are returned to be kept.
    public mutating func readKafkaTaggedFields(
        _ field: @autoclosure () -> String,
        known: (UInt32, inout ByteBuffer) throws(KafkaProtocolError) -> Bool
    ) throws(KafkaProtocolError) -> [KafkaTaggedField] {
        let count = try readUnsignedVarint("\(field()) tagged field count")
        guard Int(count) <= readableBytes else {
            throw KafkaProtocolError(.invalidLength, "\(field()): \(count) tagged fields cannot fit in \(readableBytes) bytes")
        }
        var unknown: [KafkaTaggedField] = []
        var previous: UInt32?
        for _ in 0..<count {
            let tag = try readUnsignedVarint("\(field()) tag")
            if let previous, tag <= previous {
                throw KafkaProtocolError(.invalidValue, "\(field()): tagged fields out of order (\(tag) after \(previous))")
            }
            previous = tag
            let size = Int(try readUnsignedVarint("\(field()) tagged field \(tag) size"))
            guard var slice = readSlice(length: size) else {
                throw KafkaProtocolError(.truncated, "\(field()): tagged field \(tag) needs \(size) bytes, \(readableBytes) left")
            }
            if try !known(tag, &slice) {
                unknown.append(KafkaTaggedField(tag: tag, data: slice.readBytes(length: slice.readableBytes) ?? []))
            }
        }
        return unknown
    }

    /// Writes a tagged-field section from encoded fields (sorted here by tag).
    public mutating func writeKafkaTaggedFields(_ fields: [KafkaTaggedField]) {
        writeUnsignedVarint(UInt32(fields.count))
        for field in fields.sorted(by: { $0.tag < $1.tag }) {
            writeUnsignedVarint(field.tag)
            writeUnsignedVarint(UInt32(field.data.count))
            writeBytes(field.data)
        }
    }
}

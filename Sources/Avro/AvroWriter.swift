/// Appends Avro's binary encoding to a byte buffer, one value at a time: the writing half of
/// generated code (``AvroBinaryCodable``). It knows no schema; the caller writes the values in
/// the schema's order (a record's fields in order, a union's branch index before its value).
/// Its methods are inlinable: generated code is compiled with them, per record and field.
public struct AvroWriter: Sendable {
    /// What has been written so far (with whatever the buffer held before).
    public var bytes: [UInt8]

    /// A writer appending to `bytes` (a frame's prefix, say).
    @inlinable
    public init(appendingTo bytes: [UInt8] = []) {
        self.bytes = bytes
    }

    /// A zigzag varint.
    @inlinable
    public mutating func writeLong(_ value: Int64) {
        var rest = UInt64(bitPattern: (value << 1) ^ (value >> 63))
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    @inlinable
    public mutating func writeInt(_ value: Int32) { writeLong(Int64(value)) }

    @inlinable
    public mutating func writeBoolean(_ value: Bool) { bytes.append(value ? 1 : 0) }

    @inlinable
    public mutating func writeFloat(_ value: Float) {
        withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
    }

    @inlinable
    public mutating func writeDouble(_ value: Double) {
        withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
    }

    @inlinable
    public mutating func writeString(_ value: String) {
        var value = value
        value.withUTF8 { utf8 in
            writeLong(Int64(utf8.count))
            bytes.append(contentsOf: utf8)
        }
    }

    @inlinable
    public mutating func writeBytes(_ value: [UInt8]) {
        writeLong(Int64(value.count))
        bytes.append(contentsOf: value)
    }

    /// A fixed: exactly `size` bytes, no length.
    /// - Throws: when `value` is not `size` bytes long (`path` names the field in the message).
    @inlinable
    public mutating func writeFixed(_ value: [UInt8], size: Int, path: @autoclosure () -> String) throws(AvroCodingError) {
        guard value.count == size else {
            throw AvroCodingError("at \(path()): a fixed of \(size) bytes cannot hold \(value.count) bytes")
        }
        bytes.append(contentsOf: value)
    }

    /// The branch index of a union, or the symbol index of an enum.
    @inlinable
    public mutating func writeIndex(_ index: Int) { writeLong(Int64(index)) }

    /// An array as one block (the count, the items, the closing zero; no block for no items).
    @inlinable
    public mutating func writeArray<Element>(_ items: [Element], _ writeItem: (inout AvroWriter, Element) throws(AvroCodingError) -> Void) throws(AvroCodingError) {
        if !items.isEmpty {
            writeLong(Int64(items.count))
            for item in items { try writeItem(&self, item) }
        }
        bytes.append(0)
    }

    /// A map as one block of (key, value) pairs, in the dictionary's order.
    @inlinable
    public mutating func writeMap<Value>(_ entries: [String: Value], _ writeValue: (inout AvroWriter, Value) throws(AvroCodingError) -> Void) throws(AvroCodingError) {
        if !entries.isEmpty {
            writeLong(Int64(entries.count))
            for (key, value) in entries {
                writeString(key)
                try writeValue(&self, value)
            }
        }
        bytes.append(0)
    }
}

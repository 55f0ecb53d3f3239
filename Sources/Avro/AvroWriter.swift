/// Writes Avro's binary encoding one value at a time: the writing half of generated code
/// (``AvroBinaryCodable``). It knows no schema; the caller writes the values in the schema's
/// order (a record's fields in order, a union's branch index before its value).
///
/// The bytes go into scratch memory through a raw pointer (one bounds check per value, no
/// uniqueness check per byte as `Array.append` has), starting on the stack and moving to the
/// heap only for a datum larger than the scratch; ``AvroBinaryCodable/appendAvroBinary(to:)``
/// copies them out once. A writer exists only inside that call. Its methods are inlinable:
/// generated code is compiled with them, per record and field.
public struct AvroWriter: ~Copyable {
    @usableFromInline var start: UnsafeMutableRawPointer
    @usableFromInline var count = 0
    @usableFromInline var capacity: Int
    /// Whether `start` was allocated by ``grow(_:)`` (else it is the caller's scratch).
    @usableFromInline var ownsStorage = false

    /// The bytes a writer holds before it moves to the heap (on the stack, so small datums
    /// allocate nothing but their result).
    @inlinable
    static var scratchSize: Int { 512 }

    @usableFromInline
    init(scratch: UnsafeMutableRawBufferPointer) {
        start = scratch.baseAddress!
        capacity = scratch.count
    }

    deinit {
        if ownsStorage { start.deallocate() }
    }

    /// Room for `size` more bytes: where they go.
    @inlinable @inline(__always)
    mutating func reserve(_ size: Int) -> UnsafeMutableRawPointer {
        if capacity - count < size { grow(size) }
        return start + count
    }

    /// Moves the bytes to heap storage with room for `size` more (doubling, so a large datum
    /// is copied a logarithmic number of times).
    @usableFromInline
    mutating func grow(_ size: Int) {
        let newCapacity = max(capacity * 2, count + size)
        let storage = UnsafeMutableRawPointer.allocate(byteCount: newCapacity, alignment: 16)
        storage.copyMemory(from: start, byteCount: count)
        if ownsStorage { start.deallocate() }
        start = storage
        capacity = newCapacity
        ownsStorage = true
    }

    /// Appends what was written to `bytes`.
    @inlinable
    func append(to bytes: inout [UInt8]) {
        bytes.append(contentsOf: UnsafeRawBufferPointer(start: start, count: count))
    }

    /// A zigzag varint.
    @inlinable
    public mutating func writeLong(_ value: Int64) {
        var rest = UInt64(bitPattern: (value << 1) ^ (value >> 63))
        let target = reserve(10)
        var offset = 0
        while rest >= 0x80 {
            target.storeBytes(of: UInt8(truncatingIfNeeded: rest) | 0x80, toByteOffset: offset, as: UInt8.self)
            rest >>= 7
            offset += 1
        }
        target.storeBytes(of: UInt8(rest), toByteOffset: offset, as: UInt8.self)
        count += offset + 1
    }

    @inlinable
    public mutating func writeInt(_ value: Int32) { writeLong(Int64(value)) }

    @inlinable
    public mutating func writeBoolean(_ value: Bool) {
        reserve(1).storeBytes(of: value ? 1 : 0, as: UInt8.self)
        count += 1
    }

    @inlinable
    public mutating func writeFloat(_ value: Float) {
        reserve(4).storeBytes(of: value.bitPattern.littleEndian, as: UInt32.self)
        count += 4
    }

    @inlinable
    public mutating func writeDouble(_ value: Double) {
        reserve(8).storeBytes(of: value.bitPattern.littleEndian, as: UInt64.self)
        count += 8
    }

    /// The bytes of `source`, without a length prefix.
    @inlinable
    mutating func writeRaw(_ source: UnsafeRawBufferPointer) {
        guard let base = source.baseAddress, source.count > 0 else { return }
        reserve(source.count).copyMemory(from: base, byteCount: source.count)
        count += source.count
    }

    @inlinable
    public mutating func writeString(_ value: String) {
        // Native strings (small ones included) lend their UTF-8 in place; `withUTF8` would need
        // a mutable copy, a retain and release per string.
        let written: Void? = value.utf8.withContiguousStorageIfAvailable { utf8 in
            writeLong(Int64(utf8.count))
            writeRaw(UnsafeRawBufferPointer(utf8))
        }
        if written == nil {
            var copy = value
            copy.withUTF8 { utf8 in
                writeLong(Int64(utf8.count))
                writeRaw(UnsafeRawBufferPointer(utf8))
            }
        }
    }

    @inlinable
    public mutating func writeBytes(_ value: [UInt8]) {
        writeLong(Int64(value.count))
        value.withUnsafeBytes { writeRaw($0) }
    }

    /// A fixed: exactly `size` bytes, no length.
    /// - Throws: when `value` is not `size` bytes long (`path` names the field in the message).
    @inlinable
    public mutating func writeFixed(_ value: [UInt8], size: Int, path: @autoclosure () -> String) throws(AvroCodingError) {
        guard value.count == size else {
            throw AvroCodingError("at \(path()): a fixed of \(size) bytes cannot hold \(value.count) bytes")
        }
        value.withUnsafeBytes { writeRaw($0) }
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
        writeLong(0)
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
        writeLong(0)
    }
}

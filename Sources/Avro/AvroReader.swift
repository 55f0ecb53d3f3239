/// Reads Avro's binary encoding one value at a time: the reading half of generated code
/// (``AvroBinaryCodable``). Every length and count is checked against the bytes left before
/// anything is allocated, as in the generic reader; errors name the byte offset.
///
/// A reader exists only inside ``AvroBinaryCodable/init(avroBinary:)`` (it points into the
/// bytes being read): do not keep it beyond the `init(avro:)` it is handed to.
public struct AvroReader {
    @usableFromInline var input: AvroBinaryReader

    @usableFromInline
    init(_ bytes: UnsafeRawBufferPointer) {
        input = AvroBinaryReader(bytes: bytes)
    }

    /// The item count of the next array or map block (0 ends the value).
    @inlinable
    mutating func readBlockCount(itemsMayBeEmpty: Bool) throws(AvroCodingError) -> Int {
        try input.readBlockCount(itemsMayBeEmpty: itemsMayBeEmpty)
    }

    /// The error for bytes left over after a whole datum.
    @usableFromInline
    func trailingBytesError() -> AvroCodingError {
        AvroCodingError("\(input.remaining) bytes left after the datum (at byte \(input.position))")
    }

    /// The bytes not read yet.
    @inlinable
    public var remaining: Int { input.remaining }

    @inlinable
    public mutating func readLong() throws(AvroCodingError) -> Int64 { try input.readLong() }
    @inlinable
    public mutating func readInt() throws(AvroCodingError) -> Int32 { try input.readInt() }
    @inlinable
    public mutating func readBoolean() throws(AvroCodingError) -> Bool { try input.readBoolean() }
    @inlinable
    public mutating func readFloat() throws(AvroCodingError) -> Float { try input.readFloat() }
    @inlinable
    public mutating func readDouble() throws(AvroCodingError) -> Double { try input.readDouble() }
    @inlinable
    public mutating func readString() throws(AvroCodingError) -> String { try input.readString() }
    @inlinable
    public mutating func readBytes() throws(AvroCodingError) -> [UInt8] { try input.readBytes() }
    @inlinable
    public mutating func readFixed(size: Int) throws(AvroCodingError) -> [UInt8] { try input.readRaw(size) }

    /// A union's branch index or an enum's symbol index, checked against `count`.
    @inlinable
    public mutating func readIndex(below count: Int, of what: @autoclosure () -> String) throws(AvroCodingError) -> Int {
        let index = try input.readLong()
        guard index >= 0 && index < Int64(count) else {
            throw input.error("index \(index) is out of range for \(what()) of \(count)")
        }
        return Int(index)
    }

    /// An array's items, block by block.
    @inlinable
    public mutating func readArray<Element>(_ readItem: (inout AvroReader) throws(AvroCodingError) -> Element) throws(AvroCodingError) -> [Element] {
        var items: [Element] = []
        while true {
            let count = try readBlockCount(itemsMayBeEmpty: MemoryLayout<Element>.size == 0)
            if count == 0 { return items }
            items.reserveCapacity(items.count + count)
            for _ in 0..<count { items.append(try readItem(&self)) }
        }
    }

    /// A map's entries, block by block (a repeated key keeps its last value, as Java's reader does).
    @inlinable
    public mutating func readMap<Value>(_ readValue: (inout AvroReader) throws(AvroCodingError) -> Value) throws(AvroCodingError) -> [String: Value] {
        var entries: [String: Value] = [:]
        while true {
            let count = try readBlockCount(itemsMayBeEmpty: false)
            if count == 0 { return entries }
            entries.reserveCapacity(entries.count + count)
            for _ in 0..<count {
                let key = try readString()
                entries[key] = try readValue(&self)
            }
        }
    }
}

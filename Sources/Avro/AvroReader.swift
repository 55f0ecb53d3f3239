/// Reads Avro's binary encoding one value at a time: the reading half of generated code
/// (``AvroBinaryCodable``). Every length and count is checked against the bytes left before
/// anything is allocated, as in the generic reader; errors name the byte offset.
///
/// A reader exists only inside ``AvroBinaryCodable/init(avroBinary:)`` (it points into the
/// bytes being read): do not keep it beyond the `init(avro:)` it is handed to.
public struct AvroReader {
    var input: AvroBinaryReader

    init(_ bytes: UnsafeRawBufferPointer) {
        input = AvroBinaryReader(bytes: bytes)
    }

    /// The bytes not read yet.
    public var remaining: Int { input.remaining }

    @inline(__always)
    public mutating func readLong() throws(AvroCodingError) -> Int64 { try input.readLong() }
    @inline(__always)
    public mutating func readInt() throws(AvroCodingError) -> Int32 { try input.readInt() }
    public mutating func readBoolean() throws(AvroCodingError) -> Bool { try input.readBoolean() }
    public mutating func readFloat() throws(AvroCodingError) -> Float { try input.readFloat() }
    public mutating func readDouble() throws(AvroCodingError) -> Double { try input.readDouble() }
    public mutating func readString() throws(AvroCodingError) -> String { try input.readString() }
    public mutating func readBytes() throws(AvroCodingError) -> [UInt8] { try input.readBytes() }
    public mutating func readFixed(size: Int) throws(AvroCodingError) -> [UInt8] { try input.readRaw(size) }

    /// A union's branch index or an enum's symbol index, checked against `count`.
    @inline(__always)
    public mutating func readIndex(below count: Int, of what: @autoclosure () -> String) throws(AvroCodingError) -> Int {
        let index = try input.readLong()
        guard index >= 0 && index < Int64(count) else {
            throw input.error("index \(index) is out of range for \(what()) of \(count)")
        }
        return Int(index)
    }

    /// An array's items, block by block.
    public mutating func readArray<Element>(_ readItem: (inout AvroReader) throws(AvroCodingError) -> Element) throws(AvroCodingError) -> [Element] {
        var items: [Element] = []
        while true {
            let count = try input.readBlockCount(itemsMayBeEmpty: MemoryLayout<Element>.size == 0)
            if count == 0 { return items }
            items.reserveCapacity(items.count + count)
            for _ in 0..<count { items.append(try readItem(&self)) }
        }
    }

    /// A map's entries, block by block (a repeated key keeps its last value, as Java's reader does).
    public mutating func readMap<Value>(_ readValue: (inout AvroReader) throws(AvroCodingError) -> Value) throws(AvroCodingError) -> [String: Value] {
        var entries: [String: Value] = [:]
        while true {
            let count = try input.readBlockCount(itemsMayBeEmpty: false)
            if count == 0 { return entries }
            entries.reserveCapacity(entries.count + count)
            for _ in 0..<count {
                let key = try input.readString()
                entries[key] = try readValue(&self)
            }
        }
    }
}

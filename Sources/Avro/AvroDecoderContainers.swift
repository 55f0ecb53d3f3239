/// The containers of ``AvroTreeDecoder``. Every primitive overload forwards to one generic
/// path, so a value is checked against its schema node in one place.
struct AvroRecordDecodingContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let decoder: AvroTreeDecoder
    let fields: [AvroValue]
    let record: CodableRecordPlan
    var codingPath: [any CodingKey] { decoder.codingPath }
    var allKeys: [Key] { record.fieldNames.compactMap { Key(stringValue: $0) } }

    private func index(_ key: Key) -> Int? {
        let name = key.stringValue
        // A linear search over a few names beats hashing the key.
        if record.fieldNames.count <= 8 { return record.fieldNames.firstIndex(of: name) }
        return record.indexes[name]
    }

    private func missing(_ key: Key) -> AvroCodingError {
        AvroCodingError("at \(decoder.pathText(appending: key.stringValue)): record \(record.name) has no such field (make the property optional, or add the field with a default to the reader schema)")
    }

    func contains(_ key: Key) -> Bool { index(key) != nil }

    func decodeNil(forKey key: Key) throws -> Bool {
        guard let index = index(key) else { throw missing(key) }
        return decoder.unwrap(fields[index], record.fields[index]).0 == .null
    }

    private func field<T: Decodable>(_ type: T.Type, _ key: Key) throws -> T {
        guard let index = index(key) else { throw missing(key) }
        return try decoder.decodeValue(type, value: fields[index], plan: record.fields[index], key: key)
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try field(type, key) }
    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try field(type, key) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try field(type, key) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try field(type, key) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try field(type, key) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try field(type, key) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try field(type, key) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try field(type, key) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try field(type, key) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try field(type, key) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try field(type, key) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try field(type, key) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try field(type, key) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try field(type, key) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try field(type, key) }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        throw AvroCodingError("at \(decoder.pathText(appending: key.stringValue)): nested containers have no Avro form (decode the field as a type)")
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        throw AvroCodingError("at \(decoder.pathText(appending: key.stringValue)): nested containers have no Avro form (decode the field as a type)")
    }

    func superDecoder() throws -> any Decoder {
        throw AvroCodingError("at \(decoder.pathText): a super decoder has no Avro form")
    }

    func superDecoder(forKey key: Key) throws -> any Decoder { try superDecoder() }
}

/// A map as a keyed container (Swift decodes `[String: V]` through one).
struct AvroMapDecodingContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let decoder: AvroTreeDecoder
    let entries: [(key: String, value: AvroValue)]
    let valueType: CodablePlan
    /// Key → entry, built only for maps large enough for a linear search to cost.
    private let index: [String: Int]?

    init(decoder: AvroTreeDecoder, entries: [(key: String, value: AvroValue)], valueType: CodablePlan) {
        self.decoder = decoder
        self.entries = entries
        self.valueType = valueType
        if entries.count > 16 {
            var index: [String: Int] = [:]
            index.reserveCapacity(entries.count)
            for (position, entry) in entries.enumerated() { index[entry.key] = position }
            self.index = index
        } else {
            index = nil
        }
    }

    var codingPath: [any CodingKey] { decoder.codingPath }
    var allKeys: [Key] { entries.compactMap { Key(stringValue: $0.key) } }

    private func position(_ key: Key) -> Int? {
        if let index { return index[key.stringValue] }
        return entries.lastIndex { $0.key == key.stringValue }
    }

    func contains(_ key: Key) -> Bool { position(key) != nil }

    private func missing(_ key: Key) -> AvroCodingError {
        AvroCodingError("at \(decoder.pathText): the map has no key \"\(key.stringValue)\"")
    }

    func decodeNil(forKey key: Key) throws -> Bool {
        guard let position = position(key) else { throw missing(key) }
        return decoder.unwrap(entries[position].value, valueType).0 == .null
    }

    private func field<T: Decodable>(_ type: T.Type, _ key: Key) throws -> T {
        guard let position = position(key) else { throw missing(key) }
        return try decoder.decodeValue(type, value: entries[position].value, plan: valueType, key: key)
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try field(type, key) }
    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try field(type, key) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try field(type, key) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try field(type, key) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try field(type, key) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try field(type, key) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try field(type, key) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try field(type, key) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try field(type, key) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try field(type, key) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try field(type, key) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try field(type, key) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try field(type, key) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try field(type, key) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try field(type, key) }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        throw AvroCodingError("at \(decoder.pathText(appending: key.stringValue)): nested containers have no Avro form")
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        throw AvroCodingError("at \(decoder.pathText(appending: key.stringValue)): nested containers have no Avro form")
    }

    func superDecoder() throws -> any Decoder {
        throw AvroCodingError("at \(decoder.pathText): a super decoder has no Avro form")
    }

    func superDecoder(forKey key: Key) throws -> any Decoder { try superDecoder() }
}

struct AvroArrayDecodingContainer: UnkeyedDecodingContainer {
    let decoder: AvroTreeDecoder
    let items: [AvroValue]
    let itemType: CodablePlan
    private(set) var currentIndex = 0

    init(decoder: AvroTreeDecoder, items: [AvroValue], itemType: CodablePlan) {
        self.decoder = decoder
        self.items = items
        self.itemType = itemType
    }

    var codingPath: [any CodingKey] { decoder.codingPath }
    var count: Int? { items.count }
    var isAtEnd: Bool { currentIndex >= items.count }

    private func end() -> AvroCodingError {
        AvroCodingError("at \(decoder.pathText(appending: String(currentIndex))): the array has only \(items.count) items")
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd else { throw end() }
        guard decoder.unwrap(items[currentIndex], itemType).0 == .null else { return false }
        currentIndex += 1
        return true
    }

    private mutating func next<T: Decodable>(_ type: T.Type) throws -> T {
        guard !isAtEnd else { throw end() }
        let value = try decoder.decodeValue(type, value: items[currentIndex], plan: itemType, key: AvroIndexKey(currentIndex))
        currentIndex += 1
        return value
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try next(type) }
    mutating func decode(_ type: Bool.Type) throws -> Bool { try next(type) }
    mutating func decode(_ type: String.Type) throws -> String { try next(type) }
    mutating func decode(_ type: Double.Type) throws -> Double { try next(type) }
    mutating func decode(_ type: Float.Type) throws -> Float { try next(type) }
    mutating func decode(_ type: Int.Type) throws -> Int { try next(type) }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try next(type) }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try next(type) }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try next(type) }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try next(type) }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try next(type) }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try next(type) }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try next(type) }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try next(type) }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try next(type) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        throw AvroCodingError("at \(decoder.pathText(appending: String(currentIndex))): nested containers have no Avro form")
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        throw AvroCodingError("at \(decoder.pathText(appending: String(currentIndex))): nested containers have no Avro form")
    }

    mutating func superDecoder() throws -> any Decoder {
        throw AvroCodingError("at \(decoder.pathText): a super decoder has no Avro form")
    }
}

/// Reads the scalar at the decoder's current position (a union already unwrapped to its branch).
struct AvroSingleValueDecodingContainer: SingleValueDecodingContainer {
    let decoder: AvroTreeDecoder
    var codingPath: [any CodingKey] { decoder.codingPath }

    func decodeNil() -> Bool { decoder.value == .null }

    func decode(_ type: Bool.Type) throws -> Bool {
        guard case .boolean(let flag) = decoder.value else { throw decoder.mismatch("a Bool") }
        return flag
    }

    func decode(_ type: String.Type) throws -> String {
        switch decoder.value {
        case .string(let text), .enumeration(_, let text): return text
        default: throw decoder.mismatch("a String")
        }
    }

    func decode(_ type: Double.Type) throws -> Double {
        switch decoder.value {
        case .double(let number): return number
        case .float(let number): return Double(number)
        case .int(let number): return Double(number)
        case .long(let number): return Double(number)
        default: throw decoder.mismatch("a Double")
        }
    }

    func decode(_ type: Float.Type) throws -> Float {
        switch decoder.value {
        case .float(let number): return number
        case .double(let number): return Float(number)
        case .int(let number): return Float(number)
        case .long(let number): return Float(number)
        default: throw decoder.mismatch("a Float")
        }
    }
    func decode(_ type: Int.Type) throws -> Int { try integer(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try integer(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try integer(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try integer(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try integer(type) }
    func decode(_ type: UInt.Type) throws -> UInt { try integer(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try integer(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try integer(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try integer(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try integer(type) }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try decoder.decodeValue(type, value: decoder.value, plan: decoder.plan, key: nil)
    }

    private func integer<I: FixedWidthInteger>(_ type: I.Type) throws -> I {
        let number: Int64
        switch decoder.value {
        case .int(let int): number = Int64(int)
        case .long(let long): number = long
        default: throw decoder.mismatch("an \(I.self)")
        }
        guard let narrow = I(exactly: number) else {
            throw AvroCodingError("at \(decoder.pathText): \(number) does not fit an \(I.self)")
        }
        return narrow
    }
}

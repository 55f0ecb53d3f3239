/// The containers of ``AvroStreamEncoder``. Every primitive overload forwards to one generic
/// path, so a value is checked against its schema node in one place.
struct AvroKeyedEncodingContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let encoder: AvroStreamEncoder
    /// The record's or map's frame; nil when the schema node is neither (the error is deferred).
    let frame: Int?
    var codingPath: [any CodingKey] { encoder.codingPath }

    private func entry<T: Encodable>(_ value: T, _ key: Key) throws {
        guard let frame else { throw encoder.pendingFailure() }
        try encoder.encodeEntry(value, key: key, frame: frame)
    }

    mutating func encodeNil(forKey key: Key) throws { try entry(encoder.nilValue(), key) }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws { try entry(value, key) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { try entry(value, key) }
    mutating func encode(_ value: String, forKey key: Key) throws { try entry(value, key) }
    mutating func encode(_ value: Double, forKey key: Key) throws { try entry(value, key) }
    mutating func encode(_ value: Float, forKey key: Key) throws { try entry(value, key) }
    mutating func encode(_ value: Int, forKey key: Key) throws { try entry(value, key) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { try entry(value, key) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { try entry(value, key) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { try entry(value, key) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { try entry(value, key) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { try entry(value, key) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { try entry(value, key) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { try entry(value, key) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { try entry(value, key) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { try entry(value, key) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        encoder.defer(encoder.unsupported("a nested keyed container"))
        return KeyedEncodingContainer(AvroKeyedEncodingContainer<NestedKey>(encoder: encoder, frame: nil))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        encoder.defer(encoder.unsupported("a nested unkeyed container"))
        return AvroUnkeyedEncodingContainer(encoder: encoder, frame: nil)
    }

    mutating func superEncoder() -> any Encoder {
        encoder.defer(encoder.unsupported("a super encoder"))
        return encoder
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder { superEncoder() }
}

struct AvroUnkeyedEncodingContainer: UnkeyedEncodingContainer {
    let encoder: AvroStreamEncoder
    let frame: Int?
    var codingPath: [any CodingKey] { encoder.codingPath }
    var count: Int { frame.map { encoder.itemCount(frame: $0) } ?? 0 }

    private func item<T: Encodable>(_ value: T) throws {
        guard let frame else { throw encoder.pendingFailure() }
        try encoder.encodeItem(value, frame: frame)
    }

    mutating func encodeNil() throws { try item(encoder.nilValue()) }
    mutating func encode<T: Encodable>(_ value: T) throws { try item(value) }
    mutating func encode(_ value: Bool) throws { try item(value) }
    mutating func encode(_ value: String) throws { try item(value) }
    mutating func encode(_ value: Double) throws { try item(value) }
    mutating func encode(_ value: Float) throws { try item(value) }
    mutating func encode(_ value: Int) throws { try item(value) }
    mutating func encode(_ value: Int8) throws { try item(value) }
    mutating func encode(_ value: Int16) throws { try item(value) }
    mutating func encode(_ value: Int32) throws { try item(value) }
    mutating func encode(_ value: Int64) throws { try item(value) }
    mutating func encode(_ value: UInt) throws { try item(value) }
    mutating func encode(_ value: UInt8) throws { try item(value) }
    mutating func encode(_ value: UInt16) throws { try item(value) }
    mutating func encode(_ value: UInt32) throws { try item(value) }
    mutating func encode(_ value: UInt64) throws { try item(value) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        encoder.defer(encoder.unsupported("a nested keyed container"))
        return KeyedEncodingContainer(AvroKeyedEncodingContainer<NestedKey>(encoder: encoder, frame: nil))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        encoder.defer(encoder.unsupported("a nested unkeyed container"))
        return AvroUnkeyedEncodingContainer(encoder: encoder, frame: nil)
    }

    mutating func superEncoder() -> any Encoder {
        encoder.defer(encoder.unsupported("a super encoder"))
        return encoder
    }
}

/// Writes a scalar at the encoder's current position, picking a union's branch by the Swift type.
struct AvroSingleValueEncodingContainer: SingleValueEncodingContainer {
    let encoder: AvroStreamEncoder
    var codingPath: [any CodingKey] { encoder.codingPath }

    mutating func encodeNil() throws {
        guard try encoder.target(\.isNull) != nil else { throw encoder.mismatch("nil") }
    }

    mutating func encode(_ value: Bool) throws {
        guard try encoder.target({ if case .boolean = $0.kind { true } else { false } }) != nil else {
            throw encoder.mismatch("the Bool \(value)")
        }
        encoder.bytes.append(value ? 1 : 0)
    }

    mutating func encode(_ value: String) throws {
        let target = try encoder.target {
            switch $0.kind {
            case .string: true
            case .enumeration(_, let indexes): indexes[value] != nil
            default: false
            }
        }
        switch target?.kind {
        case .string: encoder.writeString(value)
        case .enumeration(_, let indexes): encoder.writeLong(Int64(indexes[value]!))
        default:
            if case .enumeration(let symbols, _) = encoder.plan.kind {
                throw AvroCodingError("at \(encoder.pathText): \"\(value)\" is not a symbol of \(encoder.plan.typeName) (\(symbols.joined(separator: ", ")))")
            }
            throw encoder.mismatch("the string \"\(value)\"")
        }
    }

    mutating func encode(_ value: Double) throws { try floating(value) }
    mutating func encode(_ value: Float) throws { try floating(Double(value), float: value) }
    mutating func encode(_ value: Int) throws { try integer(value) }
    mutating func encode(_ value: Int8) throws { try integer(value) }
    mutating func encode(_ value: Int16) throws { try integer(value) }
    mutating func encode(_ value: Int32) throws { try integer(value) }
    mutating func encode(_ value: Int64) throws { try integer(value) }
    mutating func encode(_ value: UInt) throws { try integer(value) }
    mutating func encode(_ value: UInt8) throws { try integer(value) }
    mutating func encode(_ value: UInt16) throws { try integer(value) }
    mutating func encode(_ value: UInt32) throws { try integer(value) }
    mutating func encode(_ value: UInt64) throws { try integer(value) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        try encoder.encodeValue(value, plan: encoder.plan, key: nil)
    }

    private func integer<I: BinaryInteger>(_ value: I) throws {
        let target = try encoder.target {
            switch $0.kind {
            case .int: Int32(exactly: value) != nil
            case .long: Int64(exactly: value) != nil
            case .float, .double: true
            default: false
            }
        }
        switch target?.kind {
        case .int, .long: encoder.writeLong(Int64(value))
        case .float: encoder.writeFloat(Float(value))
        case .double: encoder.writeDouble(Double(value))
        default: throw encoder.mismatch("the integer \(value)")
        }
    }

    private func floating(_ value: Double, float: Float? = nil) throws {
        let target = try encoder.target {
            switch $0.kind { case .float, .double: true; default: false }
        }
        switch target?.kind {
        case .float: encoder.writeFloat(float ?? Float(value))
        case .double: encoder.writeDouble(value)
        default: throw encoder.mismatch("the number \(value)")
        }
    }
}

import BrokerCore

/// Walks the records region of a batch (decompressed if needed) and hands out each record's key,
/// value and schema headers as slices of it, for schema validation. KafkaProtocol's
/// `RecordReader` copies every key, value and header into arrays of their own; validating
/// every record of a topic must not cost two allocations per record, so this reads the same
/// layout in place (length, attributes, timestamp and offset deltas, key, value, headers, all
/// zigzag varints) with the same checks: every length within the record and the region,
/// exactly `count` records, nothing after the last.
enum RecordFieldScanner {
    static let keySchemaHeader = Array(RecordField.key.schemaHeaderName.utf8)
    static let valueSchemaHeader = Array(RecordField.value.schemaHeaderName.utf8)

    /// Calls `visit` with each record and its index; false when the region is malformed (the
    /// records seen so far were visited).
    static func scan(_ region: [UInt8], count: Int32, _ visit: (SchemaFramedFields, Int) -> Void) -> Bool {
        var position = 0
        for index in 0..<Int(max(count, 0)) {
            guard let length = varint(region, &position), length >= 0, length <= region.count - position else { return false }
            let end = position + Int(length)
            position += 1  // attributes
            guard position <= end, varint(region, &position) != nil, varint(region, &position) != nil,
                  let key = bytes(region, &position, end: end), let value = bytes(region, &position, end: end),
                  let headerCount = varint(region, &position), headerCount >= 0, headerCount <= Int64(end - position) else { return false }
            var fields = SchemaFramedFields(key: key, value: value)
            for _ in 0..<Int(headerCount) {
                guard let name = bytes(region, &position, end: end), let name, let headerValue = bytes(region, &position, end: end) else {
                    return false
                }
                // First header of each name wins, as the deserializers read them.
                if fields.valueSchemaHeader == nil, name.elementsEqual(valueSchemaHeader) {
                    fields.valueSchemaHeader = headerValue ?? []
                } else if fields.keySchemaHeader == nil, name.elementsEqual(keySchemaHeader) {
                    fields.keySchemaHeader = headerValue ?? []
                }
            }
            guard position == end else { return false }
            visit(fields, index)
        }
        return position == region.count
    }

    /// A zigzag varint (up to 64 bits), or nil past the end or when longer than 10 bytes.
    private static func varint(_ bytes: [UInt8], _ position: inout Int) -> Int64? {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while position < bytes.count, shift < 64 {
            let byte = bytes[position]
            position += 1
            result |= UInt64(byte & 0x7f) << shift
            if byte & 0x80 == 0 { return Int64(bitPattern: (result >> 1) ^ (0 &- (result & 1))) }
            shift += 7
        }
        return nil
    }

    /// A length-prefixed field inside the record: `.some(nil)` for length -1 (null), nil when
    /// the length is invalid or runs past the record.
    private static func bytes(_ region: [UInt8], _ position: inout Int, end: Int) -> ArraySlice<UInt8>?? {
        guard let length = varint(region, &position), position <= end else { return nil }
        if length == -1 { return .some(nil) }
        guard length >= 0, length <= Int64(end - position) else { return nil }
        let start = position
        position += Int(length)
        return .some(region[start..<position])
    }
}

private let zeroPage = [UInt8](repeating: 0, count: 4096)

/// Avro's binary encoding of generic values, into a reusable buffer. The schema is compiled
/// once into a flat program (``WriteProgram``), so encoding does not walk (or copy) schema nodes
/// per datum, and each datum is written through a raw pointer into room reserved in ``bytes``
/// up front: no per-field allocation and no array growth per byte.
public struct AvroBinaryEncoder: Sendable {
    public let schema: AvroSchema
    /// The encoded bytes; ``reset()`` keeps the capacity for the next datum. Encoding without a
    /// reset appends, so many datums can share one buffer.
    public private(set) var bytes: [UInt8] = []
    private let program: WriteProgram
    /// The room reserved before writing a datum (about twice the last one). A datum that does not
    /// fit is written again into four times the room.
    private var room = 64

    public init(schema: AvroSchema) {
        self.schema = schema
        program = WriteProgram(schema: schema)
        bytes.reserveCapacity(256)
    }

    public mutating func reset() {
        bytes.removeAll(keepingCapacity: true)
    }

    /// Encodes one datum of the schema's root type, appending to ``bytes``. When the value does
    /// not fit the schema, ``bytes`` is left as it was before the call.
    public mutating func encode(_ value: AvroValue) throws(AvroCodingError) {
        let start = bytes.count
        while true {
            // Zero-filled room (Array has no uninitialized append), copied from a zero page;
            // trimmed after the write.
            if room <= zeroPage.count {
                bytes.append(contentsOf: zeroPage[..<room])
            } else {
                bytes.append(contentsOf: repeatElement(0, count: room))
            }
            let program = program
            let outcome: Result<Int, WriteFailure> = bytes.withUnsafeMutableBytes { raw in
                var writer = AvroByteWriter(base: raw.baseAddress!, position: start, end: raw.count, program: program)
                do throws(WriteFailure) {
                    try writer.write(value, program.root)
                    return .success(writer.position)
                } catch {
                    return .failure(error)
                }
            }
            switch outcome {
            case .success(let end):
                bytes.removeLast(bytes.count - end)
                // Room for a datum twice this size: a steady stream fits first time, and one
                // large datum does not leave every later one zero-filling its room.
                room = max(64, min(room, 2 * (end - start) + 16))
                return
            case .failure(.overflow):
                bytes.removeLast(bytes.count - start)
                room *= 4
            case .failure(.invalid(let reversedPath, let describe)):
                bytes.removeLast(bytes.count - start)
                throw AvroCodingError(describe(reversedPath.reversed().map { "/\($0)" }.joined()))
            }
        }
    }

    /// The encoding of one datum.
    public static func encode(_ value: AvroValue, schema: AvroSchema) throws(AvroCodingError) -> [UInt8] {
        var encoder = AvroBinaryEncoder(schema: schema)
        try encoder.encode(value)
        return encoder.bytes
    }

    static func typeName(_ type: AvroType) -> String {
        switch type {
        case .primitive(let primitive, _): primitive.rawValue
        case .record(let record): "record \(record.fullName)"
        case .enumeration(let enumeration): "enum \(enumeration.fullName)"
        case .fixed(let fixed): "fixed \(fixed.fullName)"
        case .array: "array"
        case .map: "map"
        case .union: "union"
        case .named(let name): name
        }
    }
}

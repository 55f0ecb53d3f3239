import Avro
import CAvro

/// avro-c (Debian's libavro) as an independent reference: the same datums encoded by its generic
/// values, and container files written and read by its own file API. Tests compare Sluice's codec
/// and container files with it byte for byte; nothing in Sluice's data path goes through it
/// (it drops logical types and defaults and cannot resolve a field the writer lacks).
public enum LibAvroReference {
    /// avro-c's binary encoding of `value`, built as an avro-c generic value of `schema`.
    public static func encode(_ value: AvroValue, schema: AvroSchema) throws(AvroFileError) -> [UInt8] {
        let parsed = try parse(schema)
        defer { avro_schema_decref(parsed) }
        guard let iface = avro_generic_class_from_schema(parsed) else { throw failure("avro_generic_class_from_schema") }
        defer { cavro_value_iface_decref(iface) }
        var datum = avro_value_t()
        guard avro_generic_value_new(iface, &datum) == 0 else { throw failure("avro_generic_value_new") }
        defer { cavro_value_decref(&datum) }
        try fill(&datum, value, path: "")
        return try write(&datum)
    }

    /// Writes `datums` (binary encodings of `schema`) into a container file with avro-c's writer.
    public static func writeFile(_ path: String, schema: AvroSchema, codec: String, datums: [[UInt8]]) throws(AvroFileError) {
        let parsed = try parse(schema)
        defer { avro_schema_decref(parsed) }
        var writer: avro_file_writer_t?
        guard avro_file_writer_create_with_codec(path, parsed, &writer, codec, 0) == 0, let writer else {
            throw failure("avro_file_writer_create_with_codec(\(codec))")
        }
        for datum in datums {
            let status = datum.withUnsafeBytes { avro_file_writer_append_encoded(writer, $0.baseAddress, Int64($0.count)) }
            guard status == 0 else {
                avro_file_writer_close(writer)
                throw failure("avro_file_writer_append_encoded")
            }
        }
        guard avro_file_writer_close(writer) == 0 else { throw failure("avro_file_writer_close") }
    }

    /// Reads a container file with avro-c's reader; each datum re-encoded by avro-c.
    public static func readFile(_ path: String) throws(AvroFileError) -> [[UInt8]] {
        var reader: avro_file_reader_t?
        guard avro_file_reader(path, &reader) == 0, let reader else { throw failure("avro_file_reader(\(path))") }
        defer { avro_file_reader_close(reader) }
        let schema = avro_file_reader_get_writer_schema(reader)
        guard let iface = avro_generic_class_from_schema(schema) else { throw failure("avro_generic_class_from_schema") }
        defer { cavro_value_iface_decref(iface) }
        var datum = avro_value_t()
        guard avro_generic_value_new(iface, &datum) == 0 else { throw failure("avro_generic_value_new") }
        defer { cavro_value_decref(&datum) }
        var datums: [[UInt8]] = []
        while true {
            let status = avro_file_reader_read_value(reader, &datum)
            if status == EOF { break }
            guard status == 0 else { throw failure("avro_file_reader_read_value (datum \(datums.count))") }
            datums.append(try write(&datum))
            _ = cavro_value_reset(&datum)
        }
        return datums
    }

    private static func failure(_ call: String) -> AvroFileError {
        AvroFileError("avro-c: \(call) failed: \(String(cString: avro_strerror()))")
    }

    private static func parse(_ schema: AvroSchema) throws(AvroFileError) -> avro_schema_t {
        var parsed: avro_schema_t?
        let text = schema.text
        guard avro_schema_from_json_length(text, text.utf8.count, &parsed) == 0, let parsed else {
            throw failure("avro_schema_from_json_length")
        }
        return parsed
    }

    private static func write(_ datum: inout avro_value_t) throws(AvroFileError) -> [UInt8] {
        var size = 0
        guard avro_value_sizeof(&datum, &size) == 0 else { throw failure("avro_value_sizeof") }
        var buffer = [CChar](repeating: 0, count: max(size, 1))
        let written: Int64 = buffer.withUnsafeMutableBufferPointer { raw in
            let writer = avro_writer_memory(raw.baseAddress, Int64(raw.count))
            defer { avro_writer_free(writer) }
            guard avro_value_write(writer, &datum) == 0 else { return -1 }
            return avro_writer_tell(writer)
        }
        guard written == Int64(size) else { throw failure("avro_value_write") }
        return buffer.prefix(size).map { UInt8(bitPattern: $0) }
    }

    /// Sets an avro-c value from a generic value, node by node.
    private static func fill(_ target: inout avro_value_t, _ value: AvroValue, path: String) throws(AvroFileError) {
        var child = avro_value_t()
        let status: Int32
        switch value {
        case .null: status = cavro_value_set_null(&target)
        case .boolean(let flag): status = cavro_value_set_boolean(&target, flag ? 1 : 0)
        case .int(let number): status = cavro_value_set_int(&target, number)
        case .long(let number): status = cavro_value_set_long(&target, number)
        case .float(let number): status = cavro_value_set_float(&target, number)
        case .double(let number): status = cavro_value_set_double(&target, number)
        case .string(let text):
            // avro-c's length counts the terminating NUL.
            status = text.withCString { cavro_value_set_string_len(&target, $0, text.utf8.count + 1) }
        case .bytes(let bytes), .fixed(let bytes):
            var copy = bytes.isEmpty ? [0] : bytes
            let isFixed = if case .fixed = value { true } else { false }
            status = copy.withUnsafeMutableBytes { raw in
                isFixed ? cavro_value_set_fixed(&target, raw.baseAddress, bytes.count)
                        : cavro_value_set_bytes(&target, raw.baseAddress, bytes.count)
            }
        case .enumeration(let index, _): status = cavro_value_set_enum(&target, Int32(index))
        case .array(let items):
            for (index, item) in items.enumerated() {
                guard cavro_value_append(&target, &child) == 0 else { throw failure("append at \(path)/\(index)") }
                try fill(&child, item, path: "\(path)/\(index)")
            }
            status = 0
        case .map(let entries):
            for entry in entries {
                guard cavro_value_add(&target, entry.key, &child) == 0 else { throw failure("add at \(path)/\(entry.key)") }
                try fill(&child, entry.value, path: "\(path)/\(entry.key)")
            }
            status = 0
        case .union(let index, let inner):
            guard cavro_value_set_branch(&target, Int32(index), &child) == 0 else { throw failure("set_branch \(index) at \(path)") }
            try fill(&child, inner, path: path)
            status = 0
        case .record(let fields):
            for (index, field) in fields.enumerated() {
                guard cavro_value_get_by_index(&target, index, &child) == 0 else { throw failure("field \(index) at \(path)") }
                try fill(&child, field, path: "\(path)/\(index)")
            }
            status = 0
        }
        guard status == 0 else { throw failure("setting \(value) at \(path.isEmpty ? "/" : path)") }
    }
}

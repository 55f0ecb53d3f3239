import Avro
import Foundation

/// Object Container Files on disk: ``AvroContainerWriter`` / ``AvroContainerReader`` with the
/// file I/O around them (the only I/O of Sluice's Avro support).
public enum AvroFiles {
    /// Reads and parses the header of the file at `path` (the file is read into memory whole).
    public static func open(_ path: String, maxBlockSize: Int = 256 << 20) throws -> AvroContainerReader {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw AvroFileError("cannot read \(path)")
        }
        do {
            return try AvroContainerReader(bytes: Array(data), maxBlockSize: maxBlockSize)
        } catch {
            throw AvroFileError("\(path): \(error.message)")
        }
    }
}

/// Writes a container file as it goes: the header at once, then each block as it closes.
public final class AvroFileWriter {
    private var container: AvroContainerWriter
    private let handle: FileHandle
    public let path: String

    /// Creates (or truncates) the file at `path`.
    public init(path: String, schema: AvroSchema, codec: AvroFileCodec = .null,
                metadata: [(key: String, value: [UInt8])] = [], blockSize: Int = 64 * 1024) throws {
        container = try AvroContainerWriter(schema: schema, codec: codec, metadata: metadata, blockSize: blockSize)
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            throw AvroFileError("cannot create \(path)")
        }
        self.handle = handle
        self.path = path
        try drain()
    }

    public var schema: AvroSchema { container.schema }

    private func drain() throws {
        let ready = container.takeOutput()
        if !ready.isEmpty { try handle.write(contentsOf: ready) }
    }

    public func append(datum: [UInt8]) throws {
        try container.append(datum: datum)
        try drain()
    }

    public func append(_ value: AvroValue) throws {
        try container.append(value)
        try drain()
    }

    public func append<T: Encodable>(_ value: T, encoder: AvroEncoder) throws {
        try container.append(value, encoder: encoder)
        try drain()
    }

    /// Writes the last block and closes the file.
    public func close() throws {
        try container.flushBlock()
        try drain()
        try handle.close()
    }
}

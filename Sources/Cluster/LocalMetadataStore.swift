import Foundation

/// The metadata of a single node, kept in `<data>/cluster-metadata.json` (DESIGN: a single node
/// needs no etcd). Every change is written to a temporary file, synced, and renamed over the old
/// one, so a crash leaves either the old or the new metadata, never a torn file.
public struct LocalMetadataStore: Sendable {
    public let path: String

    public init(dataDirectory: String) {
        self.path = (dataDirectory as NSString).appendingPathComponent("cluster-metadata.json")
    }

    /// The stored metadata, or nil on first start.
    /// - Throws: when the file exists but cannot be read, naming the file and the problem.
    public func load() throws -> ClusterMetadata? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            return try JSONDecoder().decode(ClusterMetadata.self, from: data)
        } catch {
            throw MetadataStoreError(message: "cannot read cluster metadata from '\(path)': \(error)")
        }
    }

    /// Replaces the stored metadata atomically and durably.
    public func save(_ metadata: ClusterMetadata) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data = try encoder.encode(metadata)
        let temporary = path + ".tmp"
        guard FileManager.default.createFile(atPath: temporary, contents: data) else {
            throw MetadataStoreError(message: "cannot write '\(temporary)'")
        }
        try syncFile(temporary)
        guard rename(temporary, path) == 0 else {
            throw MetadataStoreError(message: "cannot rename '\(temporary)' to '\(path)': \(String(cString: strerror(errno)))")
        }
        try syncFile((path as NSString).deletingLastPathComponent)
    }

    private func syncFile(_ path: String) throws {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else {
            throw MetadataStoreError(message: "cannot open '\(path)' to sync it: \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else {
            throw MetadataStoreError(message: "cannot sync '\(path)': \(String(cString: strerror(errno)))")
        }
    }
}

/// The metadata file could not be read or written; the message names the file.
public struct MetadataStoreError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var description: String { message }
}

import NIOCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An open file of a segment (`.log`, `.index`, `.timeindex`): the only owner of its
/// descriptor, closed when the last reference goes. A ``FileSlice`` holds a reference, so a
/// handle that the LRU evicts stays open until the slices being sent from it are gone.
///
/// `@unchecked Sendable`: the descriptor is immutable, and `pread`/`pwrite`/`fdatasync` are
/// safe to call from several threads; writes are serialized by the owning partition's lock.
public final class SegmentFile: @unchecked Sendable {
    public let path: String
    /// The file descriptor, for `sendfile`-style transfers (NIO `FileRegion`).
    public let descriptor: Int32

    /// Opens (and with `create`, creates) the file for reading and writing.
    init(path: String, create: Bool) throws(LogStoreError) {
        let flags = O_RDWR | O_CLOEXEC | (create ? O_CREAT : 0)
        let fd = open(path, flags, 0o644)
        guard fd >= 0 else { throw Self.error("open", path) }
        self.path = path
        self.descriptor = fd
    }

    deinit {
        close(descriptor)
    }

    /// The file's current size on disk.
    func size() throws(LogStoreError) -> Int64 {
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw Self.error("stat", path) }
        return Int64(status.st_size)
    }

    /// Writes all of `bytes` at `offset`.
    func write(_ bytes: UnsafeRawBufferPointer, at offset: Int64) throws(LogStoreError) {
        let failure = Self.writeAll(descriptor, bytes, at: offset)
        guard failure == 0 else { throw Self.error("write", path, failure) }
    }

    /// Writes `head` then `body` at `offset`, in one `pwritev` when the kernel takes it all.
    func write(head: [UInt8], body: UnsafeRawBufferPointer, at offset: Int64) throws(LogStoreError) {
        let failure = head.withUnsafeBytes { head in
            var vectors = [iovec(iov_base: UnsafeMutableRawPointer(mutating: head.baseAddress), iov_len: head.count),
                           iovec(iov_base: UnsafeMutableRawPointer(mutating: body.baseAddress), iov_len: body.count)]
            let total = head.count + body.count
            let written = vectors.withUnsafeMutableBufferPointer { vectors in
                while true {
                    let result = pwritev(descriptor, vectors.baseAddress, Int32(vectors.count), off_t(offset))
                    if result < 0 && errno == EINTR { continue }
                    return result
                }
            }
            if written < 0 { return errno }
            if written == total { return 0 }
            // A short write: the rest with plain pwrites.
            if written < head.count {
                let failure = Self.writeAll(descriptor, UnsafeRawBufferPointer(rebasing: head[written...]), at: offset + Int64(written))
                if failure != 0 { return failure }
                return Self.writeAll(descriptor, body, at: offset + Int64(head.count))
            }
            return Self.writeAll(descriptor, UnsafeRawBufferPointer(rebasing: body[(written - head.count)...]), at: offset + Int64(written))
        }
        guard failure == 0 else { throw Self.error("write", path, failure) }
    }

    /// Writes all of `bytes` at `offset`.
    func write(_ bytes: [UInt8], at offset: Int64) throws(LogStoreError) {
        let failure = bytes.withUnsafeBytes { Self.writeAll(descriptor, $0, at: offset) }
        guard failure == 0 else { throw Self.error("write", path, failure) }
    }

    /// Reads up to `count` bytes at `offset`; fewer at the end of the file.
    /// pread into `bytes` until full or the file ends; returns the bytes read and 0 or errno.
    func readAll(into bytes: UnsafeMutableRawBufferPointer, at offset: Int64) -> (Int, Int32) {
        Self.readAll(descriptor, bytes, at: offset)
    }

    func read(count: Int, at offset: Int64) throws(LogStoreError) -> [UInt8] {
        guard count > 0 else { return [] }
        var bytes = [UInt8](repeating: 0, count: count)
        let (total, failure) = bytes.withUnsafeMutableBytes { Self.readAll(descriptor, $0, at: offset) }
        guard failure == 0 else { throw Self.error("read", path, failure) }
        if total < count { bytes.removeLast(count - total) }
        return bytes
    }

    /// Reads exactly `count` bytes at `offset`; nil when the file ends first.
    func readExactly(count: Int, at offset: Int64) throws(LogStoreError) -> [UInt8]? {
        let bytes = try read(count: count, at: offset)
        return bytes.count == count ? bytes : nil
    }

    /// pwrite until done; returns 0 or errno.
    private static func writeAll(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer, at offset: Int64) -> Int32 {
        var written = 0
        while written < bytes.count {
            let result = pwrite(descriptor, bytes.baseAddress! + written, bytes.count - written, off_t(offset) + off_t(written))
            if result < 0 {
                if errno == EINTR { continue }
                return errno
            }
            written += result
        }
        return 0
    }

    /// pread until full or end of file; returns the bytes read and 0 or errno.
    private static func readAll(_ descriptor: Int32, _ buffer: UnsafeMutableRawBufferPointer, at offset: Int64) -> (Int, Int32) {
        var total = 0
        while total < buffer.count {
            let result = pread(descriptor, buffer.baseAddress! + total, buffer.count - total, off_t(offset) + off_t(total))
            if result < 0 {
                if errno == EINTR { continue }
                return (total, errno)
            }
            if result == 0 { break }
            total += result
        }
        return (total, 0)
    }

    /// Forces written data to disk (`fdatasync`).
    func sync() throws(LogStoreError) {
        guard fdatasync(descriptor) == 0 else { throw Self.error("fdatasync", path) }
    }

    /// Cuts the file to `size` bytes.
    func truncate(to size: Int64) throws(LogStoreError) {
        guard ftruncate(descriptor, off_t(size)) == 0 else { throw Self.error("truncate", path) }
    }

    static func error(_ operation: String, _ path: String, _ code: Int32 = errno) -> LogStoreError {
        LogStoreError(.io, "\(operation) '\(path)' failed: \(String(cString: strerror(code)))")
    }
}

/// A byte range of a segment file to send as it is (with `sendfile` through a NIO
/// `FileRegion`, or read with ``bytes()``).
public struct FileSlice: Sendable {
    public let file: SegmentFile
    public let position: Int64
    public let length: Int

    /// The slice's bytes, for consumers that cannot send from the file directly.
    public func bytes() throws(LogStoreError) -> [UInt8] {
        try file.read(count: length, at: position)
    }

    /// Appends the slice's bytes to `buffer`, read straight into its storage (one copy, from
    /// the page cache). Returns the bytes read (fewer if the file is shorter).
    @discardableResult
    public func read(into buffer: inout ByteBuffer) throws(LogStoreError) -> Int {
        guard length > 0 else { return 0 }
        let file = self.file
        let (position, length) = (self.position, self.length)
        var failure: Int32 = 0
        let total = buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: length) { raw in
            let (total, error) = file.readAll(into: UnsafeMutableRawBufferPointer(rebasing: raw.prefix(length)), at: position)
            failure = error
            return total
        }
        guard failure == 0 else { throw SegmentFile.error("read", file.path, failure) }
        return total
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// An exclusive lock on a data directory, held for the life of the process.
///
/// A second `sluice serve` on the same directory must fail before it reads or writes anything,
/// so the lock is taken first: `flock(LOCK_EX | LOCK_NB)` on `<data>/.lock`, which the kernel
/// releases when the holder exits, even after `kill -9`, so a stale lock file never blocks a
/// restart. The holder's pid is written into the file for the error message.
public final class DataDirectoryLock: Sendable {
    /// The lock file's descriptor; this object is its only owner.
    private let descriptor: Int32
    public let path: String

    /// Creates the directory if needed and takes the lock.
    /// - Throws: ``DataDirectoryLockError`` when another process holds it or the directory is unusable.
    public init(directory: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw DataDirectoryLockError(message: "cannot create data directory '\(directory)': \(error.localizedDescription)")
        }
        let path = (directory as NSString).appendingPathComponent(".lock")
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw DataDirectoryLockError(message: "cannot open lock file '\(path)': \(String(cString: strerror(errno)))")
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let reason = errno == EWOULDBLOCK
                ? "data directory '\(directory)' is in use by another sluice process\(Self.holder(fd))"
                : "cannot lock '\(path)': \(String(cString: strerror(errno)))"
            close(fd)
            throw DataDirectoryLockError(message: reason)
        }
        let pid = "\(getpid())\n"
        _ = ftruncate(fd, 0)
        _ = pid.withCString { pwrite(fd, $0, strlen($0), 0) }
        self.descriptor = fd
        self.path = path
    }

    deinit {
        close(descriptor)
    }

    private static func holder(_ fd: Int32) -> String {
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = pread(fd, &buffer, buffer.count, 0)
        guard count > 0, let text = String(bytes: buffer[..<count], encoding: .utf8) else { return "" }
        let pid = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return pid.isEmpty ? "" : " (pid \(pid))"
    }
}

/// The data directory could not be locked; the message says why.
public struct DataDirectoryLockError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var description: String { message }
}

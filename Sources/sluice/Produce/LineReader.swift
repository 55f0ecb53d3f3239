#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads delimited lines from a file descriptor in large chunks, without decoding them: a
/// line is bytes (`produce` must send exactly what the file holds). The delimiter is not part
/// of the line; a last line without one is still a line, an empty tail after the last
/// delimiter is not.
struct LineReader {
    struct TooLong: Error, CustomStringConvertible {
        var line: Int
        var limit: Int
        var description: String { "line \(line) is longer than \(limit) bytes (raise --max-line-bytes)" }
    }

    private let descriptor: Int32
    private let delimiter: UInt8
    private let maxLineBytes: Int
    private var buffer: [UInt8] = []
    private var start = 0
    private var scanned = 0
    private var atEnd = false
    private let chunk: Int
    /// Bytes consumed so far, delimiters included (for progress).
    private(set) var bytesRead: Int64 = 0
    /// The number of the last line returned (1-based).
    private(set) var lineNumber = 0

    init(descriptor: Int32, delimiter: UInt8 = UInt8(ascii: "\n"), maxLineBytes: Int = 64 << 20, chunk: Int = 1 << 20) {
        self.descriptor = descriptor
        self.delimiter = delimiter
        self.maxLineBytes = maxLineBytes
        self.chunk = chunk
    }

    /// The next line, nil at the end of the input.
    mutating func next() throws -> ArraySlice<UInt8>? {
        while true {
            if let end = buffer[scanned...].firstIndex(of: delimiter) {
                let line = buffer[start..<end]
                bytesRead += Int64(end + 1 - start)
                start = end + 1
                scanned = start
                lineNumber += 1
                return line
            }
            scanned = buffer.count
            if scanned - start > maxLineBytes { throw TooLong(line: lineNumber + 1, limit: maxLineBytes) }
            if atEnd {
                guard start < buffer.count else { return nil }
                let line = buffer[start...]
                bytesRead += Int64(buffer.count - start)
                start = buffer.count
                scanned = start
                lineNumber += 1
                return line
            }
            try fill()
        }
    }

    /// Drops consumed bytes and reads another chunk.
    private mutating func fill() throws {
        if start > 0 {
            buffer.removeSubrange(0..<start)
            scanned -= start
            start = 0
        }
        let old = buffer.count
        buffer.reserveCapacity(old + chunk)
        buffer.append(contentsOf: repeatElement(0, count: chunk))
        var count = 0
        while true {
            count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress! + old, chunk) }
            if count < 0 && errno == EINTR { continue }
            break
        }
        if count < 0 {
            buffer.removeSubrange(old...)
            throw CommandFailure(message: "reading the input: \(String(cString: strerror(errno)))")
        }
        buffer.removeSubrange((old + count)...)
        if count == 0 { atEnd = true }
    }
}

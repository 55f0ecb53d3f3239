import LogStore
import NIOCore

/// A response ready to send: its encoded bytes, and optionally runs of log-file bytes that go
/// between them (Fetch records), sent from the files with `sendfile` instead of being copied
/// through Swift buffers.
struct OutgoingFrame: Sendable {
    var bytes: ByteBuffer
    /// Where file bytes go (reader-relative offsets into `bytes`, ascending), and which.
    var fileParts: [(offset: Int, slices: [FileSlice])] = []

    init(_ bytes: ByteBuffer, fileParts: [(offset: Int, slices: [FileSlice])] = []) {
        self.bytes = bytes
        self.fileParts = fileParts
    }

    /// Writes the frame to `context` in order. Each file region borrows its segment file's
    /// descriptor; the slice (which keeps the file open) is held until the write is done, then
    /// the borrowed descriptor is handed back without closing it.
    func write(to context: ChannelHandlerContext) {
        guard !fileParts.isEmpty else {
            context.write(NIOAny(IOData.byteBuffer(bytes)), promise: nil)
            return
        }
        var position = 0
        for part in fileParts {
            if part.offset > position, let run = bytes.getSlice(at: bytes.readerIndex + position, length: part.offset - position) {
                context.write(NIOAny(IOData.byteBuffer(run)), promise: nil)
            }
            position = part.offset
            for slice in part.slices where slice.length > 0 {
                let handle = NIOFileHandle(_deprecatedTakingOwnershipOfDescriptor: slice.file.descriptor)
                let region = FileRegion(fileHandle: handle, readerIndex: Int(slice.position),
                                        endIndex: Int(slice.position) + slice.length)
                let done = context.eventLoop.makePromise(of: Void.self)
                done.futureResult.whenComplete { _ in
                    _ = try? handle.takeDescriptorOwnership()
                    withExtendedLifetime(slice) {}
                }
                context.write(NIOAny(IOData.fileRegion(region)), promise: done)
            }
        }
        if position < bytes.readableBytes, let rest = bytes.getSlice(at: bytes.readerIndex + position, length: bytes.readableBytes - position) {
            context.write(NIOAny(IOData.byteBuffer(rest)), promise: nil)
        }
    }
}

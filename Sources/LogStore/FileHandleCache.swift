import Synchronization

/// Keeps at most `capacity` segment files open, closing the least recently used beyond that,
/// so that 10,000 partitions (three files per segment) stay within `ulimit -n`. A file evicted
/// while a ``FileSlice`` still sends from it stays open until that slice is gone (ARC), so the
/// cap can be exceeded briefly by in-flight reads, never by idle partitions.
public final class FileHandleCache: Sendable {
    public let capacity: Int
    private let state: Mutex<State>

    private struct State: @unchecked Sendable {
        var handles: [String: Entry] = [:]
        var tick: UInt64 = 0
    }

    private struct Entry {
        var file: SegmentFile
        var lastUse: UInt64
    }

    public init(capacity: Int) {
        self.capacity = max(capacity, 4)
        self.state = Mutex(State())
    }

    /// The open file at `path`, opening (and with `create`, creating) it if needed.
    func open(_ path: String, create: Bool = false) throws(LogStoreError) -> SegmentFile {
        try state.withLock { (state) throws(LogStoreError) -> SegmentFile in
            state.tick &+= 1
            if let entry = state.handles[path] {
                state.handles[path]?.lastUse = state.tick
                return entry.file
            }
            let file = try SegmentFile(path: path, create: create)
            if state.handles.count >= capacity {
                // A linear scan on a miss: misses are rare for busy partitions and the cache is
                // small next to the work of opening a file.
                if let oldest = state.handles.min(by: { $0.value.lastUse < $1.value.lastUse })?.key {
                    state.handles[oldest] = nil
                }
            }
            state.handles[path] = Entry(file: file, lastUse: state.tick)
            return file
        }
    }

    /// Forgets a path that is being deleted or replaced.
    func forget(_ path: String) {
        _ = state.withLock { $0.handles.removeValue(forKey: path) }
    }

    /// Files currently held open by the cache.
    public var openCount: Int { state.withLock { $0.handles.count } }
}

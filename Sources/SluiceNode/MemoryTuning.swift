#if os(Linux)
/// glibc's `mallopt` (not exported by the Glibc module).
@_silgen_name("mallopt")
private func glibcMallopt(_ parameter: Int32, _ value: Int32) -> Int32
#endif

/// Keeps large buffers (request frames, fetch responses of several MiB) on the heap, where they
/// are reused warm, instead of glibc giving each its own fresh `mmap` that is page-faulted in,
/// zeroed and unmapped again: measured here, that cost a consumer of six partitions 4x its
/// throughput (the fresh pages, not the copies, were the time).
public enum MemoryTuning {
    public static func keepLargeBuffersOnTheHeap() {
        #if os(Linux)
        _ = glibcMallopt(-3, 32 << 20)  // M_MMAP_THRESHOLD (32 MiB is glibc's maximum)
        _ = glibcMallopt(-1, 512 << 20)  // M_TRIM_THRESHOLD
        _ = glibcMallopt(-2, 64 << 20)  // M_TOP_PAD: grow the heap in large steps
        #endif
    }
}

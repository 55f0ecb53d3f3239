// Write-behind and drop-behind for the log's files: start the kernel's writeback of a range
// early, and drop a range that is on disk from the page cache. Linux's sync_file_range is a
// GNU extension that Swift's Glibc module does not export, which is why this tiny C target
// exists; LogStore is its only importer. Elsewhere both calls do nothing and return 0.
#ifndef CPAGECACHE_H
#define CPAGECACHE_H

#include <stdint.h>

/// Starts writeback of `[offset, offset + length)` without waiting for it
/// (sync_file_range SYNC_FILE_RANGE_WRITE). Not a durability guarantee: no metadata, no flush of
/// the device's cache. Returns 0 or errno.
int cpagecache_start_writeback(int fd, int64_t offset, int64_t length);

/// Waits until `[offset, offset + length)` is written back (starting what is not), then drops
/// its pages from the page cache (posix_fadvise POSIX_FADV_DONTNEED). Returns 0 or errno.
int cpagecache_drop(int fd, int64_t offset, int64_t length);

#endif

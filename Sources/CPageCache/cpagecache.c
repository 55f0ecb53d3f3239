#define _GNU_SOURCE
#include "cpagecache.h"

#include <errno.h>
#include <fcntl.h>

int cpagecache_start_writeback(int fd, int64_t offset, int64_t length) {
#ifdef __linux__
    if (sync_file_range(fd, offset, length, SYNC_FILE_RANGE_WRITE) != 0) return errno;
#else
    (void)fd; (void)offset; (void)length;
#endif
    return 0;
}

int cpagecache_drop(int fd, int64_t offset, int64_t length) {
#ifdef __linux__
    unsigned int flags = SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE | SYNC_FILE_RANGE_WAIT_AFTER;
    if (sync_file_range(fd, offset, length, flags) != 0) return errno;
    // posix_fadvise returns the error number itself.
    return posix_fadvise(fd, offset, length, POSIX_FADV_DONTNEED);
#else
    (void)fd; (void)offset; (void)length;
    return 0;
#endif
}

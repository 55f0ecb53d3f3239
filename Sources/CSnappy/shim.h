// Shim for libsnappy's C API (Debian libsnappy-dev). Imported only by the Compression target.
#include <snappy-c.h>

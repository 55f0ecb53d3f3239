// Shim for libzstd (Debian libzstd-dev). Imported only by the Compression target.
#include <zstd.h>

// Shim for zlib (Debian zlib1g-dev). Imported only by the Compression target.
#include <zlib.h>

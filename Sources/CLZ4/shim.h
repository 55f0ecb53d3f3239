// Shim for liblz4's frame API (Debian liblz4-dev). Imported only by the Compression target.
#include <lz4frame.h>

// CRC-32C (Castagnoli) over a byte range, using the SSE 4.2 `crc32` instruction when the CPU has
// it and a slicing-by-8 table otherwise. Swift cannot emit that instruction itself, which is why
// this tiny C target exists; KafkaProtocol is its only importer.
#ifndef CCRC32C_H
#define CCRC32C_H

#include <stddef.h>
#include <stdint.h>

/// Continues a CRC-32C: pass 0 to start; the result is final (already inverted), so a CRC over
/// several pieces is `ccrc32c_update(ccrc32c_update(0, a, n), b, m)`.
uint32_t ccrc32c_update(uint32_t crc, const void *bytes, size_t count);

/// The same with the table implementation only, whatever the CPU (tests compare the two).
uint32_t ccrc32c_update_portable(uint32_t crc, const void *bytes, size_t count);

/// 1 when the hardware instruction is used, 0 for the table fallback (reported by `make bench`).
int ccrc32c_is_hardware(void);

#endif

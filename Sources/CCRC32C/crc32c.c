#include "ccrc32c.h"

#include <string.h>

#define POLY 0x82F63B78u

static uint32_t table[8][256];
static int table_ready;

static void build_table(void) {
    for (uint32_t n = 0; n < 256; n++) {
        uint32_t c = n;
        for (int k = 0; k < 8; k++) c = (c & 1) ? (c >> 1) ^ POLY : c >> 1;
        table[0][n] = c;
    }
    for (uint32_t n = 0; n < 256; n++) {
        uint32_t c = table[0][n];
        for (int k = 1; k < 8; k++) {
            c = table[0][c & 0xff] ^ (c >> 8);
            table[k][n] = c;
        }
    }
    __atomic_store_n(&table_ready, 1, __ATOMIC_RELEASE);
}

static uint32_t crc_table(uint32_t crc, const unsigned char *p, size_t n) {
    if (!__atomic_load_n(&table_ready, __ATOMIC_ACQUIRE)) build_table();
    while (n && ((uintptr_t)p & 7)) { crc = table[0][(crc ^ *p++) & 0xff] ^ (crc >> 8); n--; }
    while (n >= 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        w ^= crc;
        crc = table[7][w & 0xff] ^ table[6][(w >> 8) & 0xff] ^ table[5][(w >> 16) & 0xff] ^
              table[4][(w >> 24) & 0xff] ^ table[3][(w >> 32) & 0xff] ^ table[2][(w >> 40) & 0xff] ^
              table[1][(w >> 48) & 0xff] ^ table[0][w >> 56];
        p += 8; n -= 8;
    }
    while (n--) crc = table[0][(crc ^ *p++) & 0xff] ^ (crc >> 8);
    return crc;
}

uint32_t ccrc32c_update_portable(uint32_t crc, const void *bytes, size_t count) {
    return ~crc_table(~crc, bytes, count);
}

#if defined(__x86_64__)
#include <nmmintrin.h>

// The `crc32` instruction takes 3 cycles but can start one per cycle, so one stream of words
// runs at a third of what the unit can do. Long inputs are cut into three adjacent runs that
// are summed at once and then joined: the CRC register is linear, so the register after A then
// B is shift(register after A, |B|) ^ (register after B from 0), where shift(x, n) is what n
// zero bytes do to x. shift is linear too, so it is four table lookups, one per byte of x,
// with tables made once from what n zero bytes do to each of the 32 one-bit registers.
#define CRC_LONG 8192
#define CRC_SHORT 256

static uint32_t long_shift[4][256], short_shift[4][256];
static int shift_ready;

__attribute__((target("sse4.2")))
static void build_shift(uint32_t shift[4][256], size_t length) {
    uint32_t basis[32];
    for (int bit = 0; bit < 32; bit++) {
        uint64_t c = 1u << bit;
        for (size_t k = 0; k < length / 8; k++) c = _mm_crc32_u64(c, 0);
        basis[bit] = (uint32_t)c;
    }
    for (int k = 0; k < 4; k++) {
        for (int byte = 0; byte < 256; byte++) {
            uint32_t v = 0;
            for (int bit = 0; bit < 8; bit++) if (byte >> bit & 1) v ^= basis[8 * k + bit];
            shift[k][byte] = v;
        }
    }
}

__attribute__((target("sse4.2")))
static void build_shifts(void) {
    build_shift(long_shift, CRC_LONG);
    build_shift(short_shift, CRC_SHORT);
    __atomic_store_n(&shift_ready, 1, __ATOMIC_RELEASE);
}

static inline uint32_t shifted(uint32_t shift[4][256], uint32_t c) {
    return shift[0][c & 0xff] ^ shift[1][(c >> 8) & 0xff] ^ shift[2][(c >> 16) & 0xff] ^ shift[3][c >> 24];
}

__attribute__((target("sse4.2")))
static inline uint64_t crc_word(uint64_t c, const unsigned char *p) {
    uint64_t w;
    memcpy(&w, p, 8);
    return _mm_crc32_u64(c, w);
}

/// Three runs of `length` bytes at once, joined with `shift` (the tables for `length`).
__attribute__((target("sse4.2")))
static uint64_t crc_three(uint64_t c, const unsigned char **at, size_t *n, size_t length, uint32_t shift[4][256]) {
    const unsigned char *p = *at;
    while (*n >= 3 * length) {
        uint64_t c1 = 0, c2 = 0;
        const unsigned char *end = p + length;
        do {
            c = crc_word(c, p);
            c1 = crc_word(c1, p + length);
            c2 = crc_word(c2, p + 2 * length);
            p += 8;
        } while (p < end);
        c = shifted(shift, (uint32_t)c) ^ (uint32_t)c1;
        c = shifted(shift, (uint32_t)c) ^ (uint32_t)c2;
        p += 2 * length;
        *n -= 3 * length;
    }
    *at = p;
    return c;
}

__attribute__((target("sse4.2")))
static uint32_t crc_hw(uint32_t crc, const unsigned char *p, size_t n) {
    uint64_t c = crc;
    while (n && ((uintptr_t)p & 7)) { c = _mm_crc32_u8((uint32_t)c, *p++); n--; }
    if (n >= 3 * CRC_SHORT) {
        if (!__atomic_load_n(&shift_ready, __ATOMIC_ACQUIRE)) build_shifts();
        c = crc_three(c, &p, &n, CRC_LONG, long_shift);
        c = crc_three(c, &p, &n, CRC_SHORT, short_shift);
    }
    while (n >= 8) {
        c = crc_word(c, p);
        p += 8; n -= 8;
    }
    while (n--) c = _mm_crc32_u8((uint32_t)c, *p++);
    return (uint32_t)c;
}

static int hw_state = -1;

int ccrc32c_is_hardware(void) {
    if (hw_state < 0) {
        __builtin_cpu_init();
        hw_state = __builtin_cpu_supports("sse4.2") ? 1 : 0;
    }
    return hw_state;
}

uint32_t ccrc32c_update(uint32_t crc, const void *bytes, size_t count) {
    uint32_t c = ~crc;
    c = ccrc32c_is_hardware() ? crc_hw(c, bytes, count) : crc_table(c, bytes, count);
    return ~c;
}
#else
int ccrc32c_is_hardware(void) { return 0; }

uint32_t ccrc32c_update(uint32_t crc, const void *bytes, size_t count) {
    return ~crc_table(~crc, bytes, count);
}
#endif

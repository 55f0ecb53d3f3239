// Shim for avro-c (Debian libavro-dev, which brings libjansson) and the two block codecs avro-c
// links, zlib and snappy. Imported only by the AvroFile target: the codecs compress Object
// Container File blocks, and avro-c itself is the byte-for-byte reference for Sluice's Avro codec
// (DESIGN: it is not the schema-evolution engine).
//
// avro-c's value API (`avro_value_*`) is a set of macros over an interface vtable, which Swift
// cannot call; the inline functions below give the ones Sluice needs a real symbol.
#include <avro.h>
#include <snappy-c.h>
#include <stdint.h>
#include <zlib.h>

static inline int cavro_value_get_by_name(avro_value_t *value, const char *name, avro_value_t *child) {
    return avro_value_get_by_name(value, name, child, NULL);
}
static inline int cavro_value_get_by_index(avro_value_t *value, size_t index, avro_value_t *child) {
    return avro_value_get_by_index(value, index, child, NULL);
}
static inline int cavro_value_get_size(avro_value_t *value, size_t *size) {
    return avro_value_get_size(value, size);
}
static inline avro_type_t cavro_value_get_type(avro_value_t *value) {
    return avro_value_get_type(value);
}
static inline int cavro_value_set_null(avro_value_t *value) { return avro_value_set_null(value); }
static inline int cavro_value_set_boolean(avro_value_t *value, int flag) { return avro_value_set_boolean(value, flag); }
static inline int cavro_value_set_int(avro_value_t *value, int32_t number) { return avro_value_set_int(value, number); }
static inline int cavro_value_set_long(avro_value_t *value, int64_t number) { return avro_value_set_long(value, number); }
static inline int cavro_value_set_float(avro_value_t *value, float number) { return avro_value_set_float(value, number); }
static inline int cavro_value_set_double(avro_value_t *value, double number) { return avro_value_set_double(value, number); }
static inline int cavro_value_set_string(avro_value_t *value, const char *text) {
    return avro_value_set_string(value, text);
}
static inline int cavro_value_set_string_len(avro_value_t *value, const char *text, size_t size) {
    // avro-c's size counts the terminating NUL.
    return avro_value_set_string_len(value, text, size);
}
static inline int cavro_value_set_bytes(avro_value_t *value, void *bytes, size_t size) {
    return avro_value_set_bytes(value, bytes, size);
}
static inline int cavro_value_set_fixed(avro_value_t *value, void *bytes, size_t size) {
    return avro_value_set_fixed(value, bytes, size);
}
static inline int cavro_value_set_enum(avro_value_t *value, int symbol) { return avro_value_set_enum(value, symbol); }
static inline int cavro_value_set_branch(avro_value_t *value, int branch, avro_value_t *child) {
    return avro_value_set_branch(value, branch, child);
}
static inline int cavro_value_append(avro_value_t *value, avro_value_t *child) {
    return avro_value_append(value, child, NULL);
}
static inline int cavro_value_add(avro_value_t *value, const char *key, avro_value_t *child) {
    return avro_value_add(value, key, child, NULL, NULL);
}
static inline int cavro_value_get_long(avro_value_t *value, int64_t *number) {
    return avro_value_get_long(value, number);
}
static inline void cavro_value_iface_decref(avro_value_iface_t *iface) {
    avro_value_iface_decref(iface);
}
static inline void cavro_value_decref(avro_value_t *value) {
    avro_value_decref(value);
}
static inline int cavro_value_reset(avro_value_t *value) {
    return avro_value_reset(value);
}

// MARK: Block codecs. Each returns the bytes produced, -1 on corrupt input or a library failure,
// and -2 when the output does not fit `capacity` (the caller retries with more, up to its limit).

/// Raw deflate (RFC 1951, no zlib header), as the Avro "deflate" codec stores a block.
static inline long cavro_deflate(const uint8_t *input, size_t size, uint8_t *output, size_t capacity) {
    z_stream stream = {0};
    if (deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK) return -1;
    stream.next_in = (Bytef *)input;
    stream.avail_in = (uInt)size;
    stream.next_out = output;
    stream.avail_out = (uInt)capacity;
    int status = deflate(&stream, Z_FINISH);
    long produced = (long)stream.total_out;
    deflateEnd(&stream);
    if (status == Z_STREAM_END) return produced;
    return status == Z_OK || status == Z_BUF_ERROR ? -2 : -1;
}

static inline size_t cavro_deflate_bound(size_t size) { return (size_t)compressBound((uLong)size) + 16; }

static inline long cavro_inflate(const uint8_t *input, size_t size, uint8_t *output, size_t capacity) {
    z_stream stream = {0};
    if (inflateInit2(&stream, -15) != Z_OK) return -1;
    stream.next_in = (Bytef *)input;
    stream.avail_in = (uInt)size;
    stream.next_out = output;
    stream.avail_out = (uInt)capacity;
    int status = inflate(&stream, Z_FINISH);
    long produced = (long)stream.total_out;
    inflateEnd(&stream);
    if (status == Z_STREAM_END) return produced;
    // Output full with input left: more room is needed. Anything else is corrupt data.
    return (status == Z_BUF_ERROR || status == Z_OK) && stream.avail_out == 0 ? -2 : -1;
}

static inline uint32_t cavro_crc32(const uint8_t *input, size_t size) {
    return (uint32_t)crc32(0L, input, (uInt)size);
}

/// The length a snappy block says it decompresses to, or -1 when the block is corrupt.
static inline long cavro_snappy_uncompressed_length(const uint8_t *input, size_t size) {
    size_t length = 0;
    if (snappy_uncompressed_length((const char *)input, size, &length) != SNAPPY_OK) return -1;
    return (long)length;
}

static inline long cavro_snappy_uncompress(const uint8_t *input, size_t size, uint8_t *output, size_t capacity) {
    size_t length = capacity;
    if (snappy_uncompress((const char *)input, size, (char *)output, &length) != SNAPPY_OK) return -1;
    return (long)length;
}

static inline size_t cavro_snappy_bound(size_t size) { return snappy_max_compressed_length(size); }

static inline long cavro_snappy_compress(const uint8_t *input, size_t size, uint8_t *output, size_t capacity) {
    size_t length = capacity;
    if (snappy_compress((const char *)input, size, (char *)output, &length) != SNAPPY_OK) return -1;
    return (long)length;
}

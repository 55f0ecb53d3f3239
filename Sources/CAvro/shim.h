// Shim for avro-c (Debian libavro-dev, which brings libjansson). Imported only by CAvroTests
// today: it is the byte-for-byte reference for Sluice's own Avro codec, and the library for
// Object Container File import/export later (DESIGN: it is not the schema-evolution engine).
//
// avro-c's value API (`avro_value_*`) is a set of macros over an interface vtable, which Swift
// cannot call; the inline functions below give the ones Sluice needs a real symbol.
#include <avro.h>

static inline int cavro_value_get_by_name(avro_value_t *value, const char *name, avro_value_t *child) {
    return avro_value_get_by_name(value, name, child, NULL);
}
static inline int cavro_value_get_size(avro_value_t *value, size_t *size) {
    return avro_value_get_size(value, size);
}
static inline avro_type_t cavro_value_get_type(avro_value_t *value) {
    return avro_value_get_type(value);
}
static inline int cavro_value_set_long(avro_value_t *value, int64_t number) {
    return avro_value_set_long(value, number);
}
static inline int cavro_value_set_string(avro_value_t *value, const char *text) {
    return avro_value_set_string(value, text);
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

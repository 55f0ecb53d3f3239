// Shim for avro-c (Debian libavro-dev, which brings libjansson). Imported only by the Avro
// interop code (Object Container Files and byte-for-byte reference tests).
//
// avro-c's value API (`avro_value_*`) is a set of macros over an interface vtable, which Swift
// cannot call; the inline functions below give the ones Sluice needs a real symbol.
#include <avro.h>

static inline int cavro_value_get_size(avro_value_t *value, size_t *size) {
    return avro_value_get_size(value, size);
}
static inline avro_type_t cavro_value_get_type(avro_value_t *value) {
    return avro_value_get_type(value);
}
static inline void cavro_value_decref(avro_value_t *value) {
    avro_value_decref(value);
}
static inline int cavro_value_reset(avro_value_t *value) {
    return avro_value_reset(value);
}

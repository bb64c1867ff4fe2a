/* Memories of the `wasm` extension: Wasm\Memory's hand-written members (its
   constructor, read/write, typed accessors). The views are in wasm_views.c. */
#include "php_wasm_support.h"

/* ------------------------------------------------------------------ Memory */

ZEND_METHOD(Wasm_MemorySupport, __construct) {
    zend_object *store;
    zend_long minimum, maximum = 0;
    bool maximum_null = true;
    ZEND_PARSE_PARAMETERS_START(2, 3)
        Z_PARAM_OBJ_OF_CLASS(store, php_wasm_ce_Store)
        Z_PARAM_LONG(minimum)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG_OR_NULL(maximum, maximum_null)
    ZEND_PARSE_PARAMETERS_END();
    php_wasm_extern *o = PHP_WASM_THIS(php_wasm_extern);
    PHP_WASM_CONSTRUCT_ONCE(o->h, "Wasm\\Memory")
    php_wasm_store_obj *s = php_wasm_store_obj_of(store);
    wg_extern *h = NULL;
    if (!s || glue_memory_new(s->s->h, minimum, php_wasm_limit(maximum, maximum_null), &h) == FAILURE) RETURN_THROWS();
    php_wasm_extern_init(o, s->s, h, WG_EXTERN_MEMORY);
}

/* `size` bytes at byte `offset` of a memory, bounds-checked; NULL with an exception. */
uint8_t *php_wasm_memory_at(wg_extern *memory, zend_long offset, zend_long size) {
    wg_buffer b;
    if (UNEXPECTED(glue_memory_data(memory, &b) == FAILURE)) return NULL;
    if (UNEXPECTED(offset < 0 || size < 0 || (uint64_t)offset + (uint64_t)size > (uint64_t)b.len)) {
        php_wasm_throw(WG_ERR_ARGUMENT_ERROR, ZEND_LONG_FMT " byte(s) at offset " ZEND_LONG_FMT " are out of bounds (the memory has %zu bytes)",
                 size, offset, b.len);
        return NULL;
    }
    return b.data + offset;
}

/* Memory::read / Memory::write, the bulk path: one memcpy under the store's lock, in the
   glue (wg_memory_read_into into the new string, wg_memory_write from the given one),
   bounds-checked there (an ArgumentError, nothing copied). */
ZEND_METHOD(Wasm_MemorySupport, read) {
    zend_long offset, length;
    ZEND_PARSE_PARAMETERS_START(2, 2)
        Z_PARAM_LONG(offset)
        Z_PARAM_LONG(length)
    ZEND_PARSE_PARAMETERS_END();
    wg_extern *h = PHP_WASM_THIS(php_wasm_extern)->h;
    if (UNEXPECTED(!h)) {
        php_wasm_throw(WG_ERR_RUNTIME_ERROR, "the Wasm\\Memory object is not initialized (its constructor was not called) or was released");
        RETURN_THROWS();
    }
    if (UNEXPECTED(offset < 0 || length < 0)) {
        php_wasm_throw(WG_ERR_ARGUMENT_ERROR, ZEND_LONG_FMT " byte(s) at offset " ZEND_LONG_FMT " are out of bounds",
                       length, offset);
        RETURN_THROWS();
    }
    wg_buffer b;
    if (UNEXPECTED(glue_memory_data(h, &b) == FAILURE)) RETURN_THROWS();
    if (UNEXPECTED((uint64_t)length > (uint64_t)b.len)) {  /* before allocating: the glue checks it again under the lock */
        php_wasm_throw(WG_ERR_ARGUMENT_ERROR, ZEND_LONG_FMT " byte(s) at offset " ZEND_LONG_FMT " are out of bounds (the memory has %zu bytes)",
                       length, offset, b.len);
        RETURN_THROWS();
    }
    zend_string *out = zend_string_alloc((size_t)length, 0);
    int rc = wg_memory_read_into(h, (uint64_t)offset, (uint8_t *)ZSTR_VAL(out), (uint64_t)length);
    if (UNEXPECTED(rc != WG_OK)) {
        zend_string_efree(out);
        php_wasm_throw_glue(rc);
        RETURN_THROWS();
    }
    ZSTR_VAL(out)[length] = '\0';
    RETURN_NEW_STR(out);
}

ZEND_METHOD(Wasm_MemorySupport, write) {
    zend_long offset;
    zend_string *data;
    ZEND_PARSE_PARAMETERS_START(2, 2)
        Z_PARAM_LONG(offset)
        Z_PARAM_STR(data)
    ZEND_PARSE_PARAMETERS_END();
    if (UNEXPECTED(offset < 0)) {
        php_wasm_throw(WG_ERR_ARGUMENT_ERROR, "%zu byte(s) at offset " ZEND_LONG_FMT " are out of bounds",
                       ZSTR_LEN(data), offset);
        RETURN_THROWS();
    }
    if (glue_memory_write(PHP_WASM_THIS(php_wasm_extern)->h, (uint64_t)offset, data) == FAILURE) RETURN_THROWS();
}

/* getI32(offset) / setI32(offset, value) ... for each numeric value type, little-endian.
   `ctype` is the stored form; to_php / to_c convert it from / to the PHP value (an f32 goes
   by its bits, keeping a NaN's payload). */
#define PHP_WASM_MEMORY_ACCESSORS(Name, ctype, vtype, Z_PARAM_VALUE, RETURN_VALUE, to_php, to_c) \
    ZEND_METHOD(Wasm_MemorySupport, get##Name) {                                         \
        zend_long offset;                                                                 \
        ZEND_PARSE_PARAMETERS_START(1, 1)                                                 \
            Z_PARAM_LONG(offset)                                                          \
        ZEND_PARSE_PARAMETERS_END();                                                      \
        ctype x;                                                                          \
        uint8_t *p = php_wasm_memory_at(PHP_WASM_THIS(php_wasm_extern)->h, offset, sizeof x); \
        if (!p) RETURN_THROWS();                                                          \
        memcpy(&x, p, sizeof x);                                                          \
        RETURN_VALUE(to_php(x));                                                          \
    }                                                                                     \
    ZEND_METHOD(Wasm_MemorySupport, set##Name) {                                         \
        zend_long offset;                                                                 \
        vtype value;                                                                      \
        ZEND_PARSE_PARAMETERS_START(2, 2)                                                 \
            Z_PARAM_LONG(offset)                                                          \
            Z_PARAM_VALUE(value)                                                          \
        ZEND_PARSE_PARAMETERS_END();                                                      \
        ctype x = to_c(value);                                                            \
        uint8_t *p = php_wasm_memory_at(PHP_WASM_THIS(php_wasm_extern)->h, offset, sizeof x); \
        if (!p) RETURN_THROWS();                                                          \
        memcpy(p, &x, sizeof x);                                                          \
    }

#define PHP_WASM_LONG_OF(x) ((zend_long)(x))
#define PHP_WASM_I32_OF(v) ((int32_t)(uint64_t)(v))
#define PHP_WASM_I64_OF(v) ((int64_t)(uint64_t)(v))
#define PHP_WASM_SAME(x) (x)

PHP_WASM_MEMORY_ACCESSORS(I32, int32_t, zend_long, Z_PARAM_LONG, RETURN_LONG, PHP_WASM_LONG_OF, PHP_WASM_I32_OF)
PHP_WASM_MEMORY_ACCESSORS(I64, int64_t, zend_long, Z_PARAM_LONG, RETURN_LONG, PHP_WASM_LONG_OF, PHP_WASM_I64_OF)
PHP_WASM_MEMORY_ACCESSORS(F32, uint32_t, double, Z_PARAM_DOUBLE, RETURN_DOUBLE, wg_f32_bits_to_f64, wg_f64_to_f32_bits)
PHP_WASM_MEMORY_ACCESSORS(F64, double, double, Z_PARAM_DOUBLE, RETURN_DOUBLE, PHP_WASM_SAME, PHP_WASM_SAME)

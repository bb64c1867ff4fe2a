/* The zero-copy views of a memory, Wasm\Memory\Int8Array ... Float64Array:
   ArrayAccess and Countable over the memory's current bytes (valid across grow()). */
#include "php_wasm_support.h"

/* ------------------------------------------------------------------ Wasm\Memory\ views */

/* Wasm\\Memory\\ views, in the order of php_wasm_view.type */
static const struct php_wasm_view_kind {
    const char *name;
    uint8_t size;
} php_wasm_views[] = {
    {"Int8Array", sizeof(int8_t)},
    {"Uint8Array", sizeof(uint8_t)},
    {"Int16Array", sizeof(int16_t)},
    {"Uint16Array", sizeof(uint16_t)},
    {"Int32Array", sizeof(int32_t)},
    {"Uint32Array", sizeof(uint32_t)},
    {"Int64Array", sizeof(int64_t)},
    {"Float32Array", sizeof(float)},
    {"Float64Array", sizeof(double)},
};

/* The view classes, in the order of php_wasm_views (registered by wasm_extension.c). */
zend_class_entry *php_wasm_ce_views[9];

static zend_object_handlers php_wasm_view_handlers;

static zend_object *php_wasm_view_create(zend_class_entry *ce) {
    php_wasm_view *o = zend_object_alloc(sizeof(php_wasm_view), ce);
    zend_object_std_init(&o->std, ce);
    object_properties_init(&o->std, ce);
    o->std.handlers = &php_wasm_view_handlers;
    ZVAL_UNDEF(&o->memory);
    o->length = -1;
    for (uint8_t i = 0; i < sizeof php_wasm_views / sizeof php_wasm_views[0]; i++) {
        if (ce == php_wasm_ce_views[i]) o->type = i;
    }
    return &o->std;
}

static void php_wasm_view_free(zend_object *zo) {
    php_wasm_view *o = PHP_WASM_OBJ(php_wasm_view, zo);
    zval_ptr_dtor(&o->memory);
    ZVAL_UNDEF(&o->memory);
    zend_object_std_dtor(zo);
}

/* The element's address, bounds-checked against the view and the memory now. */
static uint8_t *php_wasm_view_at(php_wasm_view *v, zval *index) {
    if (UNEXPECTED(Z_TYPE(v->memory) != IS_OBJECT)) {
        PHP_WASM_NOT_INITIALIZED(php_wasm_views[v->type].name);
        return NULL;
    }
    if (!index || Z_TYPE_P(index) != IS_LONG) {
        php_wasm_throw(WG_ERR_ARGUMENT_ERROR, "a Wasm\\Memory\\%s index must be an int, %s given", php_wasm_views[v->type].name,
                 index ? zend_zval_type_name(index) : "none");
        return NULL;
    }
    zend_long i = Z_LVAL_P(index), size = php_wasm_views[v->type].size;
    if (i < 0 || (v->length >= 0 && i >= v->length) || i > (ZEND_LONG_MAX - v->offset) / size) {
        php_wasm_throw(WG_ERR_ARGUMENT_ERROR, "index " ZEND_LONG_FMT " is out of bounds", i);
        return NULL;
    }
    php_wasm_extern *m = PHP_WASM_OBJ(php_wasm_extern, Z_OBJ(v->memory));
    return php_wasm_memory_at(m->h, v->offset + i * size, size);
}

/* One integer element of type `ctype` at p: read into out / written from value (wrapping, like a C cast). */
#define PHP_WASM_VIEW_LOAD_INT(ctype) { ctype x; memcpy(&x, p, sizeof x); ZVAL_LONG(out, (zend_long)x); return true; }
#define PHP_WASM_VIEW_STORE_INT(ctype) { ctype x = (ctype)(uint64_t)Z_LVAL_P(value); memcpy(p, &x, sizeof x); return true; }

static bool php_wasm_view_get(php_wasm_view *v, zval *index, zval *out) {
    uint8_t *p = php_wasm_view_at(v, index);
    if (!p) return false;
    switch (v->type) {
    case 0: PHP_WASM_VIEW_LOAD_INT(int8_t)
    case 1: PHP_WASM_VIEW_LOAD_INT(uint8_t)
    case 2: PHP_WASM_VIEW_LOAD_INT(int16_t)
    case 3: PHP_WASM_VIEW_LOAD_INT(uint16_t)
    case 4: PHP_WASM_VIEW_LOAD_INT(int32_t)
    case 5: PHP_WASM_VIEW_LOAD_INT(uint32_t)
    case 6: PHP_WASM_VIEW_LOAD_INT(int64_t)
    case 7: {
        uint32_t x; /* by its bits: keeps a NaN's payload */
        memcpy(&x, p, sizeof x);
        ZVAL_DOUBLE(out, wg_f32_bits_to_f64(x));
        return true;
    }
    case 8: {
        double x;
        memcpy(&x, p, sizeof x);
        ZVAL_DOUBLE(out, (double)x);
        return true;
    }
    }
    return false;
}

static bool php_wasm_view_set(php_wasm_view *v, zval *index, zval *value) {
    ZVAL_DEREF(value);
    bool is_float = v->type >= 7; /* Float32Array, Float64Array */
    if (Z_TYPE_P(value) != IS_LONG && !(is_float && Z_TYPE_P(value) == IS_DOUBLE)) {
        php_wasm_throw(WG_ERR_ARGUMENT_ERROR, "a Wasm\\Memory\\%s element must be %s, %s given", php_wasm_views[v->type].name,
                 is_float ? "a float or an int" : "an int", zend_zval_type_name(value));
        return false;
    }
    uint8_t *p = php_wasm_view_at(v, index);
    if (!p) return false;
    switch (v->type) {
    case 0: PHP_WASM_VIEW_STORE_INT(int8_t)
    case 1: PHP_WASM_VIEW_STORE_INT(uint8_t)
    case 2: PHP_WASM_VIEW_STORE_INT(int16_t)
    case 3: PHP_WASM_VIEW_STORE_INT(uint16_t)
    case 4: PHP_WASM_VIEW_STORE_INT(int32_t)
    case 5: PHP_WASM_VIEW_STORE_INT(uint32_t)
    case 6: PHP_WASM_VIEW_STORE_INT(int64_t)
    case 7: {
        uint32_t x; /* by its bits: keeps a NaN's payload */
        if (Z_TYPE_P(value) == IS_DOUBLE) {
            x = wg_f64_to_f32_bits(Z_DVAL_P(value));
        } else {
            float f = (float)Z_LVAL_P(value);
            memcpy(&x, &f, sizeof x);
        }
        memcpy(p, &x, sizeof x);
        return true;
    }
    case 8: {
        double x = (double)(Z_TYPE_P(value) == IS_DOUBLE ? Z_DVAL_P(value) : (double)Z_LVAL_P(value));
        memcpy(p, &x, sizeof x);
        return true;
    }
    }
    return false;
}

static zend_long php_wasm_view_count(php_wasm_view *v) {
    if (Z_TYPE(v->memory) != IS_OBJECT) return 0;
    wg_buffer b;
    if (glue_memory_data(PHP_WASM_OBJ(php_wasm_extern, Z_OBJ(v->memory))->h, &b) == FAILURE) return -1;
    zend_long available = (zend_long)b.len > v->offset ? ((zend_long)b.len - v->offset) / php_wasm_views[v->type].size : 0;
    return v->length >= 0 && v->length < available ? v->length : available;
}

static zval *php_wasm_view_read_dimension(zend_object *zo, zval *offset, int type, zval *rv) {
    if (type != BP_VAR_R && type != BP_VAR_IS) {
        zend_throw_error(NULL, "Indirect modification of a Wasm\\Memory\\%s element is not possible",
                         php_wasm_views[PHP_WASM_OBJ(php_wasm_view, zo)->type].name);
        return NULL;
    }
    if (offset) ZVAL_DEREF(offset);
    return php_wasm_view_get(PHP_WASM_OBJ(php_wasm_view, zo), offset, rv) ? rv : NULL;
}

static void php_wasm_view_write_dimension(zend_object *zo, zval *offset, zval *value) {
    if (offset) ZVAL_DEREF(offset);
    php_wasm_view_set(PHP_WASM_OBJ(php_wasm_view, zo), offset, value);
}

static int php_wasm_view_has_dimension(zend_object *zo, zval *offset, int check_empty) {
    php_wasm_view *v = PHP_WASM_OBJ(php_wasm_view, zo);
    ZVAL_DEREF(offset);
    if (Z_TYPE_P(offset) != IS_LONG || Z_LVAL_P(offset) < 0) return 0;
    zend_long n = php_wasm_view_count(v);
    if (Z_LVAL_P(offset) >= n) return 0;
    if (!check_empty) return 1;
    zval x;
    if (!php_wasm_view_get(v, offset, &x)) return 0;
    return zend_is_true(&x);
}

static void php_wasm_view_unset_dimension(zend_object *zo, zval *offset) {
    zend_throw_error(NULL, "Cannot unset an element of a Wasm\\Memory\\%s", php_wasm_views[PHP_WASM_OBJ(php_wasm_view, zo)->type].name);
}

static zend_result php_wasm_view_count_elements(zend_object *zo, zend_long *count) {
    *count = php_wasm_view_count(PHP_WASM_OBJ(php_wasm_view, zo));
    return *count < 0 ? FAILURE : SUCCESS;
}

static HashTable *php_wasm_view_get_gc(zend_object *zo, zval **table, int *n) {
    *table = &PHP_WASM_OBJ(php_wasm_view, zo)->memory;
    *n = 1;
    return zend_std_get_properties(zo);
}

static void php_wasm_view_construct(INTERNAL_FUNCTION_PARAMETERS) {
    zend_object *memory;
    zend_long offset = 0, length = 0;
    bool length_null = true;
    ZEND_PARSE_PARAMETERS_START(1, 3)
        Z_PARAM_OBJ_OF_CLASS(memory, php_wasm_ce_Memory)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(offset)
        Z_PARAM_LONG_OR_NULL(length, length_null)
    ZEND_PARSE_PARAMETERS_END();
    php_wasm_view *v = PHP_WASM_THIS(php_wasm_view);
    if (!Z_ISUNDEF(v->memory)) {
        zend_throw_error(NULL, "Wasm\\Memory\\%s::__construct() cannot be called twice", php_wasm_views[v->type].name);
        RETURN_THROWS();
    }
    if (!php_wasm_extern_of(memory)) RETURN_THROWS();
    if (offset < 0) {
        zend_argument_value_error(2, "must be greater than or equal to 0");
        RETURN_THROWS();
    }
    if (!length_null && length < 0) {
        zend_argument_value_error(3, "must be null or greater than or equal to 0");
        RETURN_THROWS();
    }
    ZVAL_OBJ_COPY(&v->memory, memory);
    v->offset = offset;
    v->length = length_null ? -1 : length;
}
void php_wasm_views_minit(void) {
    void php_wasm_handlers(zend_object_handlers *h, size_t offset, void (*free_obj)(zend_object *));
    for (size_t i = 0; i < sizeof php_wasm_views / sizeof php_wasm_views[0]; i++) php_wasm_ce_views[i]->create_object = php_wasm_view_create;
    php_wasm_handlers(&php_wasm_view_handlers, XtOffsetOf(php_wasm_view, std), php_wasm_view_free);
    php_wasm_view_handlers.read_dimension = php_wasm_view_read_dimension;
    php_wasm_view_handlers.write_dimension = php_wasm_view_write_dimension;
    php_wasm_view_handlers.has_dimension = php_wasm_view_has_dimension;
    php_wasm_view_handlers.unset_dimension = php_wasm_view_unset_dimension;
    php_wasm_view_handlers.count_elements = php_wasm_view_count_elements;
    php_wasm_view_handlers.get_gc = php_wasm_view_get_gc;
}

/* The methods of one view class (they all share the view handlers above). */
#define PHP_WASM_VIEW_METHODS(view) \
    ZEND_METHOD(Wasm_Memory_##view, __construct) {                                                   \
        php_wasm_view_construct(INTERNAL_FUNCTION_PARAM_PASSTHRU);                                   \
    }                                                                                                \
                                                                                                     \
    ZEND_METHOD(Wasm_Memory_##view, offsetExists) {                                                  \
        zval *offset;                                                                                \
        ZEND_PARSE_PARAMETERS_START(1, 1)                                                            \
            Z_PARAM_ZVAL(offset)                                                                     \
        ZEND_PARSE_PARAMETERS_END();                                                                 \
        RETURN_BOOL(php_wasm_view_has_dimension(Z_OBJ_P(ZEND_THIS), offset, 0));                     \
    }                                                                                                \
                                                                                                     \
    ZEND_METHOD(Wasm_Memory_##view, offsetGet) {                                                     \
        zval *offset;                                                                                \
        ZEND_PARSE_PARAMETERS_START(1, 1)                                                            \
            Z_PARAM_ZVAL(offset)                                                                     \
        ZEND_PARSE_PARAMETERS_END();                                                                 \
        if (!php_wasm_view_get(PHP_WASM_THIS(php_wasm_view), offset, return_value)) RETURN_THROWS(); \
    }                                                                                                \
                                                                                                     \
    ZEND_METHOD(Wasm_Memory_##view, offsetSet) {                                                     \
        zval *offset, *value;                                                                        \
        ZEND_PARSE_PARAMETERS_START(2, 2)                                                            \
            Z_PARAM_ZVAL(offset)                                                                     \
            Z_PARAM_ZVAL(value)                                                                      \
        ZEND_PARSE_PARAMETERS_END();                                                                 \
        php_wasm_view_set(PHP_WASM_THIS(php_wasm_view), Z_TYPE_P(offset) == IS_NULL ? NULL : offset, value); \
    }                                                                                                \
                                                                                                     \
    ZEND_METHOD(Wasm_Memory_##view, offsetUnset) {                                                   \
        zval *offset;                                                                                \
        ZEND_PARSE_PARAMETERS_START(1, 1)                                                            \
            Z_PARAM_ZVAL(offset)                                                                     \
        ZEND_PARSE_PARAMETERS_END();                                                                 \
        php_wasm_view_unset_dimension(Z_OBJ_P(ZEND_THIS), offset);                                   \
    }                                                                                                \
                                                                                                     \
    ZEND_METHOD(Wasm_Memory_##view, count) {                                                         \
        ZEND_PARSE_PARAMETERS_NONE();                                                                \
        zend_long n = php_wasm_view_count(PHP_WASM_THIS(php_wasm_view));                             \
        if (n < 0) RETURN_THROWS();                                                                  \
        RETURN_LONG(n);                                                                              \
    }

PHP_WASM_VIEW_METHODS(Int8Array)
PHP_WASM_VIEW_METHODS(Uint8Array)
PHP_WASM_VIEW_METHODS(Int16Array)
PHP_WASM_VIEW_METHODS(Uint16Array)
PHP_WASM_VIEW_METHODS(Int32Array)
PHP_WASM_VIEW_METHODS(Uint32Array)
PHP_WASM_VIEW_METHODS(Int64Array)
PHP_WASM_VIEW_METHODS(Float32Array)
PHP_WASM_VIEW_METHODS(Float64Array)


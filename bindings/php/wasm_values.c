/* Value conversion of the `wasm` extension: the glue's errors as exceptions,
   value kinds in messages, and reference values (externref, funcref). */
#include "php_wasm_support.h"

/* ------------------------------------------------------------------ errors */

/* php_wasm_error_class (the class of each error code of api.yaml) is generated in wasm.c. */

void php_wasm_throw(int code, const char *format, ...) {
    va_list ap;
    va_start(ap, format);
    zend_string *message = zend_vstrpprintf(0, format, ap);
    va_end(ap);
    zend_throw_exception(php_wasm_error_class(code), ZSTR_VAL(message), code);
    zend_string_release(message);
}

/* The glue's error, as its exception class. A pending exception (the one a host
   function threw) becomes its previous; but a host function that let through the
   HostError of a nested call (host -> wasm -> host re-entry) passes it on as is:
   whatever the depth, the caller gets one HostError whose previous is the
   original exception (not a chain as long as the depth, quadratic to build and
   recursive to free). */
ZEND_COLD void php_wasm_throw_glue(int code) {
    if (code == WG_ERR_HOST_ERROR && EG(exception) && instanceof_function(EG(exception)->ce, php_wasm_error_class(code))) return;
    zend_throw_exception(php_wasm_error_class(code), wg_error_message(), code);
    if (code == WG_ERR_EXIT_ERROR) php_wasm_exit_error_thrown();
}

/* ------------------------------------------------------------------ value kinds */

const char *php_wasm_kind_name(uint8_t kind) {
    switch (kind) {
    case WG_I32: return "i32";
    case WG_I64: return "i64";
    case WG_F32: return "f32";
    case WG_F64: return "f64";
    case WG_EXTERNREF: return "externref";
    case WG_FUNCREF: return "funcref";
    }
    return "unknown";
}

/* What a PHP value of `kind` must be, for messages. */
const char *php_wasm_kind_php(uint8_t kind) {
    switch (kind) {
    case WG_I32: return "an i32 (-2147483648..4294967295)";
    case WG_I64: return "an i64 (-9223372036854775808..9223372036854775807)";
    case WG_F32: return "an f32 (a float or an int)";
    case WG_F64: return "an f64 (a float or an int)";
    case WG_EXTERNREF: return "an externref (any value, null for the null reference)";
    case WG_FUNCREF: return "a funcref (a Wasm\\Function_ or null)";
    }
    return "a value";
}

/* ------------------------------------------------------------------ references */

/* An externref value held by a store: its address is the glue's token. */
typedef struct php_wasm_ref {
    struct php_wasm_ref *prev, *next; /* in store->values */
    php_wasm_store *store;            /* NULL once detached */
    zval value;
} php_wasm_ref;

static uint64_t php_wasm_ref_new(php_wasm_store *s, zval *value) {
    php_wasm_ref *r = emalloc(sizeof(php_wasm_ref));
    ZVAL_COPY(&r->value, value);
    r->store = s;
    r->prev = NULL;
    r->next = s->values;
    if (s->values) s->values->prev = r;
    s->values = r;
    return (uint64_t)(uintptr_t)r;
}

static void php_wasm_ref_free(php_wasm_ref *r) {
    if (r->store) {
        if (r->prev) r->prev->next = r->next;
        else r->store->values = r->next;
        if (r->next) r->next->prev = r->prev;
    }
    zval_ptr_dtor(&r->value);
    efree(r);
}

/* The glue's externref release callback: the store dropped the reference. */
void php_wasm_externref_release(uint64_t token) {
    php_wasm_ref_free((php_wasm_ref *)(uintptr_t)token);
}

/* The externref values of a store no longer point to it (it is gone). */
void php_wasm_refs_detach(php_wasm_store *s) {
    for (php_wasm_ref *r = s->values; r; r = r->next) r->store = NULL;
    s->values = NULL;
}

/* Reports the externref values a store holds to PHP's garbage collector. */
void php_wasm_refs_gc(php_wasm_store *s, zend_get_gc_buffer *buf) {
    for (php_wasm_ref *r = s ? s->values : NULL; r; r = r->next) zend_get_gc_buffer_add_zval(buf, &r->value);
}

/* An externref (any value; null is the null reference) or a funcref (a Function
   of the same store that wasm can call; null). `z` is dereferenced. */
bool php_wasm_lower_ref(php_wasm_store *s, uint8_t kind, zval *z, wg_val *out) {
    if (Z_TYPE_P(z) == IS_NULL) {
        out->bits = 0;
        return true;
    }
    if (kind == WG_EXTERNREF) {
        out->bits = php_wasm_ref_new(s, z);
        return true;
    }
    if (kind == WG_FUNCREF && Z_TYPE_P(z) == IS_OBJECT && Z_OBJCE_P(z) == php_wasm_ce_Function_) {
        /* a host function would make the glue fail after the other values were
           lowered: refused here, before any externref is registered */
        php_wasm_extern *f = PHP_WASM_OBJ(php_wasm_extern, Z_OBJ_P(z));
        if (f->h && !f->is_host && f->s == s) {
            out->ref = f->h; /* borrowed: the caller keeps `z` alive over the glue call */
            return true;
        }
    }
    return false;
}

/* Undoes php_wasm_lower_ref for a value that did not reach the glue. */
static void php_wasm_unlower_ref(uint8_t kind, wg_val v) {
    if (kind == WG_EXTERNREF && v.bits) php_wasm_ref_free((php_wasm_ref *)(uintptr_t)v.bits);
}

/* Undoes the first `n` lowered values of `kinds`. */
ZEND_COLD void php_wasm_unlower_vals(const uint8_t *kinds, const wg_val *vals, uint32_t n) {
    for (uint32_t i = 0; i < n; i++) php_wasm_unlower_ref(kinds[i], vals[i]);
}

void php_wasm_lift_ref(php_wasm_store *s, uint8_t kind, wg_val v, zval *out) {
    if (kind == WG_EXTERNREF) {
        if (v.bits) ZVAL_COPY(out, &((php_wasm_ref *)(uintptr_t)v.bits)->value);
        else ZVAL_NULL(out);
    } else if (!v.ref || php_wasm_extern_wrap(s, v.ref, out) == FAILURE) { /* the new handle is the object's */
        ZVAL_NULL(out);
    }
}

/* A value that does not fit `kind`, as an ArgumentError saying where (`where`:
   "sum()", "Wasm\\Global_::set()"), which one (`what` #`index`: "Argument #1",
   "Result #1"), the accepted range and what was given: "sum(): Argument #1 must be
   an i32 (-2147483648..4294967295), 1099511627776 given". */
ZEND_COLD void php_wasm_throw_value(uint8_t kind, zval *z, const char *where, const char *what, uint32_t index) {
    ZVAL_DEREF(z);
    if (kind == WG_FUNCREF && Z_TYPE_P(z) == IS_OBJECT && Z_OBJCE_P(z) == php_wasm_ce_Function_) {
        /* a Function that cannot be a funcref here (see php_wasm_lower_ref) */
        php_wasm_extern *f = PHP_WASM_OBJ(php_wasm_extern, Z_OBJ_P(z));
        if (!f->h) PHP_WASM_NOT_INITIALIZED("Wasm\\Function_");
        else if (f->is_host)
            php_wasm_throw(WG_ERR_ARGUMENT_ERROR, "%s: %s #%u: a host function cannot be used as a funcref (libwasmer does not support it)",
                           where, what, index);
        else php_wasm_throw(WG_ERR_ARGUMENT_ERROR, "%s: %s #%u: the function belongs to another store", where, what, index);
        return;
    }
    zend_string *given;
    if (Z_TYPE_P(z) == IS_LONG) given = zend_long_to_str(Z_LVAL_P(z));
    else if (Z_TYPE_P(z) == IS_DOUBLE) {
        zend_string *number = zend_double_to_str(Z_DVAL_P(z)); /* as (string) writes it */
        given = zend_strpprintf(0, "float(%s)", ZSTR_VAL(number));
        zend_string_release(number);
    }
    else given = zend_string_init(zend_zval_type_name(z), strlen(zend_zval_type_name(z)), 0);
    php_wasm_throw(WG_ERR_ARGUMENT_ERROR, "%s: %s #%u must be %s, %s given", where, what, index, php_wasm_kind_php(kind), ZSTR_VAL(given));
    zend_string_release(given);
}

/* The runtime support of the `wasm` PHP extension: what the generated public
   members (wasm.c, rendered from api.yaml) build on, and the hand-written parts of
   the API (value conversion, host callables, exports by property, memory views,
   the old embedding's forms). Shared by the plain C files of bindings/php/.

   Lifetimes: every runtime object holds a counted reference to its store
   (php_wasm_store); the glue store is deleted when the last one goes, whatever
   order PHP frees objects in (garbage cycles, shutdown). Host callables are
   held by their glue env and released by the glue's release callback.

   References: an externref is any PHP value. Each time one goes into wasm it is
   copied into a php_wasm_ref of the store, whose address is the glue's token; the glue
   hands the token back when the store drops the reference, and the entry is
   freed then. The same token comes back out of wasm as the same value (the same
   object). A funcref is a Wasm\Function (or null): borrowed going in, a new
   Function object coming out. */
#ifndef PHP_WASM_SUPPORT_H
#define PHP_WASM_SUPPORT_H

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "php.h"
#include "zend_enum.h"
#include "zend_exceptions.h"
#include "php_wasm.h"
#include "wasm_low.h"

/* ------------------------------------------------------------------ globals */

ZEND_BEGIN_MODULE_GLOBALS(wasm)
    zval default_store; /* the Store of `new Instance('file.wasm')`, made on first use */
    uint8_t after_call; /* PHP_WASM_AFTER_*: what is left to do once wasm has returned (one test per call) */
    zval host_keep;     /* the last host result holding funcrefs: alive until the glue has taken them */
    zend_string *last_error; /* wasm_get_last_error() of the 0.5.1 API (wasm_legacy.c), or NULL */
    HashTable *kept_stores;  /* this request's Store on each kept module's engine (wasm_legacy.c), or NULL */
ZEND_END_MODULE_GLOBALS(wasm)

ZEND_EXTERN_MODULE_GLOBALS(wasm)
#define PHP_WASM_G(v) ZEND_MODULE_GLOBALS_ACCESSOR(wasm, v)

#define PHP_WASM_AFTER_BAILOUT 1 /* a host function bailed out (fatal error): re-raised once wasm has returned */
#define PHP_WASM_AFTER_KEEP 2    /* host_keep is set */

/* ------------------------------------------------------------------ classes */

/* The public classes of api.yaml (defined by the generated wasm.c), the value-type
   and compiler enums and the error classes. */
extern zend_class_entry *php_wasm_ce_ValueType, *php_wasm_ce_Compiler, *php_wasm_ce_ExternKind, *php_wasm_ce_Engine, *php_wasm_ce_Store, *php_wasm_ce_Module,
    *php_wasm_ce_Function_, *php_wasm_ce_Memory, *php_wasm_ce_Global_, *php_wasm_ce_Table, *php_wasm_ce_Instance,
    *php_wasm_ce_WasiConfig, *php_wasm_ce_WasiEnv;
/* The classes of the runtime support (wasm_runtime.stub.php). */
extern zend_class_entry *php_wasm_ce_Exports, *php_wasm_ce_FunctionType, *php_wasm_ce_MemoryType, *php_wasm_ce_GlobalType,
    *php_wasm_ce_TableType, *php_wasm_ce_ImportType, *php_wasm_ce_ExportType;

/* Function_::__invoke, the method every exported function call goes to */
extern zend_function *php_wasm_invoke;

#define PHP_WASM_OBJ(type, zo) ((type *)((char *)(zo) - XtOffsetOf(type, std)))
#define PHP_WASM_THIS(type) PHP_WASM_OBJ(type, Z_OBJ_P(ZEND_THIS))

/* ------------------------------------------------------------------ errors (wasm_values.c) */

ZEND_COLD void php_wasm_throw_glue(int code);
zend_class_entry *php_wasm_error_class(int code); /* generated (wasm.c): the class of each error code */

#define PHP_WASM_NOT_INITIALIZED(what) \
    php_wasm_throw(WG_ERR_RUNTIME_ERROR, "the %s object is not initialized (its constructor was not called)", what)

#define PHP_WASM_CONSTRUCT_ONCE(set, what)                                          \
    if (set) {                                                                      \
        zend_throw_error(NULL, "%s::__construct() cannot be called twice", what);   \
        RETURN_THROWS();                                                            \
    }

/* ------------------------------------------------------------------ stores (wasm_objects.c) */

struct php_wasm_host;
struct php_wasm_ref;

/* The glue store, counted by every object made in it. Each of those also holds
   the Store object (`obj`), so the Store object owns the store for PHP's garbage
   collector and reports the host callables and externref values to it (cycles
   through them are collected). */
typedef struct php_wasm_store {
    wg_store *h;
    uint32_t refs;
    zend_object *obj;            /* the Store object */
    struct php_wasm_host *hosts; /* host functions alive in the store */
    struct php_wasm_ref *values; /* externref values the store holds */
} php_wasm_store;

/* A counted reference to `s` and its Store object, for an object made in it. */
php_wasm_store *php_wasm_store_hold(php_wasm_store *s, zval *store);
void php_wasm_store_unhold(php_wasm_store **s, zval *store);
/* Whatever the glue still holds once the last PHP object of the store is gone no
   longer points to it (wasm_host.c, wasm_values.c). */
void php_wasm_store_detach(php_wasm_store *s);

/* ------------------------------------------------------------------ objects (wasm_objects.c) */

/* A persistent module of the 0.5.1 API (wasm_legacy.c): compiled once per process with an
   engine of its own, and counted by the table of persistent modules and by each Engine and
   Module object of a request that uses it. */
typedef struct php_wasm_kept php_wasm_kept;
/* Drops one count (any thread); the last one deletes the module, its store and its engine handle. */
void php_wasm_kept_release(php_wasm_kept *k);

typedef struct php_wasm_engine {
    wg_engine *h;
    zend_long compiler;
    php_wasm_kept *kept; /* `h` is a kept module's engine, owned by it (one count of it), or NULL */
    zend_object std;
} php_wasm_engine;

typedef struct php_wasm_store_obj {
    php_wasm_store *s;
    zval engine;
    zend_object std;
} php_wasm_store_obj;

typedef struct php_wasm_module {
    wg_module *h;
    php_wasm_kept *kept; /* `h` is a kept module, owned by it (one count of it), or NULL */
    php_wasm_store *s;
    zval store;
    zend_object std;
} php_wasm_module;

/* Function_, Memory, Global_ and Table: one struct, like the glue's wg_extern. A
   function caches its signature (params then results), a global its type. */
typedef struct php_wasm_extern {
    wg_extern *h;
    php_wasm_store *s;
    zval store;
    uint8_t kind;
    uint8_t content;
    bool is_mutable;
    bool is_host; /* a host function: cannot be a funcref */
    uint32_t nparams, nresults;
    uint8_t *kinds;
    zend_string *name; /* a function's name for messages (its export or import name), or NULL */
    zend_object std;
} php_wasm_extern;

typedef struct php_wasm_instance {
    wg_instance *h;
    php_wasm_store *s;
    zval store;
    zval module;
    zend_object std;
} php_wasm_instance;

typedef struct php_wasm_exports {
    HashTable items; /* name => Function_|Memory|Global_|Table, in module order */
    zend_object std;
} php_wasm_exports;

typedef struct php_wasm_view {
    zval memory;
    zend_long offset; /* bytes */
    zend_long length; /* elements, -1: up to the end of the memory */
    uint8_t type;     /* index in php_wasm_views */
    zend_object std;
} php_wasm_view;

/* Sets create_object and the handlers of every class (at MINIT). */
void php_wasm_objects_minit(void);

php_wasm_store_obj *php_wasm_store_obj_of(zend_object *zo);
php_wasm_extern *php_wasm_extern_of(zend_object *zo);
php_wasm_module *php_wasm_module_of(zend_object *zo);
zend_class_entry *php_wasm_extern_class(zend_long kind);
bool php_wasm_is_extern(zend_object *zo);
zend_result php_wasm_engine_init(php_wasm_engine *o, zend_long compiler);
zend_result php_wasm_store_init(php_wasm_store_obj *o, zend_object *engine);
void php_wasm_module_fill(php_wasm_module *m, zend_object *store, wg_module *h);
/* Lets go of the module's glue handle (deleted, or a count of its kept module dropped) and its store. */
void php_wasm_module_clear(php_wasm_module *m);
zend_result php_wasm_extern_init(php_wasm_extern *o, php_wasm_store *s, wg_extern *h, zend_long kind);
zend_result php_wasm_extern_wrap(php_wasm_store *s, wg_extern *h, zval *out);

/* What the generated members of each class (by its spec name in snake case) use:
   `_unwrap` the glue handle of an object (NULL with an exception when it has none),
   `_context` the store its results belong to, `_wrap_new` a new public object owning
   a glue handle (deleted on failure), `_construct` the object of a constructor
   (`__construct`) made to own a glue handle (deleted on failure). */
wg_store *php_wasm_store_unwrap(zend_object *zo);
php_wasm_store *php_wasm_store_context(zend_object *zo);
wg_module *php_wasm_module_unwrap(zend_object *zo);
php_wasm_store *php_wasm_module_context(zend_object *zo);
zend_result php_wasm_module_wrap_new(wg_module *h, php_wasm_store *s, zval *out);
zend_result php_wasm_module_construct(zend_object *zo, wg_module *h, php_wasm_store *s);
wg_instance *php_wasm_instance_unwrap(zend_object *zo);
php_wasm_store *php_wasm_instance_context(zend_object *zo);
wg_extern *php_wasm_extern_unwrap(zend_object *zo);
php_wasm_store *php_wasm_extern_context(zend_object *zo);
zend_result php_wasm_extern_init_kind(zend_object *zo, wg_extern *h, php_wasm_store *s);
/* Function_, Memory, Global_, Table and Extern are the glue's wg_extern */
#define php_wasm_function_unwrap php_wasm_extern_unwrap
#define php_wasm_memory_unwrap php_wasm_extern_unwrap
#define php_wasm_global_unwrap php_wasm_extern_unwrap
#define php_wasm_table_unwrap php_wasm_extern_unwrap
#define php_wasm_function_context php_wasm_extern_context
#define php_wasm_memory_context php_wasm_extern_context
#define php_wasm_global_context php_wasm_extern_context
#define php_wasm_table_context php_wasm_extern_context
#define php_wasm_function_wrap_new php_wasm_extern_wrap_handle
#define php_wasm_memory_wrap_new php_wasm_extern_wrap_handle
#define php_wasm_global_wrap_new php_wasm_extern_wrap_handle
#define php_wasm_table_wrap_new php_wasm_extern_wrap_handle
#define php_wasm_extern_wrap_new php_wasm_extern_wrap_handle
#define php_wasm_memory_construct php_wasm_extern_init_kind
#define php_wasm_global_construct php_wasm_extern_init_kind
#define php_wasm_table_construct php_wasm_extern_init_kind
zend_result php_wasm_extern_wrap_handle(wg_extern *h, php_wasm_store *s, zval *out);
/* An ExternType is lifted into a Wasm\Type\ object (wasm_types.c); consumes `h`. */
zend_result php_wasm_extern_type_wrap_new(wg_extern_type *h, php_wasm_store *s, zval *out);

/* ------------------------------------------------------------------ WASI (wasm_wasi.c) */

typedef struct php_wasm_wasi_config {
    wg_wasi_config *h;
    zend_object std;
} php_wasm_wasi_config;

typedef struct php_wasm_wasi_env {
    wg_wasi_env *h;
    php_wasm_store *s;
    zval store;
    zend_object std;
} php_wasm_wasi_env;

wg_wasi_config *php_wasm_wasi_config_unwrap(zend_object *zo);
php_wasm_store *php_wasm_wasi_config_context(zend_object *zo);
zend_result php_wasm_wasi_config_construct(zend_object *zo, wg_wasi_config *h, php_wasm_store *s);
zend_result php_wasm_wasi_config_wrap_new(wg_wasi_config *h, php_wasm_store *s, zval *out);
php_wasm_wasi_env *php_wasm_wasi_env_of(zend_object *zo);
wg_wasi_env *php_wasm_wasi_env_unwrap(zend_object *zo);
php_wasm_store *php_wasm_wasi_env_context(zend_object *zo);
zend_result php_wasm_wasi_env_construct(zend_object *zo, wg_wasi_env *h, php_wasm_store *s);
zend_result php_wasm_wasi_env_wrap_new(wg_wasi_env *h, php_wasm_store *s, zval *out);
/* The WASI imports of module `m` from `env` (a WasiEnv object), into `imp`. */
zend_result php_wasm_wasi_define(zend_object *env, php_wasm_module *m, wg_imports *imp);
/* An instance was made with the WASI imports of `env`. */
/* Sets the pending ExitError's exit code (after the glue raised it). */
void php_wasm_exit_error_thrown(void);
zend_result php_wasm_wasi_minit(void);

/* ------------------------------------------------------------------ values (wasm_values.c) */

const char *php_wasm_kind_name(uint8_t kind);
const char *php_wasm_kind_php(uint8_t kind);
bool php_wasm_lower_ref(php_wasm_store *s, uint8_t kind, zval *z, wg_val *out);
void php_wasm_lift_ref(php_wasm_store *s, uint8_t kind, wg_val v, zval *out);
ZEND_COLD void php_wasm_unlower_vals(const uint8_t *kinds, const wg_val *vals, uint32_t n);
ZEND_COLD void php_wasm_throw_value(uint8_t kind, zval *z, const char *where, const char *what, uint32_t index);
void php_wasm_externref_release(uint64_t token);
void php_wasm_refs_detach(php_wasm_store *s);
void php_wasm_refs_gc(php_wasm_store *s, zend_get_gc_buffer *buf);

/* A PHP value as a wg_val of `kind` for store `s`; false if it does not fit
   (nothing thrown). An externref made here is registered in `s`: if the value
   then does not go to the glue, undo it with php_wasm_unlower_vals. */
static zend_always_inline bool php_wasm_lower_val(php_wasm_store *s, uint8_t kind, zval *z, wg_val *out) {
    ZVAL_DEREF(z);
    switch (kind) {
    case WG_I32:
        /* int32, or its unsigned spelling up to 4294967295 */
        if (EXPECTED(Z_TYPE_P(z) == IS_LONG) && Z_LVAL_P(z) >= INT32_MIN && Z_LVAL_P(z) <= (zend_long)UINT32_MAX) {
            out->i32 = (int32_t)(uint32_t)Z_LVAL_P(z);
            return true;
        }
        return false;
    case WG_I64:
        if (EXPECTED(Z_TYPE_P(z) == IS_LONG)) {
            out->i64 = (int64_t)Z_LVAL_P(z);
            return true;
        }
        return false;
    case WG_F32:
        /* by its bits: C's double -> float conversion would quiet a signalling NaN */
        if (EXPECTED(Z_TYPE_P(z) == IS_DOUBLE)) {
            out->bits = wg_f64_to_f32_bits(Z_DVAL_P(z));
            return true;
        }
        if (Z_TYPE_P(z) == IS_LONG) {
            out->bits = 0;
            out->f32 = (float)Z_LVAL_P(z);
            return true;
        }
        return false;
    case WG_F64:
        if (EXPECTED(Z_TYPE_P(z) == IS_DOUBLE)) {
            out->f64 = Z_DVAL_P(z);
            return true;
        }
        if (Z_TYPE_P(z) == IS_LONG) {
            out->f64 = (double)Z_LVAL_P(z);
            return true;
        }
        return false;
    case WG_EXTERNREF:
    case WG_FUNCREF:
        return php_wasm_lower_ref(s, kind, z, out);
    }
    return false;
}

/* A wg_val of `kind` from store `s` as a PHP value; a funcref becomes a new
   Function object (null with an exception if that fails). */
static zend_always_inline void php_wasm_lift_val(php_wasm_store *s, uint8_t kind, wg_val v, zval *out) {
    switch (kind) {
    case WG_I32:
        ZVAL_LONG(out, (zend_long)v.i32);
        return;
    case WG_I64:
        ZVAL_LONG(out, (zend_long)v.i64);
        return;
    case WG_F32:
        ZVAL_DOUBLE(out, wg_f32_bits_to_f64((uint32_t)(v.bits & 0xffffffffu))); /* keeps a NaN's payload */
        return;
    case WG_F64:
        ZVAL_DOUBLE(out, v.f64);
        return;
    case WG_EXTERNREF:
    case WG_FUNCREF:
        php_wasm_lift_ref(s, kind, v, out);
        return;
    }
    ZVAL_NULL(out);
}

/* The case of an int-backed enum (Wasm\Compiler, Wasm\ValueType, ...) with value `code`
   (borrowed); NULL if it has none. */
static zend_always_inline zend_object *php_wasm_enum_case(zend_class_entry *ce, zend_long code) {
    zend_object *c = NULL;
    if (zend_enum_get_case_by_value(&c, ce, code, NULL, true) == FAILURE) return NULL;
    return c;
}

/* Wasm\ValueType case of a kind (borrowed; NULL for an unknown kind), and back. */
#define php_wasm_value_type_case(kind) php_wasm_enum_case(php_wasm_ce_ValueType, (zend_long)(kind))

static zend_always_inline uint8_t php_wasm_value_type_code(zend_object *value_type) {
    return (uint8_t)Z_LVAL_P(zend_enum_fetch_case_value(value_type));
}

/* ------------------------------------------------------------------ type objects (wasm_types.c) */

void php_wasm_set_prop(zend_class_entry *ce, zend_object *obj, const char *name, zval *value);
zend_result php_wasm_lift_type(wg_extern_type *t, zval *out);
zend_result php_wasm_lift_type_owned(wg_extern_type *t, zval *out);
uint8_t *php_wasm_function_type_kinds(zend_object *type, uint32_t *np, uint32_t *nr);
uint8_t *php_wasm_extern_type_kinds(wg_extern_type *t, uint32_t *np, uint32_t *nr);

/* ------------------------------------------------------------------ host functions (wasm_host.c) */

#define PHP_WASM_STACK_VALS 16

int php_wasm_host_call(uint64_t env, const wg_val *args, wg_val *results);
void php_wasm_host_release(uint64_t env);
void php_wasm_release_host_keep(void);
ZEND_COLD bool php_wasm_after_call(void);
zend_result php_wasm_host_function_init(php_wasm_extern *o, php_wasm_store *s, zval *callable, const uint8_t *kinds, uint32_t np,
                                        uint32_t nr, zend_string *name);
HashTable *php_wasm_store_get_gc(zend_object *zo, zval **table, int *n);

/* ------------------------------------------------------------------ calls (wasm_function.c) */

void php_wasm_call(php_wasm_extern *f, zval *args, uint32_t argc, zval *return_value);

/* ------------------------------------------------------------------ exports (wasm_exports.c), instances (wasm_instance.c) */

void php_wasm_exports_minit(void);
ZEND_COLD void php_wasm_throw_no_export(php_wasm_exports *ex, zend_string *name);
zend_function *php_wasm_instance_get_method(zend_object **object, zend_string *name, const zval *key);
/* Makes the method an exported function is called through on an instance (after php_wasm_invoke is set). */
void php_wasm_instance_minit(void);
zend_object *php_wasm_default_store(void);
zend_result php_wasm_module_new(zend_object *store, zend_string *bytes, zval *out);

/* ------------------------------------------------------------------ memories (wasm_memory.c), views (wasm_views.c) */

uint8_t *php_wasm_memory_at(wg_extern *memory, zend_long offset, zend_long size);
extern zend_class_entry *php_wasm_ce_views[9]; /* Wasm\\Memory\\Int8Array ... Float64Array */
void php_wasm_views_minit(void);
/* A limit's maximum: none (null) is UINT32_MAX. */
static inline zend_long php_wasm_limit(zend_long value, bool is_null) { return is_null ? (zend_long)UINT32_MAX : value; }
void php_wasm_handlers(zend_object_handlers *h, size_t offset, void (*free_obj)(zend_object *));

/* ------------------------------------------------------------------ the extension (wasm_extension.c) */

/* Registers the runtime support's classes and sets every class's object handlers;
   after the generated classes (with their hand-written members) are registered. */
zend_result php_wasm_support_minit(void);
/* The 0.5.1 API (wasm_legacy.c): its functions, constants, resources and classes. */
void php_wasm_legacy_minit(int module_number);
/* Drops this request's stores on the kept modules' engines (at RSHUTDOWN). */
void php_wasm_legacy_rshutdown(void);
/* Drops the persistent modules (at MSHUTDOWN). */
void php_wasm_legacy_mshutdown(void);
/* Wasm\InvocationException (wasm_legacy.c), a subclass of Wasm\Exception\ArgumentError: the
   failed calls of an export as an instance's method (a missing export, a wrong argument count). */
extern zend_class_entry *php_wasm_ce_InvocationException;

PHP_GINIT_FUNCTION(wasm);
PHP_MSHUTDOWN_FUNCTION(wasm);
PHP_RINIT_FUNCTION(wasm);
PHP_RSHUTDOWN_FUNCTION(wasm);
PHP_MINFO_FUNCTION(wasm);

#endif /* PHP_WASM_SUPPORT_H */

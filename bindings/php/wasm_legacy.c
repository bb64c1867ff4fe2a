/* The API of php-ext-wasm 0.5.1 (wasmer-php 0.5.1), kept for code written against
   it (wasm_legacy.stub.php): the wasm_* functions over resources, WASM_TYPE_*,
   WasmArrayBuffer and the typed arrays Wasm{Int,Uint}{8,16,32}Array. Built on the
   current API: a `wasm_module` resource holds a Wasm\Module of the request's default
   store, a `wasm_instance` a Wasm\Instance. A persistent module (wasm_compile() with
   an identifier, `new Wasm\Module($path, Module::PERSISTENT)`) is compiled once per
   process and the compiled module itself is kept (php_wasm_kept): a later request only
   instantiates it. See "persistent modules" below. */
#include "php_wasm_support.h"
#include "zend_interfaces.h"
#include "zend_smart_str.h"
#include "ext/spl/spl_exceptions.h"
#include "wasm_legacy_arginfo.h"
#include "wasm_capi.h"

static int le_bytes, le_module, le_instance, le_value;
static zend_class_entry *ce_array_buffer, *ce_typed[6];
zend_class_entry *php_wasm_ce_InvocationException;
static zend_object_handlers array_buffer_handlers, typed_handlers;
static HashTable persistent_modules; /* identifier => php_wasm_kept (the table's count of it) */
#ifdef ZTS
static MUTEX_T persistent_lock; /* the requests of every thread share persistent_modules */
#define PERSISTENT_LOCK() tsrm_mutex_lock(persistent_lock)
#define PERSISTENT_UNLOCK() tsrm_mutex_unlock(persistent_lock)
#else
#define PERSISTENT_LOCK()
#define PERSISTENT_UNLOCK()
#endif

/* ------------------------------------------------------------------ last error */

static void set_last_error(zend_string *message) {
    if (PHP_WASM_G(last_error)) zend_string_release(PHP_WASM_G(last_error));
    PHP_WASM_G(last_error) = message;
}

/* The pending exception's message becomes the last error; the exception is cleared. */
static void exception_to_last_error(void) {
    if (!EG(exception)) return;
    zval rv;
    zval *message = zend_read_property_ex(EG(exception)->ce, EG(exception), ZSTR_KNOWN(ZEND_STR_MESSAGE), 1, &rv);
    set_last_error(zval_try_get_string(message));
    zend_clear_exception();
}

PHP_FUNCTION(wasm_get_last_error) {
    ZEND_PARSE_PARAMETERS_NONE();
    if (!PHP_WASM_G(last_error)) RETURN_NULL();
    RETURN_STR_COPY(PHP_WASM_G(last_error));
}

/* ------------------------------------------------------------------ resources */

typedef struct { zend_string *bytes; } legacy_bytes;
typedef struct { zval module; } legacy_module;
typedef struct { zval instance; } legacy_instance;
typedef struct { uint8_t type; zval value; } legacy_value;

static void bytes_dtor(zend_resource *r) {
    legacy_bytes *b = r->ptr;
    zend_string_release(b->bytes);
    efree(b);
}

static void module_dtor(zend_resource *r) {
    legacy_module *m = r->ptr;
    zval_ptr_dtor(&m->module);
    efree(m);
}

static void instance_dtor(zend_resource *r) {
    legacy_instance *i = r->ptr;
    zval_ptr_dtor(&i->instance);
    efree(i);
}

static void value_dtor(zend_resource *r) {
    legacy_value *v = r->ptr;
    zval_ptr_dtor(&v->value);
    efree(v);
}

PHP_FUNCTION(wasm_fetch_bytes) {
    zend_string *path;
    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_PATH_STR(path)
    ZEND_PARSE_PARAMETERS_END();
    legacy_bytes *b = emalloc(sizeof(*b));
    php_stream *stream = php_stream_open_wrapper(ZSTR_VAL(path), "rb", 0, NULL);
    b->bytes = NULL;
    if (stream) {
        b->bytes = php_stream_copy_to_mem(stream, PHP_STREAM_COPY_ALL, 0);
        php_stream_close(stream);
    }
    if (!b->bytes) b->bytes = ZSTR_EMPTY_ALLOC();
    RETURN_RES(zend_register_resource(b, le_bytes));
}

#define FETCH(type, var, zv, le, name)                                          \
    type *var = (type *)zend_fetch_resource(Z_RES_P(zv), name, le);           \
    if (!var) RETURN_THROWS();

PHP_FUNCTION(wasm_validate) {
    zval *res;
    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_RESOURCE(res)
    ZEND_PARSE_PARAMETERS_END();
    FETCH(legacy_bytes, b, res, le_bytes, "wasm_bytes")
    zend_object *store = php_wasm_default_store();
    if (!store) RETURN_THROWS();
    bool ok = false;
    if (ZSTR_LEN(b->bytes) == 0) RETURN_FALSE;
    if (glue_module_validate(php_wasm_store_unwrap(store), b->bytes, &ok) == FAILURE) {
        exception_to_last_error();
        RETURN_FALSE;
    }
    RETURN_BOOL(ok);
}

/* A `wasm_module` resource of a Module object (taken). */
static void return_module(zval *module, zval *return_value) {
    legacy_module *m = emalloc(sizeof(*m));
    ZVAL_COPY_VALUE(&m->module, module);
    RETURN_RES(zend_register_resource(m, le_module));
}

static zend_result deserialize_module(zend_string *serialized, zval *out) {
    zend_object *store = php_wasm_default_store();
    if (!store) return FAILURE;
    wg_module *h = NULL;
    if (glue_module_deserialize(php_wasm_store_unwrap(store), serialized, &h) == FAILURE) return FAILURE;
    if (php_wasm_module_wrap_new(h, php_wasm_store_context(store), out) == FAILURE) return FAILURE;
    return SUCCESS;
}

/* ------------------------------------------------------------------ persistent modules

   A wasmer module belongs to the engine that compiled it, not to a store: it can be
   instantiated in any store of that engine, and its machine code lives as long as the
   engine (libwasmer 7 frees code memory only with its engine). So a kept module keeps an
   engine of its own, and the store it was compiled in, for as long as it is kept.

   A request uses it through a Store of its own on that engine (kept_store, one per request
   and kept module), not the request's default store: a module instantiated in a store of
   another engine would run code its store's engine does not own, and share no signature
   registry with the host functions made there. The default store keeps an engine per
   request on purpose: an engine frees the code of the modules compiled in it only when it
   is dropped, so a process-wide default engine would grow with every module a request
   compiles (`new Wasm\Module($path)` in every request).

   Counting (under persistent_lock, any thread): the table holds one count while the
   identifier is kept, and each Engine object on the kept engine and each Module object of
   the kept module one more. wasm_module_clean_up_persistent_resources() drops the table's
   counts; a module still used by a live request is deleted with its last object. A request
   Store on the engine holds the glue's own count of the engine, so instances and functions
   of a request outlive the kept module safely. */

struct php_wasm_kept {
    wg_engine *engine; /* the engine handle (stores made on it count it themselves) */
    wg_store *store;   /* the store the module was compiled in */
    wg_module *module;
    uint32_t refs;
};

static void kept_free(php_wasm_kept *k) {
    wg_module_delete(k->module); /* before the engine that owns its code */
    wg_store_delete(k->store);
    wg_engine_delete(k->engine);
    pefree(k, 1);
}

void php_wasm_kept_release(php_wasm_kept *k) {
    PERSISTENT_LOCK();
    bool last = --k->refs == 0;
    PERSISTENT_UNLOCK();
    if (last) kept_free(k);
}

static void kept_retain(php_wasm_kept *k) {
    PERSISTENT_LOCK();
    k->refs++;
    PERSISTENT_UNLOCK();
}

/* The table's count, dropped under persistent_lock (zend_hash_clean, zend_hash_del). */
static void persistent_dtor(zval *z) {
    php_wasm_kept *k = Z_PTR_P(z);
    if (--k->refs == 0) kept_free(k);
}

/* Compiles `bytes` with an engine of its own (one count: the caller's). NULL with an exception. */
static php_wasm_kept *kept_compile(zend_string *bytes) {
    php_wasm_kept *k = pecalloc(1, sizeof(*k), 1);
    k->refs = 1;
    if (glue_engine_new(PHP_WASM_DEFAULT_COMPILER, &k->engine) == FAILURE || glue_store_new(k->engine, &k->store) == FAILURE ||
        glue_module_new(k->store, bytes, &k->module) == FAILURE) {
        kept_free(k);
        return NULL;
    }
    return k;
}

/* This request's Store on the engine of `k` (borrowed; made on first use, dropped at RSHUTDOWN). */
static zend_object *kept_store(php_wasm_kept *k) {
    if (!PHP_WASM_G(kept_stores)) {
        ALLOC_HASHTABLE(PHP_WASM_G(kept_stores));
        zend_hash_init(PHP_WASM_G(kept_stores), 2, NULL, ZVAL_PTR_DTOR, 0);
    }
    zend_ulong key = (zend_ulong)(uintptr_t)k; /* `k` lives while its Store does (through its Engine) */
    zval *found = zend_hash_index_find(PHP_WASM_G(kept_stores), key);
    if (found) return Z_OBJ_P(found);
    zval engine, store;
    object_init_ex(&engine, php_wasm_ce_Engine);
    php_wasm_engine *e = PHP_WASM_OBJ(php_wasm_engine, Z_OBJ(engine));
    kept_retain(k);
    e->kept = k;
    e->h = k->engine;
    e->compiler = PHP_WASM_DEFAULT_COMPILER;
    object_init_ex(&store, php_wasm_ce_Store);
    zend_result rc = php_wasm_store_init(PHP_WASM_OBJ(php_wasm_store_obj, Z_OBJ(store)), Z_OBJ(engine));
    zval_ptr_dtor(&engine); /* the Store holds it */
    if (rc == FAILURE) {
        zval_ptr_dtor(&store);
        return NULL;
    }
    zend_hash_index_add_new(PHP_WASM_G(kept_stores), key, &store);
    return Z_OBJ(store);
}

void php_wasm_legacy_mshutdown(void) {
    zend_hash_destroy(&persistent_modules); /* the table's counts (every request is over) */
#ifdef ZTS
    tsrm_mutex_free(persistent_lock);
#endif
}

void php_wasm_legacy_rshutdown(void) {
    HashTable *stores = PHP_WASM_G(kept_stores);
    if (!stores) return;
    PHP_WASM_G(kept_stores) = NULL;
    zend_hash_destroy(stores);
    FREE_HASHTABLE(stores);
}

/* Makes `self` (an empty Module object) the module `k` in this request's store on its engine;
   takes the caller's count of `k`. FAILURE with an exception. */
static zend_result kept_fill(zend_object *self, php_wasm_kept *k) {
    zend_object *store = kept_store(k);
    if (!store) {
        php_wasm_kept_release(k);
        return FAILURE;
    }
    php_wasm_module *m = PHP_WASM_OBJ(php_wasm_module, self);
    php_wasm_module_fill(m, store, k->module);
    m->kept = k;
    return SUCCESS;
}

/* The module kept for `identifier` (under persistent_lock), with a count of it for the caller; NULL when
   there is none. */
static php_wasm_kept *kept_find_locked(zend_string *identifier) {
    php_wasm_kept *k = zend_hash_find_ptr(&persistent_modules, identifier);
    if (k) k->refs++;
    return k;
}

static php_wasm_kept *kept_find(zend_string *identifier) {
    PERSISTENT_LOCK();
    php_wasm_kept *k = kept_find_locked(identifier);
    PERSISTENT_UNLOCK();
    return k;
}

/* Keeps `made` (one count: the caller's) for `identifier` and returns it; when another thread kept a
   module for it meanwhile, that one is returned instead (with a count for the caller) and `made` dropped. */
static php_wasm_kept *kept_add(zend_string *identifier, php_wasm_kept *made) {
    PERSISTENT_LOCK();
    php_wasm_kept *k = kept_find_locked(identifier);
    if (!k) {
        zend_string *key = zend_string_init(ZSTR_VAL(identifier), ZSTR_LEN(identifier), 1);
        made->refs++; /* the table's */
        zend_hash_add_new_ptr(&persistent_modules, key, made);
        zend_string_release(key); /* the table holds its own reference */
    }
    PERSISTENT_UNLOCK();
    if (!k) return made;
    php_wasm_kept_release(made);
    return k;
}

/* Makes `self` (an empty Module object) the module compiled from `bytes` in the default store;
   with an identifier, the module kept for it (compiled by the first request of the process that
   asks for it, outside the lock: compiling takes long). FAILURE with an exception. */
static zend_result compile_into(zend_object *self, zend_string *bytes, zend_string *identifier) {
    php_wasm_kept *k = identifier ? kept_find(identifier) : NULL; /* the Module object's count */
    if (k) return kept_fill(self, k);
    if (ZSTR_LEN(bytes) == 0) {
        php_wasm_throw(WG_ERR_COMPILE_ERROR, "the module is empty");
        return FAILURE;
    }
    if (identifier) {
        php_wasm_kept *made = kept_compile(bytes);
        return made ? kept_fill(self, kept_add(identifier, made)) : FAILURE;
    }
    zend_object *store = php_wasm_default_store();
    if (!store) return FAILURE;
    wg_module *h = NULL;
    if (glue_module_new(php_wasm_store_unwrap(store), bytes, &h) == FAILURE) return FAILURE;
    php_wasm_module_fill(PHP_WASM_OBJ(php_wasm_module, self), store, h);
    return SUCCESS;
}

PHP_FUNCTION(wasm_compile) {
    zval *res;
    zend_string *identifier = NULL;
    ZEND_PARSE_PARAMETERS_START(1, 2)
        Z_PARAM_RESOURCE(res)
        Z_PARAM_OPTIONAL
        Z_PARAM_STR_OR_NULL(identifier)
    ZEND_PARSE_PARAMETERS_END();
    FETCH(legacy_bytes, b, res, le_bytes, "wasm_bytes")
    zval module;
    object_init_ex(&module, php_wasm_ce_Module);
    if (compile_into(Z_OBJ(module), b->bytes, identifier) == FAILURE) {
        zval_ptr_dtor(&module);
        exception_to_last_error();
        RETURN_NULL();
    }
    return_module(&module, return_value);
}

PHP_FUNCTION(wasm_module_clean_up_persistent_resources) {
    ZEND_PARSE_PARAMETERS_NONE();
    PERSISTENT_LOCK();
    zend_hash_clean(&persistent_modules); /* the table's counts: a module still in use goes with its last object */
    PERSISTENT_UNLOCK();
}

PHP_FUNCTION(wasm_module_serialize) {
    zval *res;
    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_RESOURCE(res)
    ZEND_PARSE_PARAMETERS_END();
    if (Z_RES_P(res)->type != le_module && php_wasm_capi_module_serialize(res, return_value)) return; /* 1.1.0's form */
    FETCH(legacy_module, m, res, le_module, "wasm_module")
    zend_string *out = NULL;
    if (glue_module_serialize(php_wasm_module_unwrap(Z_OBJ(m->module)), &out) == FAILURE) {
        exception_to_last_error();
        RETURN_NULL();
    }
    RETURN_STR(out);
}

PHP_FUNCTION(wasm_module_deserialize) {
    zval *first;
    zend_string *serialized = NULL;
    ZEND_PARSE_PARAMETERS_START(1, 2)
        Z_PARAM_ZVAL(first)
        Z_PARAM_OPTIONAL
        Z_PARAM_STR_OR_NULL(serialized)
    ZEND_PARSE_PARAMETERS_END();
    if (Z_TYPE_P(first) == IS_RESOURCE || serialized) { /* 1.1.0's form: (wasm_store_t $store, string $serialized) */
        if (Z_TYPE_P(first) != IS_RESOURCE || !serialized) {
            zend_argument_count_error("wasm_module_deserialize() expects a wasm_store_t resource and a string");
            RETURN_THROWS();
        }
        php_wasm_capi_module_deserialize(first, serialized, return_value);
        return;
    }
    if (Z_TYPE_P(first) != IS_STRING) {
        zend_argument_type_error(1, "must be of type string or a wasm_store_t resource, %s given", zend_zval_type_name(first));
        RETURN_THROWS();
    }
    serialized = Z_STR_P(first);
    zval module;
    if (deserialize_module(serialized, &module) == FAILURE) {
        zend_clear_exception();
        set_last_error(zend_string_init("Failed to deserialize the module", sizeof("Failed to deserialize the module") - 1, 0));
        RETURN_NULL();
    }
    return_module(&module, return_value);
}

/* A `wasm_instance` resource of `module` (a Module object), null with the last error set. */
static void new_instance(zval *module, zval *return_value) {
    zval instance;
    object_init_ex(&instance, php_wasm_ce_Instance);
    zend_call_known_instance_method_with_1_params(php_wasm_ce_Instance->constructor, Z_OBJ(instance), NULL, module);
    if (EG(exception)) {
        zval_ptr_dtor(&instance);
        exception_to_last_error();
        RETURN_NULL();
    }
    legacy_instance *i = emalloc(sizeof(*i));
    ZVAL_COPY_VALUE(&i->instance, &instance);
    RETURN_RES(zend_register_resource(i, le_instance));
}

PHP_FUNCTION(wasm_module_new_instance) {
    zval *res;
    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_RESOURCE(res)
    ZEND_PARSE_PARAMETERS_END();
    FETCH(legacy_module, m, res, le_module, "wasm_module")
    new_instance(&m->module, return_value);
}

PHP_FUNCTION(wasm_new_instance) {
    zval *res;
    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_RESOURCE(res)
    ZEND_PARSE_PARAMETERS_END();
    FETCH(legacy_bytes, b, res, le_bytes, "wasm_bytes")
    zend_object *store = php_wasm_default_store();
    if (!store) RETURN_THROWS();
    zval module;
    if (ZSTR_LEN(b->bytes) == 0) {
        set_last_error(zend_string_init("the module is empty", sizeof("the module is empty") - 1, 0));
        RETURN_NULL();
    }
    if (php_wasm_module_new(store, b->bytes, &module) == FAILURE) {
        exception_to_last_error();
        RETURN_NULL();
    }
    new_instance(&module, return_value);
    zval_ptr_dtor(&module);
}

static const char *type_names[] = {"I32", "I64", "F32", "F64"};

PHP_FUNCTION(wasm_value) {
    zend_long type;
    zval *value;
    ZEND_PARSE_PARAMETERS_START(2, 2)
        Z_PARAM_LONG(type)
        Z_PARAM_ZVAL(value)
    ZEND_PARSE_PARAMETERS_END();
    if (type < WG_I32 || type > WG_F64) RETURN_NULL();
    legacy_value *v = emalloc(sizeof(*v));
    v->type = (uint8_t)type;
    if (type == WG_I32 || type == WG_I64) ZVAL_LONG(&v->value, zval_get_long(value));
    else ZVAL_DOUBLE(&v->value, zval_get_double(value));
    RETURN_RES(zend_register_resource(v, le_value));
}

static zval *instance_exports(zval *instance) {
    zval *exports = OBJ_PROP_NUM(Z_OBJ_P(instance), 0);
    return Z_TYPE_P(exports) == IS_OBJECT ? exports : NULL;
}

PHP_FUNCTION(wasm_invoke_function) {
    zval *res;
    zend_string *name;
    HashTable *inputs;
    ZEND_PARSE_PARAMETERS_START(3, 3)
        Z_PARAM_RESOURCE(res)
        Z_PARAM_STR(name)
        Z_PARAM_ARRAY_HT(inputs)
    ZEND_PARSE_PARAMETERS_END();
    FETCH(legacy_instance, inst, res, le_instance, "wasm_instance")
    zval *exports = instance_exports(&inst->instance);
    zval *item = exports ? zend_hash_find(&PHP_WASM_OBJ(php_wasm_exports, Z_OBJ_P(exports))->items, name) : NULL;
    if (!item || Z_OBJCE_P(item) != php_wasm_ce_Function_) {
        zend_throw_exception_ex(zend_ce_exception, 0, "The instance has no exported function named `%s`.", ZSTR_VAL(name));
        RETURN_THROWS();
    }
    php_wasm_extern *f = PHP_WASM_OBJ(php_wasm_extern, Z_OBJ_P(item));
    uint32_t argc = zend_hash_num_elements(inputs), np = f->nparams;
    if (argc != np) {
        if (argc < np)
            zend_throw_exception_ex(zend_ce_exception, 0, "Missing %u argument(s) when calling the `%s` exported function; "
                                    "Expect %u argument(s), given %u.", np - argc, ZSTR_VAL(name), np, argc);
        else
            zend_throw_exception_ex(zend_ce_exception, 0, "Given %u extra argument(s) when calling the `%s` exported function; "
                                    "Expect %u argument(s), given %u.", argc - np, ZSTR_VAL(name), np, argc);
        RETURN_THROWS();
    }
    zval *args = safe_emalloc(argc ? argc : 1, sizeof(zval), 0);
    uint32_t i = 0;
    bool mismatch = false;
    zval *input;
    ZEND_HASH_FOREACH_VAL(inputs, input) {
        ZVAL_DEREF(input);
        uint8_t kind = f->kinds[i];
        if (Z_TYPE_P(input) == IS_RESOURCE && Z_RES_P(input)->type == le_value) {
            legacy_value *v = Z_RES_P(input)->ptr;
            if (v->type != kind) mismatch = true;
            ZVAL_COPY_VALUE(&args[i], &v->value);
        } else {
            bool is_int = kind == WG_I32 || kind == WG_I64;
            if (kind > WG_F64 || (is_int ? Z_TYPE_P(input) != IS_LONG : Z_TYPE_P(input) != IS_DOUBLE)) {
                zend_throw_exception_ex(zend_ce_exception, 0, "Argument #%u of `%s` must be an `%s` (%s).", i + 1, ZSTR_VAL(name),
                                        php_wasm_kind_name(kind), is_int ? "integer" : "float");
                efree(args);
                RETURN_THROWS();
            }
            ZVAL_COPY_VALUE(&args[i], input);
        }
        i++;
    } ZEND_HASH_FOREACH_END();
    if (mismatch) { /* a wasm_value of another type than the parameter's */
        smart_str msg = {0};
        smart_str_appends(&msg, "Call error: Parameters of type [");
        i = 0;
        ZEND_HASH_FOREACH_VAL(inputs, input) {
            ZVAL_DEREF(input);
            if (i++) smart_str_appends(&msg, ", ");
            uint8_t t = Z_TYPE_P(input) == IS_RESOURCE && Z_RES_P(input)->type == le_value
                ? ((legacy_value *)Z_RES_P(input)->ptr)->type : f->kinds[i - 1];
            smart_str_appends(&msg, t <= WG_F64 ? type_names[t] : php_wasm_kind_name(t));
        } ZEND_HASH_FOREACH_END();
        smart_str_appends(&msg, "] did not match signature [");
        for (uint32_t k = 0; k < f->nparams + f->nresults; k++) {
            if (k == f->nparams) smart_str_appends(&msg, "] -> [");
            else if (k) smart_str_appends(&msg, ", ");
            smart_str_appends(&msg, f->kinds[k] <= WG_F64 ? type_names[f->kinds[k]] : php_wasm_kind_name(f->kinds[k]));
        }
        smart_str_appendc(&msg, ']');
        smart_str_0(&msg);
        set_last_error(msg.s);
        efree(args);
        zend_throw_exception_ex(zend_ce_exception, 0, "Failed to call the `%s` exported function.", ZSTR_VAL(name));
        RETURN_THROWS();
    }
    php_wasm_call(f, args, argc, return_value);
    efree(args);
}

/* ------------------------------------------------------------------ Wasm\Module's 0.5.1 forms */

ZEND_METHOD(Wasm_ModuleSupport, __construct) {
    zend_object *store = NULL;
    zend_string *path = NULL, *bytes = NULL;
    bool persistent = false;
    zval *second = NULL;
    ZEND_PARSE_PARAMETERS_START(1, 2)
        Z_PARAM_OBJ_OF_CLASS_OR_STR(store, php_wasm_ce_Store, path)
        Z_PARAM_OPTIONAL
        Z_PARAM_ZVAL(second)
    ZEND_PARSE_PARAMETERS_END();
    zend_object *self = Z_OBJ_P(ZEND_THIS);
    PHP_WASM_CONSTRUCT_ONCE(PHP_WASM_OBJ(php_wasm_module, self)->h, "Wasm\\Module")
    wg_module *h = NULL;
    if (store) { /* new Module($store, $bytes) */
        if (!second || Z_TYPE_P(second) != IS_STRING) {
            zend_argument_type_error(2, "must be of type string (the module's bytes) when argument #1 is a Wasm\\Store, %s given",
                                     second ? zend_zval_type_name(second) : "none");
            RETURN_THROWS();
        }
        bytes = Z_STR_P(second);
        wg_store *store_h = php_wasm_store_unwrap(store);
        if (!store_h || glue_module_new(store_h, bytes, &h) == FAILURE) RETURN_THROWS();
        php_wasm_module_construct(self, h, php_wasm_store_context(store));
        return;
    }
    /* new Module($path, $persistence = Module::VOLATILE) */
    if (second && Z_TYPE_P(second) != IS_TRUE && Z_TYPE_P(second) != IS_FALSE) {
        zend_argument_type_error(2, "must be of type bool (Module::PERSISTENT or VOLATILE) when argument #1 is a path, %s given",
                                 zend_zval_type_name(second));
        RETURN_THROWS();
    }
    persistent = second && Z_TYPE_P(second) == IS_TRUE;
    if (zend_str_has_nul_byte(path)) {
        zend_argument_value_error(1, "must not contain any null bytes");
        RETURN_THROWS();
    }
    zend_string *identifier = NULL;
    if (persistent) { /* the file's real path identifies it */
        char real[MAXPATHLEN];
        if (VCWD_REALPATH(ZSTR_VAL(path), real)) { /* the file exists: when its module is kept, it is not read again */
            identifier = zend_string_init(real, strlen(real), 0);
            php_wasm_kept *k = kept_find(identifier);
            if (k) {
                zend_string_release(identifier);
                if (kept_fill(self, k) == FAILURE) RETURN_THROWS();
                return;
            }
        } else {
            identifier = zend_string_copy(path);
        }
    }
    php_stream *stream = php_stream_open_wrapper(ZSTR_VAL(path), "rb", 0, NULL);
    if (!stream) {
        if (identifier) zend_string_release(identifier);
        zend_clear_exception();
        php_wasm_throw(WG_ERR_RUNTIME_ERROR, "File path to Wasm binary `%s` does not exist.", ZSTR_VAL(path));
        RETURN_THROWS();
    }
    bytes = php_stream_copy_to_mem(stream, PHP_STREAM_COPY_ALL, 0);
    php_stream_close(stream);
    if (!bytes) bytes = ZSTR_EMPTY_ALLOC();
    zend_result rc = compile_into(self, bytes, identifier);
    zend_string_release(bytes);
    if (identifier) zend_string_release(identifier);
    if (rc == FAILURE) { /* 0.5.1's message around ours */
        zend_object *e = EG(exception);
        zval rv;
        zend_string *cause = e ? zval_try_get_string(zend_read_property_ex(e->ce, e, ZSTR_KNOWN(ZEND_STR_MESSAGE), 1, &rv)) : NULL;
        zend_class_entry *ce = e ? e->ce : php_wasm_error_class(WG_ERR_COMPILE_ERROR);
        zend_clear_exception();
        zend_throw_exception_ex(ce, WG_ERR_COMPILE_ERROR, "An error happened while compiling the module `%s`:\n    %s", ZSTR_VAL(path),
                                cause ? ZSTR_VAL(cause) : "");
        if (cause) zend_string_release(cause);
        RETURN_THROWS();
    }
}

/* Module::setName(): a persistent module is shared by every request of the process (and by its
   threads, which read its name): never renamed. */
ZEND_METHOD(Wasm_ModuleSupport, setName) {
    zend_string *name = NULL;
    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_STR(name)
    ZEND_PARSE_PARAMETERS_END();
    php_wasm_module *m = php_wasm_module_of(Z_OBJ_P(ZEND_THIS));
    if (!m) RETURN_THROWS();
    if (m->kept) RETURN_FALSE;
    bool renamed = false;
    if (glue_module_set_name(m->h, name, &renamed) == FAILURE) RETURN_THROWS();
    RETURN_BOOL(renamed);
}

ZEND_METHOD(Wasm_ModuleSupport, instantiate) {
    ZEND_PARSE_PARAMETERS_NONE();
    zval module;
    ZVAL_OBJ(&module, Z_OBJ_P(ZEND_THIS));
    object_init_ex(return_value, php_wasm_ce_Instance);
    zend_call_known_instance_method_with_1_params(php_wasm_ce_Instance->constructor, Z_OBJ_P(return_value), NULL, &module);
    if (EG(exception)) {
        zval_ptr_dtor(return_value);
        ZVAL_UNDEF(return_value);
        RETURN_THROWS();
    }
}

ZEND_METHOD(Wasm_ModuleSupport, intoResource) {
    ZEND_PARSE_PARAMETERS_NONE();
    if (!php_wasm_module_unwrap(Z_OBJ_P(ZEND_THIS))) RETURN_THROWS();
    zval module;
    ZVAL_OBJ_COPY(&module, Z_OBJ_P(ZEND_THIS));
    return_module(&module, return_value);
}

/* This module becomes the one deserialized from `data` (in the default store). */
static void module_replace(zend_object *self, zend_string *data) {
    wg_module *h = NULL;
    zend_object *store = php_wasm_default_store();
    if (!store) return;
    wg_store *store_h = php_wasm_store_unwrap(store);
    if (!store_h || glue_module_deserialize(store_h, data, &h) == FAILURE) return;
    php_wasm_module *m = PHP_WASM_OBJ(php_wasm_module, self);
    if (m->h) php_wasm_module_clear(m);
    php_wasm_module_construct(self, h, php_wasm_store_context(store));
}

ZEND_METHOD(Wasm_ModuleSupport, unserialize) {
    zend_string *data;
    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_STR(data)
    ZEND_PARSE_PARAMETERS_END();
    module_replace(Z_OBJ_P(ZEND_THIS), data);
}

ZEND_METHOD(Wasm_ModuleSupport, __serialize) {
    ZEND_PARSE_PARAMETERS_NONE();
    wg_module *h = php_wasm_module_unwrap(Z_OBJ_P(ZEND_THIS));
    zend_string *artifact = NULL;
    if (!h || glue_module_serialize(h, &artifact) == FAILURE) RETURN_THROWS();
    array_init(return_value);
    add_assoc_str(return_value, "artifact", artifact);
}

ZEND_METHOD(Wasm_ModuleSupport, __unserialize) {
    HashTable *data;
    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_ARRAY_HT(data)
    ZEND_PARSE_PARAMETERS_END();
    zval *artifact = zend_hash_str_find(data, "artifact", sizeof("artifact") - 1);
    if (!artifact || Z_TYPE_P(artifact) != IS_STRING) {
        php_wasm_throw(WG_ERR_ARGUMENT_ERROR, "a serialized Wasm\\Module holds its artifact as a string");
        RETURN_THROWS();
    }
    module_replace(Z_OBJ_P(ZEND_THIS), Z_STR_P(artifact));
}

/* ------------------------------------------------------------------ WasmArrayBuffer */

typedef struct {
    zend_string *own; /* a buffer of its own, or */
    zval memory;      /* a Wasm\Memory */
    zend_object std;
} array_buffer;

typedef struct {
    zval buffer;
    zend_long offset, length; /* bytes, elements */
    uint8_t type;             /* index in ce_typed: Int8, Uint8, Int16, Uint16, Int32, Uint32 */
    zend_object std;
} typed_array;

static const uint8_t element_size[6] = {1, 1, 2, 2, 4, 4};

static zend_object *array_buffer_create(zend_class_entry *ce) {
    array_buffer *o = zend_object_alloc(sizeof(array_buffer), ce);
    zend_object_std_init(&o->std, ce);
    object_properties_init(&o->std, ce);
    o->std.handlers = &array_buffer_handlers;
    ZVAL_UNDEF(&o->memory);
    return &o->std;
}

static void array_buffer_free(zend_object *zo) {
    array_buffer *o = PHP_WASM_OBJ(array_buffer, zo);
    if (o->own) zend_string_release(o->own);
    zval_ptr_dtor(&o->memory);
    zend_object_std_dtor(zo);
}

/* The buffer's bytes now (a memory's data moves when it grows); NULL with an exception. */
static uint8_t *array_buffer_data(array_buffer *o, size_t *len) {
    if (o->own) {
        *len = ZSTR_LEN(o->own);
        return (uint8_t *)ZSTR_VAL(o->own);
    }
    if (Z_TYPE(o->memory) != IS_OBJECT) {
        zend_throw_error(NULL, "WasmArrayBuffer is not initialized (its constructor was not called)");
        return NULL;
    }
    wg_buffer b;
    if (glue_memory_data(php_wasm_extern_unwrap(Z_OBJ(o->memory)), &b) == FAILURE) return NULL;
    *len = b.len;
    return b.data;
}

static void array_buffer_of_memory(zval *memory, zval *out) {
    object_init_ex(out, ce_array_buffer);
    ZVAL_COPY(&PHP_WASM_OBJ(array_buffer, Z_OBJ_P(out))->memory, memory);
}

ZEND_METHOD(WasmArrayBuffer, __construct) {
    zend_long length;
    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_LONG(length)
    ZEND_PARSE_PARAMETERS_END();
    array_buffer *o = PHP_WASM_THIS(array_buffer);
    PHP_WASM_CONSTRUCT_ONCE(o->own || Z_TYPE(o->memory) == IS_OBJECT, "WasmArrayBuffer")
    if (length <= 0) {
        zend_throw_exception_ex(zend_ce_exception, 0, "Buffer length must be positive; given " ZEND_LONG_FMT ".", length);
        RETURN_THROWS();
    }
    o->own = zend_string_safe_alloc(1, (size_t)length, 0, 0);
    memset(ZSTR_VAL(o->own), 0, (size_t)length + 1);
}

ZEND_METHOD(WasmArrayBuffer, getByteLength) {
    ZEND_PARSE_PARAMETERS_NONE();
    size_t len;
    if (!array_buffer_data(PHP_WASM_THIS(array_buffer), &len)) RETURN_THROWS();
    RETURN_LONG((zend_long)len);
}

ZEND_METHOD(WasmArrayBuffer, grow) {
    zend_long pages;
    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_LONG(pages)
    ZEND_PARSE_PARAMETERS_END();
    array_buffer *o = PHP_WASM_THIS(array_buffer);
    if (Z_TYPE(o->memory) != IS_OBJECT) return; /* a buffer of its own does not grow */
    zend_long previous;
    if (glue_memory_grow(php_wasm_extern_unwrap(Z_OBJ(o->memory)), pages, &previous) == FAILURE) {
        zend_clear_exception();
        zend_throw_exception(zend_ce_exception, "Failed to grow the memory.", 0);
        RETURN_THROWS();
    }
}

PHP_FUNCTION(wasm_get_memory_buffer) {
    zval *res;
    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_RESOURCE(res)
    ZEND_PARSE_PARAMETERS_END();
    FETCH(legacy_instance, inst, res, le_instance, "wasm_instance")
    zval *exports = instance_exports(&inst->instance), *item;
    if (!exports) RETURN_NULL();
    ZEND_HASH_FOREACH_VAL(&PHP_WASM_OBJ(php_wasm_exports, Z_OBJ_P(exports))->items, item) {
        if (Z_OBJCE_P(item) == php_wasm_ce_Memory) {
            array_buffer_of_memory(item, return_value);
            return;
        }
    } ZEND_HASH_FOREACH_END();
    RETURN_NULL();
}

/* Wasm\Instance::getMemoryBuffer(): the first exported memory, as a WasmArrayBuffer (null if none). */
ZEND_METHOD(Wasm_InstanceSupport, getMemoryBuffer) {
    ZEND_PARSE_PARAMETERS_NONE();
    zval *exports = instance_exports(ZEND_THIS), *item;
    if (!exports) {
        PHP_WASM_NOT_INITIALIZED("Wasm\\Instance");
        RETURN_THROWS();
    }
    ZEND_HASH_FOREACH_VAL(&PHP_WASM_OBJ(php_wasm_exports, Z_OBJ_P(exports))->items, item) {
        if (Z_OBJCE_P(item) == php_wasm_ce_Memory) {
            array_buffer_of_memory(item, return_value);
            return;
        }
    } ZEND_HASH_FOREACH_END();
    RETURN_NULL();
}

/* ------------------------------------------------------------------ typed arrays */

static zend_object *typed_create(zend_class_entry *ce) {
    typed_array *o = zend_object_alloc(sizeof(typed_array), ce);
    zend_object_std_init(&o->std, ce);
    object_properties_init(&o->std, ce);
    o->std.handlers = &typed_handlers;
    ZVAL_UNDEF(&o->buffer);
    for (zend_class_entry *c = ce; c; c = c->parent)
        for (int i = 0; i < 6; i++)
            if (c == ce_typed[i]) {
                o->type = (uint8_t)i;
                return &o->std;
            }
    return &o->std;
}

static void typed_free(zend_object *zo) {
    zval_ptr_dtor(&PHP_WASM_OBJ(typed_array, zo)->buffer);
    zend_object_std_dtor(zo);
}

static HashTable *typed_get_gc(zend_object *zo, zval **table, int *n) {
    *table = &PHP_WASM_OBJ(typed_array, zo)->buffer;
    *n = 1;
    return zend_std_get_properties(zo);
}

ZEND_METHOD(WasmInt8Array, __construct) {
    zend_object *buffer;
    zend_long offset = 0, length = 0;
    ZEND_PARSE_PARAMETERS_START(1, 3)
        Z_PARAM_OBJ_OF_CLASS(buffer, ce_array_buffer)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(offset)
        Z_PARAM_LONG(length)
    ZEND_PARSE_PARAMETERS_END();
    typed_array *o = PHP_WASM_THIS(typed_array);
    PHP_WASM_CONSTRUCT_ONCE(Z_TYPE(o->buffer) == IS_OBJECT, ZSTR_VAL(Z_OBJCE_P(ZEND_THIS)->name))
    size_t byte_length;
    if (!array_buffer_data(PHP_WASM_OBJ(array_buffer, buffer), &byte_length)) RETURN_THROWS();
    zend_long size = element_size[o->type];
    if (offset < 0) {
        zend_throw_exception_ex(zend_ce_exception, 0, "Offset must be non-negative; given " ZEND_LONG_FMT ".", offset);
        RETURN_THROWS();
    }
    if ((size_t)offset >= byte_length) {
        zend_throw_exception_ex(zend_ce_exception, 0, "Offset must be smaller than the array buffer length; given " ZEND_LONG_FMT
                                ", buffer length is %zu.", offset, byte_length);
        RETURN_THROWS();
    }
    if (length < 0) {
        zend_throw_exception_ex(zend_ce_exception, 0, "Length must be non-negative; given " ZEND_LONG_FMT ".", length);
        RETURN_THROWS();
    }
    zend_long maximum = ((zend_long)byte_length - offset) / size;
    if (length > maximum) {
        zend_throw_exception_ex(zend_ce_exception, 0, "Length must not be greater than the buffer length; given " ZEND_LONG_FMT
                                ", maximum length is " ZEND_LONG_FMT ".", length, maximum);
        RETURN_THROWS();
    }
    ZVAL_OBJ_COPY(&o->buffer, buffer);
    o->offset = offset;
    o->length = length ? length : maximum;
}

static typed_array *typed_this(zval *this_) {
    typed_array *o = PHP_WASM_OBJ(typed_array, Z_OBJ_P(this_));
    if (Z_TYPE(o->buffer) != IS_OBJECT) {
        zend_throw_error(NULL, "%s is not initialized (its constructor was not called)", ZSTR_VAL(Z_OBJCE_P(this_)->name));
        return NULL;
    }
    return o;
}

ZEND_METHOD(WasmInt8Array, getOffset) {
    ZEND_PARSE_PARAMETERS_NONE();
    typed_array *o = typed_this(ZEND_THIS);
    if (!o) RETURN_THROWS();
    RETURN_LONG(o->offset);
}

ZEND_METHOD(WasmInt8Array, getLength) {
    ZEND_PARSE_PARAMETERS_NONE();
    typed_array *o = typed_this(ZEND_THIS);
    if (!o) RETURN_THROWS();
    RETURN_LONG(o->length);
}

/* The element at `index`, or NULL with an exception: out of range, or the buffer is gone. */
static uint8_t *typed_at(typed_array *o, zval *index) {
    zend_long i = zval_get_long(index);
    if (i < 0 || i >= o->length) {
        zend_throw_exception_ex(zend_ce_exception, 0, "Offset " ZEND_LONG_FMT " is out of bounds; the length is " ZEND_LONG_FMT ".",
                                i, o->length);
        return NULL;
    }
    size_t len;
    uint8_t *data = array_buffer_data(PHP_WASM_OBJ(array_buffer, Z_OBJ(o->buffer)), &len);
    if (!data) return NULL;
    size_t at = (size_t)o->offset + (size_t)i * element_size[o->type];
    if (at + element_size[o->type] > len) {
        zend_throw_exception_ex(zend_ce_exception, 0, "Offset " ZEND_LONG_FMT " is out of the memory.", i);
        return NULL;
    }
    return data + at;
}

ZEND_METHOD(WasmInt8Array, offsetGet) {
    zval *index;
    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_ZVAL(index)
    ZEND_PARSE_PARAMETERS_END();
    typed_array *o = typed_this(ZEND_THIS);
    if (!o) RETURN_THROWS();
    uint8_t *p = typed_at(o, index);
    if (!p) RETURN_THROWS();
    switch (o->type) { /* little-endian, like wasm memory */
    case 0: RETURN_LONG((int8_t)p[0]);
    case 1: RETURN_LONG(p[0]);
    case 2: { int16_t v; memcpy(&v, p, 2); RETURN_LONG(v); }
    case 3: { uint16_t v; memcpy(&v, p, 2); RETURN_LONG(v); }
    case 4: { int32_t v; memcpy(&v, p, 4); RETURN_LONG(v); }
    default: { uint32_t v; memcpy(&v, p, 4); RETURN_LONG((zend_long)v); }
    }
}

static void typed_store(typed_array *o, uint8_t *p, zend_long value) {
    switch (element_size[o->type]) {
    case 1: p[0] = (uint8_t)value; break;
    case 2: { uint16_t v = (uint16_t)value; memcpy(p, &v, 2); break; }
    default: { uint32_t v = (uint32_t)value; memcpy(p, &v, 4); break; }
    }
}

ZEND_METHOD(WasmInt8Array, offsetSet) {
    zval *index, *value;
    ZEND_PARSE_PARAMETERS_START(2, 2)
        Z_PARAM_ZVAL(index)
        Z_PARAM_ZVAL(value)
    ZEND_PARSE_PARAMETERS_END();
    typed_array *o = typed_this(ZEND_THIS);
    if (!o) RETURN_THROWS();
    uint8_t *p = typed_at(o, index);
    if (!p) RETURN_THROWS();
    typed_store(o, p, zval_get_long(value));
}

ZEND_METHOD(WasmInt8Array, offsetExists) {
    zval *index;
    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_ZVAL(index)
    ZEND_PARSE_PARAMETERS_END();
    typed_array *o = typed_this(ZEND_THIS);
    if (!o) RETURN_THROWS();
    zend_long i = zval_get_long(index);
    RETURN_BOOL(i >= 0 && i < o->length);
}

ZEND_METHOD(WasmInt8Array, offsetUnset) {
    zval *index;
    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_ZVAL(index)
    ZEND_PARSE_PARAMETERS_END();
    typed_array *o = typed_this(ZEND_THIS);
    if (!o) RETURN_THROWS();
    uint8_t *p = typed_at(o, index);
    if (!p) RETURN_THROWS();
    typed_store(o, p, 0);
}

/* ------------------------------------------------------------------ Wasm\Cache\Filesystem */

static zend_class_entry *ce_cache_exception, *ce_cache_invalid_argument;

/* Calls the PHP function `name`; false when it threw. */
static bool call_php(const char *name, zval *ret, uint32_t argc, zval *argv) {
    zval fn;
    ZVAL_STRING(&fn, name);
    zend_result rc = call_user_function(NULL, NULL, &fn, ret, argc, argv);
    zval_ptr_dtor(&fn);
    if (rc == FAILURE || EG(exception)) {
        zval_ptr_dtor(ret);
        ZVAL_UNDEF(ret);
        return false;
    }
    return true;
}

/* A PHP function of one string argument returning a bool (is_dir, file_exists, unlink...). */
static bool path_test(const char *name, zend_string *path) {
    zval arg, ret;
    ZVAL_STR(&arg, path);
    if (!call_php(name, &ret, 1, &arg)) return false;
    bool ok = zend_is_true(&ret);
    zval_ptr_dtor(&ret);
    return ok;
}

static zend_string *cache_directory(zval *this_) {
    zval *dir = OBJ_PROP_NUM(Z_OBJ_P(this_), 0);
    if (Z_TYPE_P(dir) != IS_STRING) {
        zend_throw_error(NULL, "Wasm\\Cache\\Filesystem is not initialized (its constructor was not called)");
        return NULL;
    }
    return Z_STR_P(dir);
}

#define CACHE_SUFFIX ".module.wasm.cache"

static zend_string *cache_file(zend_string *dir, zend_string *key) {
    return zend_strpprintf(0, "%s%c%s" CACHE_SUFFIX, ZSTR_VAL(dir), DEFAULT_SLASH, ZSTR_VAL(key));
}

ZEND_METHOD(Wasm_Cache_Filesystem, __construct) {
    zend_string *dir;
    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_PATH_STR(dir)
    ZEND_PARSE_PARAMETERS_END();
    size_t len = ZSTR_LEN(dir);
    while (len > 1 && (ZSTR_VAL(dir)[len - 1] == '/' || ZSTR_VAL(dir)[len - 1] == '\\')) len--;
    zend_string *trimmed = zend_string_init(ZSTR_VAL(dir), len, 0);
    const char *problem = !path_test("is_dir", trimmed) ? "is not a directory"
        : !path_test("is_readable", trimmed) ? "is not readable"
        : !path_test("is_writable", trimmed) ? "is not writable" : NULL;
    if (problem || EG(exception)) {
        if (!EG(exception))
            zend_throw_exception_ex(ce_cache_exception, 0, "The cache directory `%s` %s.", ZSTR_VAL(trimmed), problem);
        zend_string_release(trimmed);
        RETURN_THROWS();
    }
    zval *property = OBJ_PROP_NUM(Z_OBJ_P(ZEND_THIS), 0); /* $cacheDirectory */
    zval_ptr_dtor(property);
    ZVAL_STR(property, trimmed);
}

static bool cache_has(zend_string *dir, zend_string *key) {
    zend_string *file = cache_file(dir, key);
    bool found = path_test("file_exists", file);
    zend_string_release(file);
    return found;
}

ZEND_METHOD(Wasm_Cache_Filesystem, has) {
    zend_string *key;
    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_STR(key)
    ZEND_PARSE_PARAMETERS_END();
    zend_string *dir = cache_directory(ZEND_THIS);
    if (!dir) RETURN_THROWS();
    RETURN_BOOL(cache_has(dir, key));
}

/* The module of `key` into `out`; false (nothing thrown) when there is none or it does not load. */
static bool cache_get(zend_string *dir, zend_string *key, zval *out) {
    if (!cache_has(dir, key)) return false;
    zval arg, content;
    ZVAL_STR(&arg, cache_file(dir, key));
    bool read = call_php("file_get_contents", &content, 1, &arg);
    zval_ptr_dtor(&arg);
    if (!read || Z_TYPE(content) != IS_STRING) {
        zend_clear_exception();
        zval_ptr_dtor(&content);
        return false;
    }
    object_init_ex(out, php_wasm_ce_Module);
    module_replace(Z_OBJ_P(out), Z_STR(content));
    zval_ptr_dtor(&content);
    if (EG(exception) || !PHP_WASM_OBJ(php_wasm_module, Z_OBJ_P(out))->h) {
        zend_clear_exception();
        zval_ptr_dtor(out);
        return false;
    }
    return true;
}

ZEND_METHOD(Wasm_Cache_Filesystem, get) {
    zend_string *key;
    zval *fallback = NULL;
    ZEND_PARSE_PARAMETERS_START(1, 2)
        Z_PARAM_STR(key)
        Z_PARAM_OPTIONAL
        Z_PARAM_ZVAL(fallback)
    ZEND_PARSE_PARAMETERS_END();
    zend_string *dir = cache_directory(ZEND_THIS);
    if (!dir) RETURN_THROWS();
    if (cache_get(dir, key, return_value)) return;
    if (fallback) RETURN_COPY(fallback);
    RETURN_NULL();
}

static bool cache_set(zend_string *dir, zend_string *key, zval *value) {
    if (Z_TYPE_P(value) != IS_OBJECT || Z_OBJCE_P(value) != php_wasm_ce_Module) {
        zend_throw_exception(ce_cache_invalid_argument, "The cache can only store `Wasm\\Module` instances.", 0);
        return false;
    }
    wg_module *h = php_wasm_module_unwrap(Z_OBJ_P(value));
    zend_string *artifact = NULL;
    if (!h || glue_module_serialize(h, &artifact) == FAILURE) return false;
    zval args[2], ret;
    ZVAL_STR(&args[0], cache_file(dir, key));
    ZVAL_STR(&args[1], artifact);
    bool ok = call_php("file_put_contents", &ret, 2, args);
    zval_ptr_dtor(&args[0]);
    zval_ptr_dtor(&args[1]);
    if (ok && Z_TYPE(ret) == IS_FALSE) {
        zend_throw_exception_ex(ce_cache_exception, 0, "Cannot write the cache file of `%s` in `%s`.", ZSTR_VAL(key), ZSTR_VAL(dir));
        ok = false;
    }
    zval_ptr_dtor(&ret);
    return ok;
}

ZEND_METHOD(Wasm_Cache_Filesystem, set) {
    zend_string *key;
    zval *value, *ttl = NULL;
    ZEND_PARSE_PARAMETERS_START(2, 3)
        Z_PARAM_STR(key)
        Z_PARAM_ZVAL(value)
        Z_PARAM_OPTIONAL
        Z_PARAM_ZVAL(ttl)
    ZEND_PARSE_PARAMETERS_END();
    zend_string *dir = cache_directory(ZEND_THIS);
    if (!dir) RETURN_THROWS();
    if (!cache_set(dir, key, value)) RETURN_THROWS();
}

static void cache_delete(zend_string *dir, zend_string *key) {
    if (!cache_has(dir, key)) return;
    zend_string *file = cache_file(dir, key);
    path_test("unlink", file);
    zend_string_release(file);
}

ZEND_METHOD(Wasm_Cache_Filesystem, delete) {
    zend_string *key;
    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_STR(key)
    ZEND_PARSE_PARAMETERS_END();
    zend_string *dir = cache_directory(ZEND_THIS);
    if (!dir) RETURN_THROWS();
    cache_delete(dir, key);
}

ZEND_METHOD(Wasm_Cache_Filesystem, clear) {
    ZEND_PARSE_PARAMETERS_NONE();
    zend_string *dir = cache_directory(ZEND_THIS);
    if (!dir) RETURN_THROWS();
    zval arg, files, *name;
    ZVAL_STR(&arg, dir);
    if (!call_php("scandir", &files, 1, &arg)) RETURN_THROWS();
    if (Z_TYPE(files) == IS_ARRAY) {
        size_t suffix = sizeof(CACHE_SUFFIX) - 1;
        ZEND_HASH_FOREACH_VAL(Z_ARRVAL(files), name) {
            if (Z_TYPE_P(name) != IS_STRING || Z_STRLEN_P(name) <= suffix ||
                memcmp(Z_STRVAL_P(name) + Z_STRLEN_P(name) - suffix, CACHE_SUFFIX, suffix) != 0)
                continue;
            zend_string *file = zend_strpprintf(0, "%s%c%s", ZSTR_VAL(dir), DEFAULT_SLASH, Z_STRVAL_P(name));
            if (!path_test("is_dir", file)) path_test("unlink", file);
            zend_string_release(file);
        } ZEND_HASH_FOREACH_END();
    }
    zval_ptr_dtor(&files);
}

/* The items of an iterable, as an array (iterator_to_array for a Traversable). */
static bool iterable_items(zval *iterable, zval *out) {
    if (Z_TYPE_P(iterable) == IS_ARRAY) {
        ZVAL_COPY(out, iterable);
        return true;
    }
    zval args[2];
    ZVAL_COPY_VALUE(&args[0], iterable);
    ZVAL_TRUE(&args[1]);
    return call_php("iterator_to_array", out, 2, args);
}

ZEND_METHOD(Wasm_Cache_Filesystem, getMultiple) {
    zval *keys, *fallback = NULL, items, *key;
    ZEND_PARSE_PARAMETERS_START(1, 2)
        Z_PARAM_ITERABLE(keys)
        Z_PARAM_OPTIONAL
        Z_PARAM_ZVAL(fallback)
    ZEND_PARSE_PARAMETERS_END();
    zend_string *dir = cache_directory(ZEND_THIS);
    if (!dir || !iterable_items(keys, &items)) RETURN_THROWS();
    array_init(return_value);
    ZEND_HASH_FOREACH_VAL(Z_ARRVAL(items), key) {
        zend_string *k = zval_get_string(key);
        zval module;
        if (cache_get(dir, k, &module)) zend_symtable_update(Z_ARRVAL_P(return_value), k, &module);
        else {
            zval copy;
            ZVAL_COPY(&copy, fallback ? fallback : &EG(uninitialized_zval));
            zend_symtable_update(Z_ARRVAL_P(return_value), k, &copy);
        }
        zend_string_release(k);
    } ZEND_HASH_FOREACH_END();
    zval_ptr_dtor(&items);
}

ZEND_METHOD(Wasm_Cache_Filesystem, setMultiple) {
    zval *values, *ttl = NULL, items, *value;
    zend_string *key;
    zend_ulong index;
    ZEND_PARSE_PARAMETERS_START(1, 2)
        Z_PARAM_ITERABLE(values)
        Z_PARAM_OPTIONAL
        Z_PARAM_ZVAL(ttl)
    ZEND_PARSE_PARAMETERS_END();
    zend_string *dir = cache_directory(ZEND_THIS);
    if (!dir || !iterable_items(values, &items)) RETURN_THROWS();
    ZEND_HASH_FOREACH_KEY_VAL(Z_ARRVAL(items), index, key, value) {
        zend_string *k = key ? zend_string_copy(key) : zend_long_to_str((zend_long)index);
        bool ok = cache_set(dir, k, value);
        zend_string_release(k);
        if (!ok) break;
    } ZEND_HASH_FOREACH_END();
    zval_ptr_dtor(&items);
}

ZEND_METHOD(Wasm_Cache_Filesystem, deleteMultiple) {
    zval *keys, items, *key;
    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_ITERABLE(keys)
    ZEND_PARSE_PARAMETERS_END();
    zend_string *dir = cache_directory(ZEND_THIS);
    if (!dir || !iterable_items(keys, &items)) RETURN_THROWS();
    ZEND_HASH_FOREACH_VAL(Z_ARRVAL(items), key) {
        zend_string *k = zval_get_string(key);
        cache_delete(dir, k);
        zend_string_release(k);
    } ZEND_HASH_FOREACH_END();
    zval_ptr_dtor(&items);
}

/* ------------------------------------------------------------------ registration */

void php_wasm_legacy_minit(int module_number) {
    le_bytes = zend_register_list_destructors_ex(bytes_dtor, NULL, "wasm_bytes", module_number);
    le_module = zend_register_list_destructors_ex(module_dtor, NULL, "wasm_module", module_number);
    le_instance = zend_register_list_destructors_ex(instance_dtor, NULL, "wasm_instance", module_number);
    le_value = zend_register_list_destructors_ex(value_dtor, NULL, "wasm_value", module_number);
    zend_hash_init(&persistent_modules, 4, NULL, persistent_dtor, 1);
#ifdef ZTS
    persistent_lock = tsrm_mutex_alloc();
#endif
    REGISTER_LONG_CONSTANT("WASM_TYPE_I32", WG_I32, CONST_CS | CONST_PERSISTENT);
    REGISTER_LONG_CONSTANT("WASM_TYPE_I64", WG_I64, CONST_CS | CONST_PERSISTENT);
    REGISTER_LONG_CONSTANT("WASM_TYPE_F32", WG_F32, CONST_CS | CONST_PERSISTENT);
    REGISTER_LONG_CONSTANT("WASM_TYPE_F64", WG_F64, CONST_CS | CONST_PERSISTENT);
    zend_register_functions(NULL, ext_functions, NULL, MODULE_PERSISTENT);

    ce_array_buffer = register_class_WasmArrayBuffer();
    ce_array_buffer->create_object = array_buffer_create;
    memcpy(&array_buffer_handlers, zend_get_std_object_handlers(), sizeof(zend_object_handlers));
    array_buffer_handlers.offset = XtOffsetOf(array_buffer, std);
    array_buffer_handlers.free_obj = array_buffer_free;
    array_buffer_handlers.clone_obj = NULL;
    ce_typed[0] = register_class_WasmInt8Array(zend_ce_arrayaccess);
    ce_typed[1] = register_class_WasmUint8Array(zend_ce_arrayaccess);
    ce_typed[2] = register_class_WasmInt16Array(zend_ce_arrayaccess);
    ce_typed[3] = register_class_WasmUint16Array(zend_ce_arrayaccess);
    ce_typed[4] = register_class_WasmInt32Array(zend_ce_arrayaccess);
    ce_typed[5] = register_class_WasmUint32Array(zend_ce_arrayaccess);
    memcpy(&typed_handlers, zend_get_std_object_handlers(), sizeof(zend_object_handlers));
    typed_handlers.offset = XtOffsetOf(typed_array, std);
    typed_handlers.free_obj = typed_free;
    typed_handlers.get_gc = typed_get_gc;
    typed_handlers.clone_obj = NULL;
    for (int i = 0; i < 6; i++) ce_typed[i]->create_object = typed_create;
    zend_class_entry *typed_interface = register_class_Wasm_TypedArray();
    register_class_Wasm_Int8Array(ce_typed[0], typed_interface);
    register_class_Wasm_Uint8Array(ce_typed[1], typed_interface);
    register_class_Wasm_Int16Array(ce_typed[2], typed_interface);
    register_class_Wasm_Uint16Array(ce_typed[3], typed_interface);
    register_class_Wasm_Int32Array(ce_typed[4], typed_interface);
    register_class_Wasm_Uint32Array(ce_typed[5], typed_interface);
    php_wasm_ce_InvocationException = register_class_Wasm_InvocationException(php_wasm_error_class(WG_ERR_ARGUMENT_ERROR));

    zend_class_entry *cache_interface = register_class_Wasm_Cache_CacheInterface();
    ce_cache_exception = register_class_Wasm_Cache_Exception(spl_ce_RuntimeException);
    ce_cache_invalid_argument = register_class_Wasm_Cache_InvalidArgumentException(ce_cache_exception);
    register_class_Wasm_Cache_Filesystem(cache_interface);

    /* Wasm\Module: 0.5.1's persistence flags, and \Serializable (serialize() is the artifact) */
    zend_declare_class_constant_bool(php_wasm_ce_Module, "PERSISTENT", sizeof("PERSISTENT") - 1, true);
    zend_declare_class_constant_bool(php_wasm_ce_Module, "VOLATILE", sizeof("VOLATILE") - 1, false);
    php_wasm_ce_Module->ce_flags &= ~ZEND_ACC_NOT_SERIALIZABLE;
    zend_class_implements(php_wasm_ce_Module, 1, zend_ce_serializable);
}

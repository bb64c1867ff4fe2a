/* The objects of the `wasm` extension: stores and their counting, what each
   object holds (create, free, garbage collection), and the handle accessors and
   wrappers the generated members of wasm.c use. */
#include "php_wasm_support.h"

static zend_object_handlers php_wasm_engine_handlers, php_wasm_store_handlers, php_wasm_module_handlers, php_wasm_extern_handlers,
    php_wasm_instance_handlers;

/* ------------------------------------------------------------------ stores */

static zend_always_inline php_wasm_store *php_wasm_store_addref(php_wasm_store *s) {
    s->refs++;
    return s;
}

static void php_wasm_store_release(php_wasm_store *s) {
    if (s && --s->refs == 0) {
        wg_store_delete(s->h); /* releases its host functions and externref values */
        php_wasm_store_detach(s);
        efree(s);
    }
}

php_wasm_store *php_wasm_store_hold(php_wasm_store *s, zval *store) {
    ZVAL_OBJ_COPY(store, s->obj);
    return php_wasm_store_addref(s);
}

void php_wasm_store_unhold(php_wasm_store **s, zval *store) {
    php_wasm_store_release(*s);
    *s = NULL;
    zval_ptr_dtor(store);
    ZVAL_UNDEF(store);
}

void php_wasm_store_detach(php_wasm_store *s) {
    void php_wasm_hosts_detach(php_wasm_store *s);
    php_wasm_hosts_detach(s);
    php_wasm_refs_detach(s);
}

/* ------------------------------------------------------------------ create, free */

#define PHP_WASM_ALLOC(type, ce, hnd)                                \
    type *o = zend_object_alloc(sizeof(type), ce);                   \
    zend_object_std_init(&o->std, ce);                               \
    object_properties_init(&o->std, ce);                             \
    o->std.handlers = &hnd;

static zend_object *php_wasm_engine_create(zend_class_entry *ce) {
    PHP_WASM_ALLOC(php_wasm_engine, ce, php_wasm_engine_handlers)
    return &o->std;
}

static void php_wasm_engine_free(zend_object *zo) {
    php_wasm_engine *o = PHP_WASM_OBJ(php_wasm_engine, zo);
    if (o->kept) php_wasm_kept_release(o->kept); /* the kept module owns the engine */
    else wg_engine_delete(o->h);
    o->kept = NULL;
    o->h = NULL;
    zend_object_std_dtor(zo);
}

static zend_object *php_wasm_store_create(zend_class_entry *ce) {
    PHP_WASM_ALLOC(php_wasm_store_obj, ce, php_wasm_store_handlers)
    ZVAL_UNDEF(&o->engine);
    return &o->std;
}

static void php_wasm_store_free(zend_object *zo) {
    php_wasm_store_obj *o = PHP_WASM_OBJ(php_wasm_store_obj, zo);
    php_wasm_store_release(o->s);
    o->s = NULL;
    zval_ptr_dtor(&o->engine);
    ZVAL_UNDEF(&o->engine);
    zend_object_std_dtor(zo);
}

static zend_object *php_wasm_module_create(zend_class_entry *ce) {
    PHP_WASM_ALLOC(php_wasm_module, ce, php_wasm_module_handlers)
    ZVAL_UNDEF(&o->store);
    return &o->std;
}

void php_wasm_module_clear(php_wasm_module *o) {
    if (o->kept) php_wasm_kept_release(o->kept); /* a kept module: deleted with its last count */
    else wg_module_delete(o->h);
    o->kept = NULL;
    o->h = NULL;
    php_wasm_store_unhold(&o->s, &o->store);
}

static void php_wasm_module_free(zend_object *zo) {
    php_wasm_module_clear(PHP_WASM_OBJ(php_wasm_module, zo));
    zend_object_std_dtor(zo);
}

static zend_object *php_wasm_extern_create(zend_class_entry *ce) {
    PHP_WASM_ALLOC(php_wasm_extern, ce, php_wasm_extern_handlers)
    ZVAL_UNDEF(&o->store);
    return &o->std;
}

static void php_wasm_extern_free(zend_object *zo) {
    php_wasm_extern *o = PHP_WASM_OBJ(php_wasm_extern, zo);
    wg_extern_delete(o->h); /* before the store it belongs to */
    o->h = NULL;
    php_wasm_store_unhold(&o->s, &o->store);
    if (o->kinds) efree(o->kinds);
    o->kinds = NULL;
    if (o->name) zend_string_release(o->name);
    o->name = NULL;
    zend_object_std_dtor(zo);
}

static zend_object *php_wasm_instance_create(zend_class_entry *ce) {
    PHP_WASM_ALLOC(php_wasm_instance, ce, php_wasm_instance_handlers)
    ZVAL_UNDEF(&o->store);
    ZVAL_UNDEF(&o->module);
    return &o->std;
}

static void php_wasm_instance_free(zend_object *zo) {
    php_wasm_instance *o = PHP_WASM_OBJ(php_wasm_instance, zo);
    zend_object_std_dtor(zo); /* the exports first */
    wg_instance_delete(o->h);
    o->h = NULL;
    php_wasm_store_unhold(&o->s, &o->store);
    zval_ptr_dtor(&o->module);
    ZVAL_UNDEF(&o->module);
}

/* What each object holds, for PHP's garbage collector. */
static HashTable *php_wasm_module_get_gc(zend_object *zo, zval **table, int *n) {
    *table = &PHP_WASM_OBJ(php_wasm_module, zo)->store;
    *n = 1;
    return zend_std_get_properties(zo);
}

static HashTable *php_wasm_extern_get_gc(zend_object *zo, zval **table, int *n) {
    *table = &PHP_WASM_OBJ(php_wasm_extern, zo)->store;
    *n = 1;
    return zend_std_get_properties(zo);
}

static HashTable *php_wasm_instance_get_gc(zend_object *zo, zval **table, int *n) {
    *table = &PHP_WASM_OBJ(php_wasm_instance, zo)->store; /* store, module */
    *n = 2;
    return zend_std_get_properties(zo);
}

/* The Store object owns its host callables and externref values (see php_wasm_store). */
HashTable *php_wasm_store_get_gc(zend_object *zo, zval **table, int *n) {
    void php_wasm_hosts_gc(php_wasm_store *s, zend_get_gc_buffer *buf);
    php_wasm_store_obj *o = PHP_WASM_OBJ(php_wasm_store_obj, zo);
    zend_get_gc_buffer *buf = zend_get_gc_buffer_create();
    zend_get_gc_buffer_add_zval(buf, &o->engine);
    php_wasm_hosts_gc(o->s, buf);
    php_wasm_refs_gc(o->s, buf);
    zend_get_gc_buffer_use(buf, table, n);
    return zend_std_get_properties(zo);
}

void php_wasm_handlers(zend_object_handlers *h, size_t offset, void (*free_obj)(zend_object *)) {
    memcpy(h, &std_object_handlers, sizeof *h);
    h->offset = (int)offset;
    h->free_obj = free_obj;
    h->clone_obj = NULL;
}

void php_wasm_objects_minit(void) {
    php_wasm_ce_Engine->create_object = php_wasm_engine_create;
    php_wasm_handlers(&php_wasm_engine_handlers, XtOffsetOf(php_wasm_engine, std), php_wasm_engine_free);
    php_wasm_ce_Store->create_object = php_wasm_store_create;
    php_wasm_handlers(&php_wasm_store_handlers, XtOffsetOf(php_wasm_store_obj, std), php_wasm_store_free);
    php_wasm_store_handlers.get_gc = php_wasm_store_get_gc;
    php_wasm_ce_Module->create_object = php_wasm_module_create;
    php_wasm_handlers(&php_wasm_module_handlers, XtOffsetOf(php_wasm_module, std), php_wasm_module_free);
    php_wasm_module_handlers.get_gc = php_wasm_module_get_gc;
    php_wasm_ce_Function_->create_object = php_wasm_extern_create;
    php_wasm_ce_Memory->create_object = php_wasm_extern_create;
    php_wasm_ce_Global_->create_object = php_wasm_extern_create;
    php_wasm_ce_Table->create_object = php_wasm_extern_create;
    php_wasm_handlers(&php_wasm_extern_handlers, XtOffsetOf(php_wasm_extern, std), php_wasm_extern_free);
    php_wasm_extern_handlers.get_gc = php_wasm_extern_get_gc;
    php_wasm_ce_Instance->create_object = php_wasm_instance_create;
    php_wasm_handlers(&php_wasm_instance_handlers, XtOffsetOf(php_wasm_instance, std), php_wasm_instance_free);
    php_wasm_instance_handlers.get_method = php_wasm_instance_get_method;
    php_wasm_instance_handlers.get_gc = php_wasm_instance_get_gc;
}

/* ------------------------------------------------------------------ accessors */

php_wasm_store_obj *php_wasm_store_obj_of(zend_object *zo) {
    php_wasm_store_obj *o = PHP_WASM_OBJ(php_wasm_store_obj, zo);
    if (UNEXPECTED(!o->s)) {
        PHP_WASM_NOT_INITIALIZED("Wasm\\Store");
        return NULL;
    }
    return o;
}

php_wasm_extern *php_wasm_extern_of(zend_object *zo) {
    php_wasm_extern *o = PHP_WASM_OBJ(php_wasm_extern, zo);
    if (UNEXPECTED(!o->h)) {
        PHP_WASM_NOT_INITIALIZED(ZSTR_VAL(zo->ce->name));
        return NULL;
    }
    return o;
}

php_wasm_module *php_wasm_module_of(zend_object *zo) {
    php_wasm_module *o = PHP_WASM_OBJ(php_wasm_module, zo);
    if (UNEXPECTED(!o->h)) {
        PHP_WASM_NOT_INITIALIZED("Wasm\\Module");
        return NULL;
    }
    return o;
}

zend_class_entry *php_wasm_extern_class(zend_long kind) {
    switch (kind) {
    case WG_EXTERN_FUNC: return php_wasm_ce_Function_;
    case WG_EXTERN_GLOBAL: return php_wasm_ce_Global_;
    case WG_EXTERN_TABLE: return php_wasm_ce_Table;
    case WG_EXTERN_MEMORY: return php_wasm_ce_Memory;
    }
    return NULL;
}

bool php_wasm_is_extern(zend_object *zo) {
    return zo->ce == php_wasm_ce_Function_ || zo->ce == php_wasm_ce_Global_ || zo->ce == php_wasm_ce_Table || zo->ce == php_wasm_ce_Memory;
}

/* ------------------------------------------------------------------ making objects */

zend_result php_wasm_engine_init(php_wasm_engine *o, zend_long compiler) {
    if (glue_engine_new(compiler, &o->h) == FAILURE) return FAILURE;
    o->compiler = compiler;
    return SUCCESS;
}

/* Makes `o` a store on `engine` (an Engine object), or on a new default engine. */
zend_result php_wasm_store_init(php_wasm_store_obj *o, zend_object *engine) {
    if (engine) {
        ZVAL_OBJ_COPY(&o->engine, engine);
    } else {
        object_init_ex(&o->engine, php_wasm_ce_Engine);
        if (php_wasm_engine_init(PHP_WASM_OBJ(php_wasm_engine, Z_OBJ(o->engine)), PHP_WASM_DEFAULT_COMPILER) == FAILURE) return FAILURE;
    }
    php_wasm_engine *e = PHP_WASM_OBJ(php_wasm_engine, Z_OBJ(o->engine));
    if (!e->h) {
        PHP_WASM_NOT_INITIALIZED("Wasm\\Engine");
        return FAILURE;
    }
    wg_store *h = NULL;
    if (glue_store_new(e->h, &h) == FAILURE) return FAILURE;
    o->s = emalloc(sizeof(php_wasm_store));
    o->s->h = h;
    o->s->refs = 1;
    o->s->obj = &o->std;
    o->s->hosts = NULL;
    o->s->values = NULL;
    return SUCCESS;
}

void php_wasm_module_fill(php_wasm_module *m, zend_object *store, wg_module *h) {
    m->h = h;
    m->s = php_wasm_store_hold(PHP_WASM_OBJ(php_wasm_store_obj, store)->s, &m->store);
}

/* Fills `o` (an object of the extern's class) with an owned glue extern, caching
   what each call needs. Deletes `h` on failure. */
zend_result php_wasm_extern_init(php_wasm_extern *o, php_wasm_store *s, wg_extern *h, zend_long kind) {
    o->h = h;
    o->s = php_wasm_store_hold(s, &o->store);
    o->kind = (uint8_t)kind;
    wg_extern_type *t = NULL;
    if (kind == WG_EXTERN_FUNC) {
        if (glue_function_type(h, &t) == FAILURE) return FAILURE;
        o->kinds = php_wasm_extern_type_kinds(t, &o->nparams, &o->nresults);
        wg_extern_type_delete(t);
        if (!o->kinds) return FAILURE;
    } else if (kind == WG_EXTERN_GLOBAL) {
        zend_long content = 0;
        if (glue_global_type(h, &t) == FAILURE) return FAILURE;
        zend_result rc = glue_extern_type_content(t, &content);
        if (rc == SUCCESS) rc = glue_extern_type_mutable(t, &o->is_mutable);
        wg_extern_type_delete(t);
        if (rc == FAILURE) return FAILURE;
        o->content = (uint8_t)content;
    }
    return SUCCESS;
}

/* A new Wasm\ object for an owned glue extern (deleted on failure). */
zend_result php_wasm_extern_wrap(php_wasm_store *s, wg_extern *h, zval *out) {
    zend_long kind = 0;
    if (glue_extern_kind(h, &kind) == FAILURE) {
        wg_extern_delete(h);
        return FAILURE;
    }
    zend_class_entry *ce = php_wasm_extern_class(kind);
    if (!ce) {
        wg_extern_delete(h);
        php_wasm_throw(WG_ERR_RUNTIME_ERROR, "unknown extern kind " ZEND_LONG_FMT, kind);
        return FAILURE;
    }
    object_init_ex(out, ce);
    if (php_wasm_extern_init(PHP_WASM_OBJ(php_wasm_extern, Z_OBJ_P(out)), s, h, kind) == FAILURE) {
        zval_ptr_dtor(out); /* frees h */
        ZVAL_UNDEF(out);
        return FAILURE;
    }
    return SUCCESS;
}

/* ------------------------------------------------------------------ for the generated members */

wg_store *php_wasm_store_unwrap(zend_object *zo) {
    php_wasm_store_obj *o = php_wasm_store_obj_of(zo);
    return o ? o->s->h : NULL;
}

php_wasm_store *php_wasm_store_context(zend_object *zo) {
    php_wasm_store_obj *o = PHP_WASM_OBJ(php_wasm_store_obj, zo);
    return o->s;
}

wg_module *php_wasm_module_unwrap(zend_object *zo) {
    php_wasm_module *o = php_wasm_module_of(zo);
    return o ? o->h : NULL;
}

php_wasm_store *php_wasm_module_context(zend_object *zo) {
    return PHP_WASM_OBJ(php_wasm_module, zo)->s;
}

zend_result php_wasm_module_construct(zend_object *zo, wg_module *h, php_wasm_store *s) {
    php_wasm_module *m = PHP_WASM_OBJ(php_wasm_module, zo);
    if (m->h) {
        wg_module_delete(h);
        zend_throw_error(NULL, "Wasm\\Module::__construct() cannot be called twice");
        return FAILURE;
    }
    m->h = h;
    m->s = php_wasm_store_hold(s, &m->store);
    return SUCCESS;
}

zend_result php_wasm_module_wrap_new(wg_module *h, php_wasm_store *s, zval *out) {
    object_init_ex(out, php_wasm_ce_Module);
    return php_wasm_module_construct(Z_OBJ_P(out), h, s);
}

wg_instance *php_wasm_instance_unwrap(zend_object *zo) {
    php_wasm_instance *o = PHP_WASM_OBJ(php_wasm_instance, zo);
    if (UNEXPECTED(!o->h)) {
        PHP_WASM_NOT_INITIALIZED("Wasm\\Instance");
        return NULL;
    }
    return o->h;
}

php_wasm_store *php_wasm_instance_context(zend_object *zo) {
    return PHP_WASM_OBJ(php_wasm_instance, zo)->s;
}

wg_extern *php_wasm_extern_unwrap(zend_object *zo) {
    php_wasm_extern *o = php_wasm_extern_of(zo);
    return o ? o->h : NULL;
}

php_wasm_store *php_wasm_extern_context(zend_object *zo) {
    return PHP_WASM_OBJ(php_wasm_extern, zo)->s;
}

zend_result php_wasm_extern_wrap_handle(wg_extern *h, php_wasm_store *s, zval *out) {
    return php_wasm_extern_wrap(s, h, out);
}

/* The constructor of Memory, Global_ or Table made from a glue extern. */
zend_result php_wasm_extern_init_kind(zend_object *zo, wg_extern *h, php_wasm_store *s) {
    php_wasm_extern *o = PHP_WASM_OBJ(php_wasm_extern, zo);
    zend_long kind = 0;
    if (o->h) {
        wg_extern_delete(h);
        zend_throw_error(NULL, "%s::__construct() cannot be called twice", ZSTR_VAL(zo->ce->name));
        return FAILURE;
    }
    if (glue_extern_kind(h, &kind) == FAILURE) {
        wg_extern_delete(h);
        return FAILURE;
    }
    return php_wasm_extern_init(o, s, h, kind);
}

/* templates/c/runtime/lifetimes.c: plain C of the shared glue, rendered verbatim into wasmgen.c. */

/* ------------------------------------------------------------------ deferred deletes */

static pthread_mutex_t wg_defer_lock = PTHREAD_MUTEX_INITIALIZER;
static struct wg_deferred { wg_deleter deleter; void *handle; } *wg_deferred;
static size_t wg_deferred_len, wg_deferred_cap;
static volatile int wg_deferred_any;

void wg_defer_delete(wg_deleter deleter, void *handle) {
    if (!deleter || !handle) return;
    pthread_mutex_lock(&wg_defer_lock);
    if (wg_deferred_len == wg_deferred_cap) {
        size_t cap = wg_deferred_cap ? wg_deferred_cap * 2 : 64;
        struct wg_deferred *grown = realloc(wg_deferred, cap * sizeof *grown);
        if (!grown) {
            pthread_mutex_unlock(&wg_defer_lock);
            return; /* leak rather than delete on the wrong thread */
        }
        wg_deferred = grown;
        wg_deferred_cap = cap;
    }
    wg_deferred[wg_deferred_len++] = (struct wg_deferred){deleter, handle};
    wg_deferred_any = 1;
    pthread_mutex_unlock(&wg_defer_lock);
}

/* Runs the deletes queued so far; one whose store is busy on another thread
   queues itself again (every delete only ever try-locks its store). */
void wg_drain(void) {
    if (!wg_deferred_any) return;
    pthread_mutex_lock(&wg_defer_lock);
    struct wg_deferred *items = wg_deferred;
    size_t n = wg_deferred_len;
    wg_deferred = NULL;
    wg_deferred_len = wg_deferred_cap = 0;
    wg_deferred_any = 0;
    pthread_mutex_unlock(&wg_defer_lock);
    for (size_t i = 0; i < n; i++) items[i].deleter(items[i].handle);
    free(items);
}

/* ------------------------------------------------------------------ handles */

/* Counted (atomically): the language's Engine handle and every store made with it. */
struct wg_engine { wasm_engine_t *engine; size_t refs; };
/* Counted: the language's Store handle and every extern/instance made in it hold
   a reference, so the glue can always reach the store (to make externrefs).
   libwasmer's store is not thread-safe (an Rc shared by every extern of it), so
   every glue function acting in a store holds its recursive `lock` (api.yaml's
   `in_store`), and `refs` changes only under it. A host function may re-enter its
   store on the same thread; deletes only try the lock and are queued when it is
   busy, so a finalizer never blocks. */
struct wg_store { wasm_store_t *store; size_t refs; wg_engine *engine; pthread_mutex_t lock; };
struct wg_module {
    wasm_module_t *module;
    wasm_importtype_vec_t imports;
    wasm_exporttype_vec_t exports;
};
struct wg_extern_type {
    uint8_t kind;
    char *module;
    char *name;
    wasm_externtype_t *type;
};
/* Function, Memory, Global, Table and Extern: one struct, so any export can be
   given back as an import. Functions cache their signature: params then results. */
struct wg_extern {
    wasm_extern_t *ext;
    wg_store *store; /* a counted reference */
    uint8_t kind;
    uint8_t host; /* a host function (made by wg_function_new_host, or re-exported by an instance) */
    struct wg_host_env *env; /* made by wg_function_new_host: its callable (a counted reference); `ext` is
                                then NULL until the function is first called directly (wg_materialize) */
    uint32_t nparams, nresults;
    uint8_t *kinds;
    wg_val *scratch; /* Function.scratch: params then results */
    wasmgen_fast_func_t *fast; /* the typed call of `ext`, when its signature has one (wg_fast_attach) */
};
struct wg_imports {
    size_t len, cap;
    struct wg_import {
        char *module, *name;
        wasm_extern_t *ext;
        uint8_t host;
        wg_store *store;           /* the store of `ext` (a counted reference) */
        struct wg_host_env *env;   /* a counted reference, for a host function made by new_host */
        struct wg_wasi_env *wasi;  /* a user (see wg_wasi_env), for an import defined by WasiEnv */
    } *items;
};
struct wg_instance {
    wasm_instance_t *instance;
    wg_store *store; /* a counted reference */
    wasm_extern_vec_t exports;
    wasm_exporttype_vec_t export_types;
    uint8_t *export_host; /* per export: a host function re-exported from the imports */
    struct wg_wasi_env *wasi; /* a user, when the instance is a WASI program */
};

struct wg_wasi_env;
static void wg_wasi_env_unuse_locked(struct wg_wasi_env *w);

void wg_engine_delete(wg_engine *self) {
    if (!self || __atomic_sub_fetch(&self->refs, 1, __ATOMIC_ACQ_REL)) return;
    wasm_engine_delete(self->engine);
    free(self);
}

/* ------------------------------------------------------------------ store locks */

static wg_blocking_region_fn wg_blocking_region;

void wg_set_blocking_region(wg_blocking_region_fn region) { wg_blocking_region = region; }

static void wg_lock_blocking(void *store) { pthread_mutex_lock(&((wg_store *)store)->lock); }

/* Takes a store's lock; when another thread holds it, waits outside the language's
   own global lock if it registered one (wg_set_blocking_region). */
static wg_store *wg_lock(wg_store *s) {
    if (!s || pthread_mutex_trylock(&s->lock) == 0) return s;
    if (wg_blocking_region) wg_blocking_region(wg_lock_blocking, s);
    else pthread_mutex_lock(&s->lock);
    return s;
}

/* Unlocks, then runs the deletes other threads queued meanwhile (finalizers that
   found the store busy), so they wait no longer than the call that held it. */
static void wg_unlock(wg_store *s) {
    if (!s) return;
    pthread_mutex_unlock(&s->lock);
    if (wg_deferred_any) wg_drain();
}

/* A new store of `engine`, counted once for the caller. */
static int wg_store_make(wg_engine *engine, wg_store **out) {
    wasm_store_t *store = wasm_store_new(engine->engine);
    if (!store) return wg_fail_wasmer(WG_ERR_RUNTIME_ERROR, "cannot create store");
    wg_store *s = malloc(sizeof *s);
    pthread_mutexattr_t attr;
    if (!s || pthread_mutexattr_init(&attr)) {
        free(s);
        wasm_store_delete(store);
        return wg_fail(WG_ERR_RUNTIME_ERROR, "out of memory");
    }
    pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
    pthread_mutex_init(&s->lock, &attr);
    pthread_mutexattr_destroy(&attr);
    s->store = store;
    s->refs = 1;
    s->engine = engine;
    __atomic_add_fetch(&engine->refs, 1, __ATOMIC_ACQ_REL);
    *out = s;
    return WG_OK;
}

/* Under the store's lock. */
static wg_store *wg_store_retain(wg_store *self) {
    self->refs++;
    return self;
}

/* Drops one reference, with the lock taken once by the caller, and unlocks. */
static void wg_store_release_locked(wg_store *self) {
    size_t left = --self->refs;
    pthread_mutex_unlock(&self->lock);
    if (left) return;
    wasm_store_delete(self->store); /* nothing else refers to it: runs the host functions' finalizers */
    pthread_mutex_destroy(&self->lock);
    wg_engine_delete(self->engine);
    free(self);
}

/* Takes the store's lock if no other thread holds it; else queues `deleter(handle)`. */
static int wg_lock_or_defer(wg_store *store, wg_deleter deleter, void *handle) {
    if (pthread_mutex_trylock(&store->lock) == 0) return 1;
    wg_defer_delete(deleter, handle);
    return 0;
}

void wg_store_delete(wg_store *self) {
    if (!self || !wg_lock_or_defer(self, (wg_deleter)wg_store_delete, self)) return;
    wg_store_release_locked(self);
}

void wg_module_delete(wg_module *self) {
    if (!self) return;
    if (self->imports.data) wasm_importtype_vec_delete(&self->imports);
    if (self->exports.data) wasm_exporttype_vec_delete(&self->exports);
    wasm_module_delete(self->module);
    free(self);
}

void wg_extern_type_delete(wg_extern_type *self) {
    if (!self) return;
    free(self->module);
    free(self->name);
    wasm_externtype_delete(self->type);
    free(self);
}

static void wg_host_env_unref(struct wg_host_env *env);
static void wg_fast_attach(wg_extern *w);
static void wg_fast_detach(wg_extern *w);

void wg_extern_delete(wg_extern *self) {
    if (!self || !wg_lock_or_defer(self->store, (wg_deleter)wg_extern_delete, self)) return;
    wg_store *store = self->store;
    wg_fast_detach(self);
    if (self->ext) wasm_extern_delete(self->ext);
    if (self->env) wg_host_env_unref(self->env);
    free(self->kinds);
    free(self->scratch);
    free(self);
    wg_store_release_locked(store);
}

/* Drops one import's extern under its store's lock (waiting for it when `wait`
   is set); false when the store is busy and not waited for. */
static int wg_import_clear(struct wg_import *it, int wait) {
    if (it->store) {
        if (wait) pthread_mutex_lock(&it->store->lock);
        else if (pthread_mutex_trylock(&it->store->lock) != 0) return 0;
        if (it->ext) wasm_extern_delete(it->ext);
        it->ext = NULL;
        if (it->wasi) wg_wasi_env_unuse_locked(it->wasi);
        it->wasi = NULL;
        wg_store_release_locked(it->store);
        it->store = NULL;
    }
    if (it->env) wg_host_env_unref(it->env);
    it->env = NULL;
    return 1;
}

void wg_imports_delete(wg_imports *self) {
    if (!self) return;
    int done = 1;
    for (size_t i = 0; i < self->len; i++) done &= wg_import_clear(&self->items[i], 0);
    if (!done) {
        wg_defer_delete((wg_deleter)wg_imports_delete, self);
        return;
    }
    for (size_t i = 0; i < self->len; i++) {
        free(self->items[i].module);
        free(self->items[i].name);
    }
    free(self->items);
    free(self);
}

void wg_instance_delete(wg_instance *self) {
    if (!self || !wg_lock_or_defer(self->store, (wg_deleter)wg_instance_delete, self)) return;
    wg_store *store = self->store;
    wasm_extern_vec_delete(&self->exports);
    wasm_exporttype_vec_delete(&self->export_types);
    wasm_instance_delete(self->instance);
    if (self->wasi) wg_wasi_env_unuse_locked(self->wasi);
    free(self->export_host);
    free(self);
    wg_store_release_locked(store);
}

/* Wraps an owned wasm_module_t, caching its import and export types. */
static int wg_wrap_module(wasm_module_t *module, wg_module **out) {
    wg_module *m = calloc(1, sizeof *m);
    if (!m) {
        wasm_module_delete(module);
        return wg_fail(WG_ERR_RUNTIME_ERROR, "out of memory");
    }
    m->module = module;
    wasm_module_imports(module, &m->imports);
    wasm_module_exports(module, &m->exports);
    *out = m;
    return WG_OK;
}

static int wg_vec_kinds(const wasm_valtype_vec_t *vec, uint8_t *into) {
    for (size_t i = 0; i < vec->size; i++) into[i] = (uint8_t)wasm_valtype_kind(vec->data[i]);
    return (int)vec->size;
}

/* Wraps an owned wasm_extern_t of `store`; caches a function's signature. */
static int wg_wrap_extern(wg_store *store, wasm_extern_t *ext, wg_extern **out) {
    if (!ext) return wg_fail_wasmer(WG_ERR_RUNTIME_ERROR, "no extern");
    wg_extern *w = calloc(1, sizeof *w);
    if (!w) {
        wasm_extern_delete(ext);
        return wg_fail(WG_ERR_RUNTIME_ERROR, "out of memory");
    }
    w->ext = ext;
    w->store = wg_store_retain(store);
    w->kind = (uint8_t)wasm_extern_kind(ext);
    if (w->kind == WASM_EXTERN_FUNC) {
        wasm_functype_t *ft = wasm_func_type(wasm_extern_as_func(ext));
        const wasm_valtype_vec_t *ps = wasm_functype_params(ft), *rs = wasm_functype_results(ft);
        w->nparams = (uint32_t)ps->size;
        w->nresults = (uint32_t)rs->size;
        w->kinds = malloc(ps->size + rs->size + 1);
        if (w->kinds) {
            wg_vec_kinds(ps, w->kinds);
            wg_vec_kinds(rs, w->kinds + ps->size);
        }
        wasm_functype_delete(ft);
        wg_fast_attach(w);
    }
    *out = w;
    return WG_OK;
}

static int wg_make_extern_type(const wasm_externtype_t *type, const wasm_name_t *module,
                               const wasm_name_t *name, wg_extern_type **out) {
    wg_extern_type *t = calloc(1, sizeof *t);
    if (!t) return wg_fail(WG_ERR_RUNTIME_ERROR, "out of memory");
    t->kind = (uint8_t)wasm_externtype_kind(type);
    t->type = wasm_externtype_copy((wasm_externtype_t *)type);
    t->module = module ? wg_strndup(module->data ? module->data : "", module->size) : wg_strndup("", 0);
    t->name = name ? wg_strndup(name->data ? name->data : "", name->size) : wg_strndup("", 0);
    *out = t;
    return WG_OK;
}

static const wasm_functype_t *wg_as_functype(const wg_extern_type *t) {
    return t->kind == WASM_EXTERN_FUNC ? wasm_externtype_as_functype_const(t->type) : NULL;
}

static const wasm_limits_t *wg_limits(const wg_extern_type *t) {
    if (t->kind == WASM_EXTERN_MEMORY) return wasm_memorytype_limits(wasm_externtype_as_memorytype_const(t->type));
    if (t->kind == WASM_EXTERN_TABLE) return wasm_tabletype_limits(wasm_externtype_as_tabletype_const(t->type));
    return NULL;
}

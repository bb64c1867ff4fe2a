/* templates/c/runtime/wasi.c: plain C of the shared glue, rendered verbatim into wasmgen.c. */

/* ------------------------------------------------------------------ WASI */

/* A configuration is plain data of the glue (libwasmer's wasi_config_t is consumed
   by wasi_env_new, so it is built from this at WasiEnv.new). */
struct wg_wasi_config {
    char *program;
    char **args, **env, **preopens, **maps; /* env: key, value pairs; maps: alias, path pairs */
    size_t nargs, nenv, npreopens, nmaps;
    uint8_t inherit[3], capture[3];         /* per stream: 0 stdin, 1 stdout, 2 stderr */
    uint8_t *stdin_data;
    size_t stdin_len;
    int has_stdin;
};

struct wg_wasi_buf { uint8_t *data; size_t len, cap; };

/* A program's state. `users` counts the handle, each Imports entry and each
   instance made from it (under the store's lock): at 0 the wasi_env_t is deleted.
   `refs` counts `users` (as one) and the two stream functions, which the store
   frees only with itself: at 0 the struct is freed. Standard streams go through
   the glue's own fd_write / fd_read (capture, discard, stdin data); everything
   else is libwasmer's. */
struct wg_wasi_env {
    wg_store *store; /* a counted reference, while `users` */
    wg_wasi_config *config; /* its own copy (streams, stdin), while `users` */
    wasi_env_t *env;
    int attached;    /* an instance initialized it: libwasmer can delete it (it aborts otherwise) */
    size_t users, refs;
    struct wg_wasi_buf out[3];
    size_t stdin_pos;              /* in config->stdin_data */
    wasm_memory_t *memory;           /* the instance's (owned copy), once instantiated */
    wasm_func_t *fd_write, *fd_read; /* libwasmer's (owned) */
};

static int wg_strv_push(char ***v, size_t *n, const char *s, size_t len) {
    char *copy = wg_strndup(s, len);
    char **grown = copy ? realloc(*v, (*n + 1) * sizeof *grown) : NULL;
    if (!grown) {
        free(copy);
        return wg_fail(WG_ERR_RUNTIME_ERROR, "out of memory");
    }
    grown[(*n)++] = copy;
    *v = grown;
    return WG_OK;
}

static void wg_strv_free(char **v, size_t n) {
    for (size_t i = 0; i < n; i++) free(v[i]);
    free(v);
}

void wg_wasi_config_delete(wg_wasi_config *self) {
    if (!self) return;
    free(self->program);
    wg_strv_free(self->args, self->nargs);
    wg_strv_free(self->env, self->nenv);
    wg_strv_free(self->preopens, self->npreopens);
    wg_strv_free(self->maps, self->nmaps);
    free(self->stdin_data);
    free(self);
}

static int wg_strv_copy(char ***to, size_t *nto, char **from, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (wg_strv_push(to, nto, from[i], strlen(from[i])) != WG_OK) return WG_ERR_RUNTIME_ERROR;
    return WG_OK;
}

/* A deep copy (a WasiEnv keeps its own: the configuration stays usable). */
static wg_wasi_config *wg_wasi_config_copy(const wg_wasi_config *c) {
    wg_wasi_config *k = calloc(1, sizeof *k);
    if (!k || !(k->program = wg_strndup(c->program, strlen(c->program))) ||
        wg_strv_copy(&k->args, &k->nargs, c->args, c->nargs) || wg_strv_copy(&k->env, &k->nenv, c->env, c->nenv) ||
        wg_strv_copy(&k->preopens, &k->npreopens, c->preopens, c->npreopens) ||
        wg_strv_copy(&k->maps, &k->nmaps, c->maps, c->nmaps) ||
        (c->has_stdin && !(k->stdin_data = malloc(c->stdin_len ? c->stdin_len : 1)))) {
        wg_wasi_config_delete(k);
        return NULL;
    }
    memcpy(k->inherit, c->inherit, 3);
    memcpy(k->capture, c->capture, 3);
    if (c->has_stdin) memcpy(k->stdin_data, c->stdin_data, c->stdin_len);
    k->stdin_len = c->stdin_len;
    k->has_stdin = c->has_stdin;
    return k;
}

/* libwasmer's env, made from the configuration when first needed (an env made
   and never run by an instance cannot be deleted: see wg_wasi_env_unuse_locked). */
static int wg_wasi_make(struct wg_wasi_env *w) {
    if (w->env) return WG_OK;
    const wg_wasi_config *config = w->config;
    wasi_config_t *c = wasi_config_new(config->program);
    if (!c) return wg_fail_wasmer(WG_ERR_ARGUMENT_ERROR, "invalid WASI program name");
    for (size_t i = 0; i < config->nargs; i++) wasi_config_arg(c, config->args[i]);
    for (size_t i = 0; i + 1 < config->nenv; i += 2) wasi_config_env(c, config->env[i], config->env[i + 1]);
    int ok = 1;
    for (size_t i = 0; i < config->npreopens && ok; i++) ok = wasi_config_preopen_dir(c, config->preopens[i]);
    for (size_t i = 0; i + 1 < config->nmaps && ok; i += 2) ok = wasi_config_mapdir(c, config->maps[i], config->maps[i + 1]);
    /* libwasmer's own stdout/stderr stay closed to the host unless inherited (the
       glue's fd_write captures or discards); its stdin is the host's: the glue's
       fd_read stands in front of it */
    if (config->inherit[1]) wasi_config_inherit_stdout(c);
    else wasi_config_capture_stdout(c);
    if (config->inherit[2]) wasi_config_inherit_stderr(c);
    else wasi_config_capture_stderr(c);
    w->env = wasi_env_new(w->store->store, c); /* takes the configuration, made or not */
    if (!ok) return wg_fail_wasmer(WG_ERR_ARGUMENT_ERROR, "cannot give the directory to the program");
    if (!w->env) return wg_fail_wasmer(WG_ERR_RUNTIME_ERROR, "cannot create the WASI environment");
    return WG_OK;
}

static void wg_wasi_env_free(struct wg_wasi_env *w) {
    if (__atomic_sub_fetch(&w->refs, 1, __ATOMIC_ACQ_REL)) return;
    for (int i = 0; i < 3; i++) free(w->out[i].data);
    free(w);
}

/* libwasmer aborts deleting an env that no instance initialized (imports made, then
   the instantiation failed): it gets a memory-only instance first. If even that
   fails, the env is left to the process rather than aborting it. */
static void wg_wasi_settle(struct wg_wasi_env *w) {
    static const uint8_t memory_only[] = {
        0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,                  /* \0asm, version 1 */
        0x05, 0x03, 0x01, 0x00, 0x01,                                    /* (memory 1) */
        0x07, 0x0a, 0x01, 0x06, 'm', 'e', 'm', 'o', 'r', 'y', 0x02, 0x00, /* (export "memory" (memory 0)) */
    };
    wasm_byte_vec_t bytes = {sizeof memory_only, (wasm_byte_t *)memory_only};
    wasm_module_t *module = wasm_module_new(w->store->store, &bytes);
    wasm_extern_vec_t none = WASM_EMPTY_VEC;
    wasm_instance_t *instance = module ? wasm_instance_new(w->store->store, module, &none, NULL) : NULL;
    if (instance && wasi_env_initialize_instance(w->env, w->store->store, instance)) w->attached = 1;
    else w->env = NULL; /* left to the process */
    if (instance) wasm_instance_delete(instance);
    if (module) wasm_module_delete(module);
}

/* Under the store's lock; the caller releases its store reference after. */
static void wg_wasi_env_unuse_locked(struct wg_wasi_env *w) {
    if (--w->users) return;
    if (w->memory) wasm_memory_delete(w->memory);
    if (w->fd_write) wasm_func_delete(w->fd_write);
    if (w->fd_read) wasm_func_delete(w->fd_read);
    w->memory = NULL;
    w->fd_write = w->fd_read = NULL;
    if (w->env && !w->attached) wg_wasi_settle(w);
    if (w->env && w->attached) wasi_env_delete(w->env);
    w->env = NULL;
    wg_wasi_config_delete(w->config);
    w->config = NULL;
    wg_wasi_env_free(w);
}

void wg_wasi_env_delete(wg_wasi_env *self) {
    if (!self || !wg_lock_or_defer(self->store, (wg_deleter)wg_wasi_env_delete, self)) return;
    wg_store *store = self->store;
    wg_wasi_env_unuse_locked(self);
    wg_store_release_locked(store);
}

static int wg_wasi_take(struct wg_wasi_buf *buf, wg_bytes *out) {
    int rc = wg_out_bytes(out, buf->data ? buf->data : (const uint8_t *)"", buf->len);
    buf->len = 0;
    return rc;
}

/* The iovec array (ciovec: u32 pointer, u32 length) at `iovs` in the program's
   memory, bounds-checked; NULL when out of bounds. */
static uint8_t *wg_wasi_iovecs(struct wg_wasi_env *w, uint32_t iovs, uint32_t n, size_t *size) {
    if (!w->memory) return NULL;
    uint8_t *mem = (uint8_t *)wasm_memory_data(w->memory);
    *size = wasm_memory_data_size(w->memory);
    if ((uint64_t)iovs + (uint64_t)n * 8 > *size) return NULL;
    return mem;
}

static uint32_t wg_le32(const uint8_t *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24; }

static void wg_put_le32(uint8_t *p, uint32_t v) {
    p[0] = (uint8_t)v, p[1] = (uint8_t)(v >> 8), p[2] = (uint8_t)(v >> 16), p[3] = (uint8_t)(v >> 24);
}

#define WG_WASI_ERRNO_FAULT 21

/* One iovec of a standard stream call: `len` bytes at `data` in the program's
   memory; returns how many were moved, or SIZE_MAX when out of memory. */
typedef size_t (*wg_wasi_io)(struct wg_wasi_env *w, int32_t fd, uint8_t *data, uint32_t len);

/* fd_write / fd_read (fd, iovs, iovs_len, nbytes) -> errno: `ours` (the streams the
   glue serves) goes through `io` iovec by iovec, with every pointer checked against
   the program's memory; any other call is libwasmer's `orig`. */
static wasm_trap_t *wg_wasi_stream(struct wg_wasi_env *w, wasm_func_t *orig, int ours, wg_wasi_io io,
                                   const wasm_val_vec_t *args, wasm_val_vec_t *results) {
    if (!ours || !orig) {
        if (orig) return wasm_func_call(orig, args, results);
        results->data[0] = (wasm_val_t)WASM_I32_VAL(8 /* badf */);
        return NULL;
    }
    int32_t fd = args->data[0].of.i32;
    uint32_t iovs = (uint32_t)args->data[1].of.i32, n = (uint32_t)args->data[2].of.i32;
    uint32_t nbytes = (uint32_t)args->data[3].of.i32;
    size_t size;
    uint8_t *mem = wg_wasi_iovecs(w, iovs, n, &size);
    uint64_t total = 0;
    int ok = mem && (uint64_t)nbytes + 4 <= size;
    for (uint32_t i = 0; ok && i < n; i++) {
        uint32_t ptr = wg_le32(mem + iovs + 8 * i), len = wg_le32(mem + iovs + 8 * i + 4);
        if ((uint64_t)ptr + len > size) {
            ok = 0;
            break;
        }
        size_t moved = io(w, fd, mem + ptr, len);
        if (moved == SIZE_MAX) return wasm_trap_new(NULL, &(wasm_message_t){22, "captured output: out of memory"});
        total += moved;
    }
    if (ok) wg_put_le32(mem + nbytes, (uint32_t)total);
    results->data[0] = (wasm_val_t)WASM_I32_VAL(ok ? 0 : WG_WASI_ERRNO_FAULT);
    return NULL;
}

/* stdout / stderr: kept when captured, else discarded (counted as written). */
static size_t wg_wasi_put(struct wg_wasi_env *w, int32_t fd, uint8_t *data, uint32_t len) {
    struct wg_wasi_buf *b = &w->out[fd];
    if (!w->config->capture[fd] || !len) return len;
    if (b->len + len > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + len) cap *= 2;
        uint8_t *grown = realloc(b->data, cap);
        if (!grown) return SIZE_MAX;
        b->data = grown;
        b->cap = cap;
    }
    memcpy(b->data + b->len, data, len);
    b->len += len;
    return len;
}

/* stdin: the configured bytes, then end of file. */
static size_t wg_wasi_get(struct wg_wasi_env *w, int32_t fd, uint8_t *data, uint32_t len) {
    (void)fd;
    const wg_wasi_config *c = w->config;
    size_t take = c->stdin_len - w->stdin_pos < len ? c->stdin_len - w->stdin_pos : len;
    if (take) memcpy(data, c->stdin_data + w->stdin_pos, take);
    w->stdin_pos += take;
    return take;
}

/* fd_write: stdout and stderr are the glue's unless inherited. */
static wasm_trap_t *wg_wasi_fd_write(void *envp, const wasm_val_vec_t *args, wasm_val_vec_t *results) {
    struct wg_wasi_env *w = envp;
    int32_t fd = args->data[0].of.i32;
    int ours = w->config && (fd == 1 || fd == 2) && !w->config->inherit[fd];
    return wg_wasi_stream(w, w->fd_write, ours, wg_wasi_put, args, results);
}

/* fd_read: stdin is the glue's unless inherited. */
static wasm_trap_t *wg_wasi_fd_read(void *envp, const wasm_val_vec_t *args, wasm_val_vec_t *results) {
    struct wg_wasi_env *w = envp;
    int ours = w->config && args->data[0].of.i32 == 0 && !w->config->inherit[0];
    return wg_wasi_stream(w, w->fd_read, ours, wg_wasi_get, args, results);
}

static void wg_wasi_stream_finalize(void *envp) { wg_wasi_env_free(envp); }

/* The glue's function standing for libwasmer's `orig` (same type) in the env's store. */
static wasm_extern_t *wg_wasi_wrap(struct wg_wasi_env *w, const wasm_extern_t *orig, wasm_func_callback_with_env_t cb) {
    wasm_functype_t *type = wasm_func_type(wasm_extern_as_func((wasm_extern_t *)orig));
    wasm_func_t *func = wasm_func_new_with_env(w->store->store, type, cb, w, wg_wasi_stream_finalize);
    wasm_functype_delete(type);
    if (!func) return NULL;
    __atomic_add_fetch(&w->refs, 1, __ATOMIC_ACQ_REL);
    return wasm_func_as_extern(func);
}

/* After an instance of a module with WASI imports from `w` is made: the program's
   memory, and libwasmer's own initialization. Under the store's lock. */
static int wg_wasi_attach(struct wg_wasi_env *w, wg_store *store, wasm_instance_t *instance,
                          const wasm_extern_vec_t *exports, const wasm_exporttype_vec_t *types) {
    if (w->memory) return wg_fail(WG_ERR_LINK_ERROR, "this WASI environment already runs an instance: make one per instance");
    for (size_t i = 0; i < types->size; i++) {
        const wasm_name_t *name = wasm_exporttype_name(types->data[i]);
        if (name->size == 6 && memcmp(name->data, "memory", 6) == 0 &&
            wasm_extern_kind(exports->data[i]) == WASM_EXTERN_MEMORY)
            w->memory = wasm_memory_copy(wasm_extern_as_memory(exports->data[i]));
    }
    if (!w->memory) return wg_fail(WG_ERR_LINK_ERROR, "a WASI module must export its memory as \"memory\"");
    if (!wasi_env_initialize_instance(w->env, store->store, instance))
        return wg_fail_wasmer(WG_ERR_RUNTIME_ERROR, "cannot initialize the WASI environment");
    w->attached = 1;
    w->users++;
    return WG_OK;
}

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
    wasi_env_t *env;
    size_t users, refs;
    uint8_t inherit[3], capture[3];
    struct wg_wasi_buf out[3];
    uint8_t *stdin_data;
    size_t stdin_len, stdin_pos;
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

static void wg_wasi_env_free(struct wg_wasi_env *w) {
    if (__atomic_sub_fetch(&w->refs, 1, __ATOMIC_ACQ_REL)) return;
    for (int i = 0; i < 3; i++) free(w->out[i].data);
    free(w->stdin_data);
    free(w);
}

/* Under the store's lock; the caller releases its store reference after. */
static void wg_wasi_env_unuse_locked(struct wg_wasi_env *w) {
    if (--w->users) return;
    if (w->memory) wasm_memory_delete(w->memory);
    if (w->fd_write) wasm_func_delete(w->fd_write);
    if (w->fd_read) wasm_func_delete(w->fd_read);
    w->memory = NULL;
    w->fd_write = w->fd_read = NULL;
    wasi_env_delete(w->env);
    w->env = NULL;
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

/* fd_write(fd, iovs, iovs_len, nwritten) -> errno: stdout and stderr captured or
   discarded here unless inherited; the rest is libwasmer's. */
static wasm_trap_t *wg_wasi_fd_write(void *envp, const wasm_val_vec_t *args, wasm_val_vec_t *results) {
    struct wg_wasi_env *w = envp;
    int32_t fd = args->data[0].of.i32;
    if ((fd != 1 && fd != 2) || w->inherit[fd] || !w->fd_write) {
        wasm_trap_t *trap = w->fd_write ? wasm_func_call(w->fd_write, args, results) : NULL;
        if (!w->fd_write) results->data[0] = (wasm_val_t)WASM_I32_VAL(8 /* badf */);
        return trap;
    }
    uint32_t iovs = (uint32_t)args->data[1].of.i32, n = (uint32_t)args->data[2].of.i32;
    uint32_t nwritten = (uint32_t)args->data[3].of.i32;
    size_t size;
    uint8_t *mem = wg_wasi_iovecs(w, iovs, n, &size);
    uint64_t total = 0;
    int ok = mem && (uint64_t)nwritten + 4 <= size;
    for (uint32_t i = 0; ok && i < n; i++) {
        uint32_t ptr = wg_le32(mem + iovs + 8 * i), len = wg_le32(mem + iovs + 8 * i + 4);
        if ((uint64_t)ptr + len > size) {
            ok = 0;
            break;
        }
        if (w->capture[fd] && len) {
            struct wg_wasi_buf *b = &w->out[fd];
            if (b->len + len > b->cap) {
                size_t cap = b->cap ? b->cap : 256;
                while (cap < b->len + len) cap *= 2;
                uint8_t *grown = realloc(b->data, cap);
                if (!grown) return wasm_trap_new(NULL, &(wasm_message_t){22, "captured output: out of memory"});
                b->data = grown;
                b->cap = cap;
            }
            memcpy(b->data + b->len, mem + ptr, len);
            b->len += len;
        }
        total += len;
    }
    if (ok) wg_put_le32(mem + nwritten, (uint32_t)total);
    results->data[0] = (wasm_val_t)WASM_I32_VAL(ok ? 0 : WG_WASI_ERRNO_FAULT);
    return NULL;
}

/* fd_read(fd, iovs, iovs_len, nread) -> errno: stdin is the configured bytes, or
   empty, unless inherited; the rest is libwasmer's. */
static wasm_trap_t *wg_wasi_fd_read(void *envp, const wasm_val_vec_t *args, wasm_val_vec_t *results) {
    struct wg_wasi_env *w = envp;
    int32_t fd = args->data[0].of.i32;
    if (fd != 0 || w->inherit[0] || !w->fd_read) {
        wasm_trap_t *trap = w->fd_read ? wasm_func_call(w->fd_read, args, results) : NULL;
        if (!w->fd_read) results->data[0] = (wasm_val_t)WASM_I32_VAL(8 /* badf */);
        return trap;
    }
    uint32_t iovs = (uint32_t)args->data[1].of.i32, n = (uint32_t)args->data[2].of.i32;
    uint32_t nread = (uint32_t)args->data[3].of.i32;
    size_t size;
    uint8_t *mem = wg_wasi_iovecs(w, iovs, n, &size);
    uint64_t total = 0;
    int ok = mem && (uint64_t)nread + 4 <= size;
    for (uint32_t i = 0; ok && i < n && w->stdin_pos < w->stdin_len; i++) {
        uint32_t ptr = wg_le32(mem + iovs + 8 * i), len = wg_le32(mem + iovs + 8 * i + 4);
        if ((uint64_t)ptr + len > size) {
            ok = 0;
            break;
        }
        size_t take = w->stdin_len - w->stdin_pos < len ? w->stdin_len - w->stdin_pos : len;
        memcpy(mem + ptr, w->stdin_data + w->stdin_pos, take);
        w->stdin_pos += take;
        total += take;
    }
    if (ok) wg_put_le32(mem + nread, (uint32_t)total);
    results->data[0] = (wasm_val_t)WASM_I32_VAL(ok ? 0 : WG_WASI_ERRNO_FAULT);
    return NULL;
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
    w->users++;
    return WG_OK;
}

/* templates/c/runtime/wasi.c: plain C of the shared glue, rendered verbatim into wasmgen.c. */

/* ------------------------------------------------------------------ WASI */

/* A configuration is plain data of the glue (libwasmer's wasi_config_t is consumed
   by wasi_env_new, so it is built from this at WasiEnv.new). */
struct wg_wasi_config {
    char *program;
    char **args, **env, **preopens, **maps; /* env: key, value pairs; maps: alias, path pairs */
    char **read_only;                       /* the program's names (path or alias) of read-only directories */
    size_t nargs, nenv, npreopens, nmaps, nread_only;
    uint8_t inherit[3], capture[3];         /* per stream: 0 stdin, 1 stdout, 2 stderr */
    uint8_t *stdin_data;
    size_t stdin_len;
    int has_stdin;
};

struct wg_wasi_buf { uint8_t *data; size_t len, cap; };

/* The WASI functions the glue stands in front of (libwasmer's stay behind, in
   `orig`): the standard streams always; with read-only directories, every call
   that can change a file or directory, and the calls that make, move or drop the
   descriptors those checks follow. `at`: the (fd, path) argument positions a call
   acts on (path -1: the descriptor itself; the path's length is the next argument). */
enum { WG_HOOK_FD_WRITE, WG_HOOK_FD_READ, WG_HOOK_PATH_OPEN, WG_HOOK_FD_CLOSE, WG_HOOK_FD_RENUMBER, WG_HOOK_MUTATE };
static const struct wg_wasi_hook_def {
    const char *name;
    int8_t at[2][2];
    uint8_t always;
} wg_wasi_hooks[] = {
    [WG_HOOK_FD_WRITE] = {"fd_write", {{-1, -1}, {-1, -1}}, 1},
    [WG_HOOK_FD_READ] = {"fd_read", {{-1, -1}, {-1, -1}}, 1},
    [WG_HOOK_PATH_OPEN] = {"path_open", {{0, 2}, {-1, -1}}, 0},
    [WG_HOOK_FD_CLOSE] = {"fd_close", {{-1, -1}, {-1, -1}}, 0},
    [WG_HOOK_FD_RENUMBER] = {"fd_renumber", {{-1, -1}, {-1, -1}}, 0},
    [WG_HOOK_MUTATE + 0] = {"path_create_directory", {{0, 1}, {-1, -1}}, 0},
    [WG_HOOK_MUTATE + 1] = {"path_remove_directory", {{0, 1}, {-1, -1}}, 0},
    [WG_HOOK_MUTATE + 2] = {"path_unlink_file", {{0, 1}, {-1, -1}}, 0},
    [WG_HOOK_MUTATE + 3] = {"path_filestat_set_times", {{0, 2}, {-1, -1}}, 0},
    [WG_HOOK_MUTATE + 4] = {"path_rename", {{0, 1}, {3, 4}}, 0},
    [WG_HOOK_MUTATE + 5] = {"path_link", {{0, 2}, {4, 5}}, 0},
    [WG_HOOK_MUTATE + 6] = {"path_symlink", {{2, 3}, {-1, -1}}, 0},
    [WG_HOOK_MUTATE + 7] = {"fd_filestat_set_times", {{0, -1}, {-1, -1}}, 0},
    [WG_HOOK_MUTATE + 8] = {"fd_filestat_set_size", {{0, -1}, {-1, -1}}, 0},
    [WG_HOOK_MUTATE + 9] = {"fd_allocate", {{0, -1}, {-1, -1}}, 0},
    [WG_HOOK_MUTATE + 10] = {"fd_pwrite", {{0, -1}, {-1, -1}}, 0},
};
#define WG_HOOKS ((int)(sizeof wg_wasi_hooks / sizeof *wg_wasi_hooks)) /* the table sets the count */

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
    wasm_func_t *orig[WG_HOOKS];     /* libwasmer's (owned) functions the glue stands in front of */
    int32_t *ro_fds;                 /* the program's descriptors of read-only directories and what was opened from them */
    size_t nro_fds, ro_cap;
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

/* A directory given to the program: preopened (alias NULL: under its own path) or
   mapped under `alias`, and read-only or not (its name in the program noted). */
static int wg_wasi_config_dir(wg_wasi_config *c, const char *alias, size_t alias_len, const char *path, size_t path_len,
                              int read_only) {
    char ***v = alias ? &c->maps : &c->preopens;
    size_t *n = alias ? &c->nmaps : &c->npreopens, before = *n;
    int rc = alias ? wg_strv_push(v, n, alias, alias_len) : WG_OK;
    if (rc == WG_OK) rc = wg_strv_push(v, n, path, path_len);
    if (rc == WG_OK && read_only)
        rc = wg_strv_push(&c->read_only, &c->nread_only, alias ? alias : path, alias ? alias_len : path_len);
    while (rc != WG_OK && *n > before) free((*v)[--*n]);
    return rc;
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
    wg_strv_free(self->read_only, self->nread_only);
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
        wg_strv_copy(&k->read_only, &k->nread_only, c->read_only, c->nread_only) ||
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

#define WG_WASI_ROOT_FD 3
#define WG_WASI_FIRST_DIR_FD 4

static int wg_wasi_ro_has(const struct wg_wasi_env *w, int32_t fd) {
    for (size_t i = 0; i < w->nro_fds; i++)
        if (w->ro_fds[i] == fd) return 1;
    return 0;
}

static void wg_wasi_ro_remove(struct wg_wasi_env *w, int32_t fd) {
    for (size_t i = 0; i < w->nro_fds; i++)
        if (w->ro_fds[i] == fd) w->ro_fds[i--] = w->ro_fds[--w->nro_fds];
}

static int wg_wasi_ro_add(struct wg_wasi_env *w, int32_t fd) {
    if (wg_wasi_ro_has(w, fd)) return 1;
    if (w->nro_fds == w->ro_cap) {
        size_t cap = w->ro_cap ? 2 * w->ro_cap : 8;
        int32_t *grown = realloc(w->ro_fds, cap * sizeof *grown);
        if (!grown) return 0;
        w->ro_fds = grown;
        w->ro_cap = cap;
    }
    w->ro_fds[w->nro_fds++] = fd;
    return 1;
}

/* `path` with "." and ".." resolved and no leading, trailing or double '/', into
   `out` (as long as `path`, plus 1); returns its length. */
static size_t wg_path_normal(const char *path, size_t len, char *out) {
    size_t n = 0;
    for (size_t i = 0; i < len;) {
        size_t j = i;
        while (j < len && path[j] != '/') j++;
        size_t part = j - i;
        if (part == 2 && path[i] == '.' && path[i + 1] == '.') {
            while (n > 0 && out[n - 1] != '/') n--;
            if (n > 0) n--;
        } else if (part && !(part == 1 && path[i] == '.')) {
            if (n) out[n++] = '/';
            memcpy(out + n, path + i, part);
            n += part;
        }
        i = j + 1;
    }
    out[n] = 0;
    return n;
}

/* Whether the call's (fd, path) lands in a read-only directory: fd is one (or was
   opened from one), or fd is the virtual root and the path leads into a read-only
   directory by its name. An unreadable path is left to libwasmer (which refuses it). */
static int wg_wasi_read_only(struct wg_wasi_env *w, int32_t fd, int path_at, const wasm_val_vec_t *args) {
    if (wg_wasi_ro_has(w, fd)) return 1;
    if (fd != WG_WASI_ROOT_FD || path_at < 0 || !w->memory || !w->config) return 0;
    uint32_t ptr = (uint32_t)args->data[path_at].of.i32, len = (uint32_t)args->data[path_at + 1].of.i32;
    if ((uint64_t)ptr + len > wasm_memory_data_size(w->memory)) return 0;
    char *path = malloc(2 * (size_t)len + 2), *name = path + len + 1;
    if (!path) return 1; /* refused rather than unchecked */
    size_t n = wg_path_normal((const char *)wasm_memory_data(w->memory) + ptr, len, path);
    int hit = 0;
    for (size_t i = 0; i < w->config->nread_only && !hit; i++) {
        const char *ro = w->config->read_only[i];
        size_t rlen = strlen(ro);
        char *norm = rlen <= len ? name : malloc(rlen + 1);
        if (!norm) {
            hit = 1;
            break;
        }
        size_t m = wg_path_normal(ro, rlen, norm);
        hit = n >= m && memcmp(path, norm, m) == 0 && (m == 0 || n == m || path[m] == '/');
        if (norm != name) free(norm);
    }
    free(path);
    return hit;
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
    /* libwasmer 7.4 numbers the directories in the order given: 3 is its virtual root
       ("/", where mapped aliases are reachable by name), then the preopened ones, then
       the mapped ones (test_wasi.c checks this numbering, which the read-only checks rely on) */
    for (size_t i = 0; i < config->npreopens + config->nmaps / 2; i++) {
        const char *name = i < config->npreopens ? config->preopens[i] : config->maps[2 * (i - config->npreopens)];
        for (size_t j = 0; j < config->nread_only; j++)
            if (strcmp(name, config->read_only[j]) == 0 && !wg_wasi_ro_add(w, WG_WASI_FIRST_DIR_FD + (int32_t)i))
                return wg_fail(WG_ERR_RUNTIME_ERROR, "out of memory");
    }
    return WG_OK;
}

static void wg_wasi_env_free(struct wg_wasi_env *w) {
    if (__atomic_sub_fetch(&w->refs, 1, __ATOMIC_ACQ_REL)) return;
    for (int i = 0; i < 3; i++) free(w->out[i].data);
    free(w->ro_fds);
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
    for (int i = 0; i < WG_HOOKS; i++) {
        if (w->orig[i]) wasm_func_delete(w->orig[i]);
        w->orig[i] = NULL;
    }
    w->memory = NULL;
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

#define WG_WASI_ERRNO_ROFS 69

/* path_open asks to create, truncate, append or write. */
static int wg_wasi_open_writes(const wasm_val_vec_t *args) {
    uint32_t oflags = (uint32_t)args->data[4].of.i32, fdflags = (uint32_t)args->data[7].of.i32;
    uint64_t rights = (uint64_t)args->data[5].of.i64;
    const uint64_t write = 1u << 6 | 1u << 8 | 1u << 22; /* fd_write, fd_allocate, fd_filestat_set_size */
    return (oflags & (1 | 8)) || (fdflags & 1) || (rights & write);        /* creat, trunc; append */
}

/* One WASI function the glue stands in front of (its `hook` in wg_wasi_hooks). */
struct wg_wasi_hook { struct wg_wasi_env *w; int fn; };

static wasm_trap_t *wg_wasi_hooked(void *envp, const wasm_val_vec_t *args, wasm_val_vec_t *results) {
    struct wg_wasi_hook *h = envp;
    struct wg_wasi_env *w = h->w;
    wasm_func_t *orig = w->orig[h->fn];
    int32_t fd = args->data[0].of.i32;
    if (h->fn == WG_HOOK_FD_WRITE) /* stdout and stderr are the glue's unless inherited */
        return wg_wasi_stream(w, orig, w->config && (fd == 1 || fd == 2) && !w->config->inherit[fd], wg_wasi_put, args, results);
    if (h->fn == WG_HOOK_FD_READ) /* stdin is the glue's unless inherited */
        return wg_wasi_stream(w, orig, w->config && fd == 0 && !w->config->inherit[0], wg_wasi_get, args, results);
    if (!orig) {
        results->data[0] = (wasm_val_t)WASM_I32_VAL(8 /* badf */);
        return NULL;
    }
    const struct wg_wasi_hook_def *def = &wg_wasi_hooks[h->fn];
    int read_only = 0;
    for (int k = 0; k < 2; k++)
        if (def->at[k][0] >= 0 && wg_wasi_read_only(w, args->data[def->at[k][0]].of.i32, def->at[k][1], args)) read_only = 1;
    if (read_only && (h->fn != WG_HOOK_PATH_OPEN || wg_wasi_open_writes(args))) {
        results->data[0] = (wasm_val_t)WASM_I32_VAL(WG_WASI_ERRNO_ROFS);
        return NULL;
    }
    wasm_trap_t *trap = wasm_func_call(orig, args, results);
    if (trap || results->data[0].of.i32 != 0) return trap;
    if (h->fn == WG_HOOK_PATH_OPEN && read_only && w->memory) { /* what is opened from a read-only directory is read-only */
        uint32_t at = (uint32_t)args->data[8].of.i32;
        if ((uint64_t)at + 4 <= wasm_memory_data_size(w->memory) &&
            !wg_wasi_ro_add(w, (int32_t)wg_le32((const uint8_t *)wasm_memory_data(w->memory) + at)))
            return wasm_trap_new(NULL, &(wasm_message_t){14, "out of memory"});
    } else if (h->fn == WG_HOOK_FD_CLOSE) {
        wg_wasi_ro_remove(w, fd);
    } else if (h->fn == WG_HOOK_FD_RENUMBER) {
        int32_t to = args->data[1].of.i32;
        int was = wg_wasi_ro_has(w, fd);
        wg_wasi_ro_remove(w, fd);
        wg_wasi_ro_remove(w, to);
        if (was && !wg_wasi_ro_add(w, to)) return wasm_trap_new(NULL, &(wasm_message_t){14, "out of memory"});
    }
    return NULL;
}

static void wg_wasi_hook_finalize(void *envp) {
    struct wg_wasi_hook *h = envp;
    wg_wasi_env_free(h->w);
    free(h);
}

/* The hook (index in wg_wasi_hooks) for a WASI import of this name, or -1: the
   streams always, the rest when the program has read-only directories. */
static int wg_wasi_hook_of(const struct wg_wasi_env *w, const wasm_name_t *name) {
    for (int i = 0; i < WG_HOOKS; i++)
        if (strlen(wg_wasi_hooks[i].name) == name->size && memcmp(wg_wasi_hooks[i].name, name->data, name->size) == 0)
            return wg_wasi_hooks[i].always || w->config->nread_only ? i : -1;
    return -1;
}

/* The glue's function standing for libwasmer's `orig` (same type) in the env's store. */
static wasm_extern_t *wg_wasi_wrap(struct wg_wasi_env *w, const wasm_extern_t *orig, int fn) {
    struct wg_wasi_hook *h = malloc(sizeof *h);
    if (!h) return NULL;
    *h = (struct wg_wasi_hook){w, fn};
    wasm_functype_t *type = wasm_func_type(wasm_extern_as_func((wasm_extern_t *)orig));
    wasm_func_t *func = wasm_func_new_with_env(w->store->store, type, wg_wasi_hooked, h, wg_wasi_hook_finalize);
    wasm_functype_delete(type);
    if (!func) {
        free(h);
        return NULL;
    }
    __atomic_add_fetch(&w->refs, 1, __ATOMIC_ACQ_REL);
    if (!w->orig[fn]) w->orig[fn] = wasm_func_copy(wasm_extern_as_func((wasm_extern_t *)orig));
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

/* The C reference conformance driver (conformance/protocol.md): the wasm C API
   called directly, no binding in between. Whatever libwasmer gets right here,
   every binding must get right too.

   Reads one JSON request per line on stdin, answers one JSON line on stdout. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <wasmer.h>

/* ------------------------------------------------------------------ a small JSON reader */

typedef enum { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ } jtype;
typedef struct jval {
    jtype type;
    char *str;      /* J_STR; J_NUM keeps its text here too */
    size_t slen;    /* J_STR: length in bytes (names may hold NUL) */
    bool b;
    size_t len;     /* items of J_ARR / J_OBJ */
    char **keys;    /* J_OBJ */
    struct jval **items;
} jval;

static const char *jp;

static void jskip(void) { while (*jp == ' ' || *jp == '\t' || *jp == '\r' || *jp == '\n') jp++; }

static jval *jnew(jtype t) {
    jval *v = calloc(1, sizeof *v);
    v->type = t;
    return v;
}

static void jput(char **s, size_t *n, size_t *cap, char c) {
    if (*n + 2 > *cap) *s = realloc(*s, *cap *= 2);
    (*s)[(*n)++] = c;
}

static unsigned jhex4(void) {
    unsigned code = 0;
    for (int i = 0; i < 4 && *jp; i++) {
        char h = *jp++;
        code = code * 16 + (unsigned)(h <= '9' ? h - '0' : (h | 32) - 'a' + 10);
    }
    return code;
}

/* A JSON string (at its opening quote) as UTF-8 bytes; *len gets the length, so
   names holding NUL survive. */
static char *jstring(size_t *len) {
    jp++;
    size_t cap = 16, n = 0;
    char *s = malloc(cap);
    while (*jp && *jp != '"') {
        char c = *jp++;
        if (c == '\\') {
            char e = *jp++;
            switch (e) {
            case 'n': c = '\n'; break;
            case 't': c = '\t'; break;
            case 'r': c = '\r'; break;
            case 'b': c = '\b'; break;
            case 'f': c = '\f'; break;
            case 'u': {
                unsigned code = jhex4();
                if (code >= 0xD800 && code < 0xDC00 && jp[0] == '\\' && jp[1] == 'u') {
                    jp += 2;
                    code = 0x10000 + ((code - 0xD800) << 10) + (jhex4() - 0xDC00);
                }
                if (code < 0x80) jput(&s, &n, &cap, (char)code);
                else if (code < 0x800) {
                    jput(&s, &n, &cap, (char)(0xC0 | code >> 6));
                    jput(&s, &n, &cap, (char)(0x80 | (code & 0x3F)));
                } else if (code < 0x10000) {
                    jput(&s, &n, &cap, (char)(0xE0 | code >> 12));
                    jput(&s, &n, &cap, (char)(0x80 | ((code >> 6) & 0x3F)));
                    jput(&s, &n, &cap, (char)(0x80 | (code & 0x3F)));
                } else {
                    jput(&s, &n, &cap, (char)(0xF0 | code >> 18));
                    jput(&s, &n, &cap, (char)(0x80 | ((code >> 12) & 0x3F)));
                    jput(&s, &n, &cap, (char)(0x80 | ((code >> 6) & 0x3F)));
                    jput(&s, &n, &cap, (char)(0x80 | (code & 0x3F)));
                }
                continue;
            }
            default: c = e; break;
            }
        }
        jput(&s, &n, &cap, c);
    }
    if (*jp == '"') jp++;
    s[n] = 0;
    if (len) *len = n;
    return s;
}

static jval *jparse(void) {
    jskip();
    jval *v;
    if (*jp == '{') {
        v = jnew(J_OBJ);
        jp++;
        jskip();
        while (*jp && *jp != '}') {
            jskip();
            char *key = jstring(NULL);
            jskip();
            if (*jp == ':') jp++;
            jval *item = jparse();
            v->keys = realloc(v->keys, (v->len + 1) * sizeof *v->keys);
            v->items = realloc(v->items, (v->len + 1) * sizeof *v->items);
            v->keys[v->len] = key;
            v->items[v->len++] = item;
            jskip();
            if (*jp == ',') jp++;
            jskip();
        }
        if (*jp == '}') jp++;
    } else if (*jp == '[') {
        v = jnew(J_ARR);
        jp++;
        jskip();
        while (*jp && *jp != ']') {
            jval *item = jparse();
            v->items = realloc(v->items, (v->len + 1) * sizeof *v->items);
            v->items[v->len++] = item;
            jskip();
            if (*jp == ',') jp++;
            jskip();
        }
        if (*jp == ']') jp++;
    } else if (*jp == '"') {
        v = jnew(J_STR);
        v->str = jstring(&v->slen);
    } else if (!strncmp(jp, "null", 4)) {
        v = jnew(J_NULL);
        jp += 4;
    } else if (!strncmp(jp, "true", 4) || !strncmp(jp, "false", 5)) {
        v = jnew(J_BOOL);
        v->b = *jp == 't';
        jp += v->b ? 4 : 5;
    } else {
        v = jnew(J_NUM);
        const char *start = jp;
        while (*jp && strchr("+-0123456789.eE", *jp)) jp++;
        v->str = strndup(start, (size_t)(jp - start));
    }
    return v;
}

static void jfree(jval *v) {
    if (!v) return;
    for (size_t i = 0; i < v->len; i++) {
        if (v->keys) free(v->keys[i]);
        jfree(v->items[i]);
    }
    free(v->keys);
    free(v->items);
    free(v->str);
    free(v);
}

static jval *jget(const jval *obj, const char *key) {
    if (!obj || obj->type != J_OBJ) return NULL;
    for (size_t i = 0; i < obj->len; i++)
        if (!strcmp(obj->keys[i], key)) return obj->items[i];
    return NULL;
}

static const char *jstr(const jval *obj, const char *key) {
    jval *v = jget(obj, key);
    return v && (v->type == J_STR || v->type == J_NUM) ? v->str : NULL;
}

/* ------------------------------------------------------------------ answers */

static void put_json_string(const char *s, size_t n) {
    putchar('"');
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') printf("\\%c", c);
        else if (c < 0x20) printf("\\u%04x", c);
        else putchar(c);
    }
    putchar('"');
}

/* The id of the request being answered (its text, echoed as is), NULL if none. */
static const char *req_id;

/* Opens a response object: `{` and the request's id. */
static void answer_begin(void) {
    if (req_id) printf("{\"id\": %s, ", req_id);
    else putchar('{');
}

static void answer_error(const char *kind, const char *fmt, ...) {
    char msg[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    answer_begin();
    printf("\"ok\": false, \"error\": \"%s\", \"message\": ", kind);
    put_json_string(msg, strlen(msg));
    printf("}\n");
    fflush(stdout);
}

static void answer_ok(void) {
    answer_begin();
    printf("\"ok\": true}\n");
    fflush(stdout);
}

static char *last_error(void) {
    static char buf[2048];
    int len = wasmer_last_error_length();
    if (len <= 0 || len >= (int)sizeof buf) return strcpy(buf, "(no message)");
    wasmer_last_error_message(buf, len);
    buf[len] = 0;
    return buf;
}

static void answer_trap(wasm_trap_t *trap) {
    wasm_message_t msg;
    wasm_trap_message(trap, &msg);
    int n = (int)msg.size;
    while (n > 0 && msg.data[n - 1] == 0) n--;
    answer_error("trap", "%.*s", n, msg.data ? msg.data : "");
    wasm_byte_vec_delete(&msg);
    wasm_trap_delete(trap);
}

/* ------------------------------------------------------------------ values */

/* The protocol's value type names (conformance/protocol.md) by wasm.h kind. */
static const struct { wasm_valkind_t kind; const char *name; } kinds[] = {
    {WASM_I32, "i32"}, {WASM_I64, "i64"}, {WASM_F32, "f32"}, {WASM_F64, "f64"},
    {WASM_EXTERNREF, "externref"}, {WASM_FUNCREF, "funcref"},
};

static const char *kind_name(wasm_valkind_t k) {
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (kinds[i].kind == k) return kinds[i].name;
    return "?";
}

static int kind_of(const char *name) {
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (!strcmp(kinds[i].name, name)) return kinds[i].kind;
    return -1;
}

/* externref tokens from `ref.extern N` are boxed host references: a foreign
   object whose host info is N+1 (so that 0 stays free). */
static wasm_store_t *store;

static int to_wasm(const jval *arg, wasm_val_t *out) {
    const char *t = jstr(arg, "type"), *v = jstr(arg, "value");
    if (!t || !v) return 0;
    int kind = kind_of(t);
    if (kind < 0) return 0;
    memset(out, 0, sizeof *out);
    out->kind = (wasm_valkind_t)kind;
    uint64_t bits = strcmp(v, "null") ? strtoull(v, NULL, 10) : 0;
    switch (kind) {
    case WASM_I32: out->of.i32 = (int32_t)(uint32_t)bits; break;
    case WASM_I64: out->of.i64 = (int64_t)bits; break;
    case WASM_F32: { uint32_t b = (uint32_t)bits; memcpy(&out->of.f32, &b, 4); break; }
    case WASM_F64: memcpy(&out->of.f64, &bits, 8); break;
    default:
        if (strcmp(v, "null")) {
            wasm_foreign_t *foreign = wasm_foreign_new(store);
            wasm_foreign_set_host_info(foreign, (void *)(uintptr_t)(bits + 1));
            out->of.ref = wasm_foreign_as_ref(foreign);
        } else {
            out->of.ref = NULL;
        }
        break;
    }
    return 1;
}

static void put_value(const wasm_val_t *v) {
    printf("{\"type\": \"%s\", \"value\": \"", kind_name(v->kind));
    switch (v->kind) {
    case WASM_I32: printf("%" PRIu32, (uint32_t)v->of.i32); break;
    case WASM_I64: printf("%" PRIu64, (uint64_t)v->of.i64); break;
    case WASM_F32: { uint32_t b; memcpy(&b, &v->of.f32, 4); printf("%" PRIu32, b); break; }
    case WASM_F64: { uint64_t b; memcpy(&b, &v->of.f64, 8); printf("%" PRIu64, b); break; }
    default:
        if (!v->of.ref) printf("null");
        else {
            uintptr_t info = (uintptr_t)wasm_ref_get_host_info(v->of.ref);
            if (info) printf("%" PRIuPTR, info - 1);
            else printf("0"); /* a funcref: the protocol only compares null-ness */
        }
        break;
    }
    printf("\"}");
}

/* ------------------------------------------------------------------ instances and imports */

typedef struct named {
    long id;                  /* the id of the `module` request that made it */
    char *registered;         /* its `register` name, or NULL */
    wasm_module_t *module;
    wasm_instance_t *instance;
    wasm_exporttype_vec_t export_types;
    wasm_extern_vec_t exports;
} named;

static named *instances;
static size_t n_instances;

typedef struct host_import { const char *module, *name; wasm_extern_t *ext; } host_import;
static host_import host[16];
static size_t n_host;

static wasm_trap_t *host_sum(const wasm_val_vec_t *args, wasm_val_vec_t *results) {
    results->data[0].kind = WASM_I32;
    results->data[0].of.i32 = args->data[0].of.i32 + args->data[1].of.i32;
    return NULL;
}

static void add_host(const char *module, const char *name, wasm_extern_t *ext) {
    host[n_host++] = (host_import){module, name, ext};
}

static void add_func(const char *module, const char *name, wasm_func_callback_t cb, int np, const wasm_valkind_t *ps,
                     int nr, const wasm_valkind_t *rs) {
    wasm_valtype_vec_t params, results;
    wasm_valtype_vec_new_uninitialized(&params, (size_t)np);
    wasm_valtype_vec_new_uninitialized(&results, (size_t)nr);
    for (int i = 0; i < np; i++) params.data[i] = wasm_valtype_new(ps[i]);
    for (int i = 0; i < nr; i++) results.data[i] = wasm_valtype_new(rs[i]);
    wasm_functype_t *type = wasm_functype_new(&params, &results);
    add_host(module, name, wasm_func_as_extern(wasm_func_new(store, type, cb)));
    wasm_functype_delete(type);
}

/* The host module `env` (spectest comes from the runner, as a registered module). */
static void make_host_modules(void) {
    static const wasm_valkind_t i32[] = {WASM_I32}, i32i32[] = {WASM_I32, WASM_I32};
    add_func("env", "sum", host_sum, 2, i32i32, 1, i32);
}

static int name_eq(const wasm_name_t *name, const char *s) {
    return strlen(s) == name->size && !memcmp(name->data, s, name->size);
}

static wasm_extern_t *resolve(const wasm_name_t *module, const wasm_name_t *name) {
    for (size_t i = 0; i < n_host; i++)
        if (name_eq(module, host[i].module) && name_eq(name, host[i].name)) return host[i].ext;
    for (size_t i = n_instances; i-- > 0;) {
        named *m = &instances[i];
        if (!m->registered || !name_eq(module, m->registered)) continue;
        for (size_t j = 0; j < m->export_types.size; j++) {
            const wasm_name_t *en = wasm_exporttype_name(m->export_types.data[j]);
            if (en->size == name->size && !memcmp(en->data, name->data, name->size)) return m->exports.data[j];
        }
    }
    return NULL;
}

/* The instance of the request's "instance" id. */
static named *find(const jval *req) {
    const char *id = jstr(req, "instance");
    for (size_t i = 0; id && i < n_instances; i++)
        if (instances[i].id == strtol(id, NULL, 10)) return &instances[i];
    return NULL;
}

static wasm_extern_t *export_of(named *m, const jval *field) {
    if (!field || field->type != J_STR) return NULL;
    for (size_t j = 0; j < m->export_types.size; j++) {
        const wasm_name_t *en = wasm_exporttype_name(m->export_types.data[j]);
        if (en->size == field->slen && !memcmp(en->data, field->str, field->slen)) return m->exports.data[j];
    }
    return NULL;
}

static int read_file(const char *path, wasm_byte_vec_t *out) {
    FILE *f = fopen(path, "rb");
    if (!f) return 0;
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    wasm_byte_vec_new_uninitialized(out, (size_t)size);
    size_t got = fread(out->data, 1, (size_t)size, f);
    fclose(f);
    return got == (size_t)size;
}

/* ------------------------------------------------------------------ ops */

static void op_module(const jval *req, int instantiate) {
    const char *path = jstr(req, "path");
    wasm_byte_vec_t bytes;
    if (!path || !read_file(path, &bytes)) {
        answer_error("runtime", "cannot read %s", path ? path : "(no path)");
        return;
    }
    wasm_module_t *module = wasm_module_new(store, &bytes);
    wasm_byte_vec_delete(&bytes);
    if (!module) {
        answer_error("compile", "%s", last_error());
        return;
    }
    if (!instantiate) {
        wasm_module_delete(module);
        answer_ok();
        return;
    }
    wasm_importtype_vec_t imports;
    wasm_module_imports(module, &imports);
    wasm_extern_t **externs = calloc(imports.size + 1, sizeof *externs);
    for (size_t i = 0; i < imports.size; i++) {
        const wasm_name_t *mod = wasm_importtype_module(imports.data[i]), *nm = wasm_importtype_name(imports.data[i]);
        externs[i] = resolve(mod, nm);
        if (!externs[i]) {
            answer_error("link", "unknown import %.*s.%.*s", (int)mod->size, mod->data,
                         (int)nm->size, nm->data);
            free(externs);
            wasm_importtype_vec_delete(&imports);
            wasm_module_delete(module);
            return;
        }
    }
    wasm_extern_vec_t vec = {imports.size, externs};
    wasm_trap_t *trap = NULL;
    wasm_instance_t *instance = wasm_instance_new(store, module, &vec, &trap);
    free(externs);
    wasm_importtype_vec_delete(&imports);
    if (!instance) {
        wasm_module_delete(module);
        if (trap) answer_trap(trap);
        else answer_error("link", "%s", last_error());
        return;
    }
    instances = realloc(instances, (n_instances + 1) * sizeof *instances);
    named *m = &instances[n_instances++];
    memset(m, 0, sizeof *m);
    m->id = req_id ? strtol(req_id, NULL, 10) : 0;
    m->module = module;
    m->instance = instance;
    wasm_module_exports(module, &m->export_types);
    wasm_instance_exports(instance, &m->exports);
    answer_ok();
}

static void op_register(const jval *req) {
    named *m = find(req);
    const char *as = jstr(req, "as");
    if (!m || !as) {
        answer_error("protocol", "register: no such module");
        return;
    }
    free(m->registered);
    m->registered = strdup(as);
    answer_ok();
}

static void op_invoke(const jval *req) {
    named *m = find(req);
    const char *field = jstr(req, "field");
    wasm_extern_t *ext = m ? export_of(m, jget(req, "field")) : NULL;
    if (!ext || wasm_extern_kind(ext) != WASM_EXTERN_FUNC) {
        answer_error("runtime", "no exported function %s", field ? field : "(none)");
        return;
    }
    wasm_func_t *func = wasm_extern_as_func(ext);
    jval *args = jget(req, "args");
    size_t np = args ? args->len : 0, nr = wasm_func_result_arity(func);
    if (np != wasm_func_param_arity(func)) {
        answer_error("argument", "%s takes %zu arguments, %zu given", field,
                     wasm_func_param_arity(func), np);
        return;
    }
    wasm_val_t *av = calloc(np + 1, sizeof *av), *rv = calloc(nr + 1, sizeof *rv);
    for (size_t i = 0; i < np; i++) {
        if (!to_wasm(args->items[i], &av[i])) {
            answer_error("protocol", "bad argument %zu", i);
            free(av);
            free(rv);
            return;
        }
    }
    wasm_val_vec_t avec = {np, av}, rvec = {nr, rv};
    wasm_trap_t *trap = wasm_func_call(func, &avec, &rvec);
    if (trap) answer_trap(trap);
    else {
        answer_begin();
        printf("\"ok\": true, \"results\": [");
        for (size_t i = 0; i < nr; i++) {
            if (i) printf(", ");
            put_value(&rv[i]);
        }
        printf("]}\n");
        fflush(stdout);
    }
    for (size_t i = 0; i < np; i++)
        if (av[i].kind >= WASM_EXTERNREF && av[i].of.ref) wasm_ref_delete(av[i].of.ref);
    if (!trap)
        for (size_t i = 0; i < nr; i++)
            if (rv[i].kind >= WASM_EXTERNREF && rv[i].of.ref) wasm_ref_delete(rv[i].of.ref);
    free(av);
    free(rv);
}

static void op_get(const jval *req) {
    named *m = find(req);
    const char *field = jstr(req, "field");
    wasm_extern_t *ext = m ? export_of(m, jget(req, "field")) : NULL;
    if (!ext || wasm_extern_kind(ext) != WASM_EXTERN_GLOBAL) {
        answer_error("runtime", "no exported global %s", field ? field : "(none)");
        return;
    }
    wasm_val_t v;
    memset(&v, 0, sizeof v);
    wasm_global_get(wasm_extern_as_global(ext), &v);
    answer_begin();
    printf("\"ok\": true, \"results\": [");
    put_value(&v);
    printf("]}\n");
    fflush(stdout);
}

static void op_read_cstring(const jval *req) {
    named *m = find(req);
    const char *offset_s = jstr(req, "offset");
    jval *mem_name = jget(req, "memory"), dflt = {.type = J_STR, .str = "memory", .slen = 6};
    wasm_extern_t *ext = m ? export_of(m, mem_name ? mem_name : &dflt) : NULL;
    if (!ext || wasm_extern_kind(ext) != WASM_EXTERN_MEMORY || !offset_s) {
        answer_error("runtime", "no exported memory");
        return;
    }
    wasm_memory_t *memory = wasm_extern_as_memory(ext);
    const char *data = wasm_memory_data(memory);
    size_t size = wasm_memory_data_size(memory), offset = strtoull(offset_s, NULL, 10), end = offset;
    while (end < size && data[end]) end++;
    if (end >= size) {
        answer_error("runtime", "no NUL before the end of memory");
        return;
    }
    answer_begin();
    printf("\"ok\": true, \"value\": ");
    put_json_string(data + offset, end - offset);
    printf("}\n");
    fflush(stdout);
}

/* ------------------------------------------------------------------ WASI programs (`wasi`) */

/* The standard streams are served here, in front of libwasmer's WASI: the crate's own
   capture cannot be read back through its C API (the pipe's reading half is dropped),
   so fd_write on 1/2 and fd_read on 0 are this driver's functions, everything else
   (files, arguments, environment, exit) is libwasmer's. */

static const char B64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static void put_base64(const uint8_t *data, size_t n) {
    putchar('"');
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)data[i] << 16 | (i + 1 < n ? (uint32_t)data[i + 1] << 8 : 0) | (i + 2 < n ? data[i + 2] : 0);
        putchar(B64[v >> 18 & 63]);
        putchar(B64[v >> 12 & 63]);
        putchar(i + 1 < n ? B64[v >> 6 & 63] : '=');
        putchar(i + 2 < n ? B64[v & 63] : '=');
    }
    putchar('"');
}

/* Decodes base64 text into *out (malloc'ed); 0 when it is not base64. */
static int from_base64(const char *text, size_t len, uint8_t **out, size_t *n) {
    *out = malloc(len / 4 * 3 + 1);
    *n = 0;
    uint32_t acc = 0;
    int bits = 0;
    for (size_t i = 0; i < len; i++) {
        if (text[i] == '=') break;
        const char *at = text[i] ? strchr(B64, text[i]) : NULL;
        if (!at) {
            free(*out);
            return 0;
        }
        acc = acc << 6 | (uint32_t)(at - B64);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            (*out)[(*n)++] = (uint8_t)(acc >> bits);
        }
    }
    return 1;
}

typedef struct wasi_run {
    wasm_memory_t *memory;           /* the program's "memory" export */
    wasm_func_t *fd_write, *fd_read; /* libwasmer's */
    wasm_func_t *wraps[2];           /* this driver's, standing for them */
    int capture[3];                  /* 1 stdout, 2 stderr */
    uint8_t *out[3];
    size_t len[3], cap[3];
    uint8_t *in;                     /* stdin bytes (none: end of file at once) */
    size_t in_len, in_pos;
} wasi_run;

static uint32_t le32(const uint8_t *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24; }

/* fd_write / fd_read (fd, iovs, iovs_len, nwritten) -> errno on the standard streams. */
static wasm_trap_t *wasi_stream(wasi_run *r, int writing, const wasm_val_vec_t *args, wasm_val_vec_t *results) {
    int32_t fd = args->data[0].of.i32;
    if (writing ? fd != 1 && fd != 2 : fd != 0) return wasm_func_call(writing ? r->fd_write : r->fd_read, args, results);
    uint32_t iovs = (uint32_t)args->data[1].of.i32, count = (uint32_t)args->data[2].of.i32;
    uint32_t done_at = (uint32_t)args->data[3].of.i32;
    uint8_t *mem = r->memory ? (uint8_t *)wasm_memory_data(r->memory) : NULL;
    size_t size = r->memory ? wasm_memory_data_size(r->memory) : 0;
    results->data[0] = (wasm_val_t)WASM_I32_VAL(21 /* fault */);
    if (!mem || (uint64_t)iovs + 8ull * count > size || (uint64_t)done_at + 4 > size) return NULL;
    uint32_t total = 0;
    for (uint32_t i = 0; i < count; i++) {
        uint32_t ptr = le32(mem + iovs + 8 * i), len = le32(mem + iovs + 8 * i + 4);
        if ((uint64_t)ptr + len > size) return NULL;
        if (writing) {
            if (r->capture[fd] && len) {
                while (r->len[fd] + len > r->cap[fd]) {
                    r->cap[fd] = r->cap[fd] ? r->cap[fd] * 2 : 4096;
                    r->out[fd] = realloc(r->out[fd], r->cap[fd]);
                }
                memcpy(r->out[fd] + r->len[fd], mem + ptr, len);
                r->len[fd] += len;
            }
            total += len; /* not captured: discarded */
        } else {
            size_t take = r->in_len - r->in_pos < len ? r->in_len - r->in_pos : len;
            if (take) memcpy(mem + ptr, r->in + r->in_pos, take);
            r->in_pos += take;
            total += (uint32_t)take;
        }
    }
    mem[done_at] = (uint8_t)total, mem[done_at + 1] = (uint8_t)(total >> 8);
    mem[done_at + 2] = (uint8_t)(total >> 16), mem[done_at + 3] = (uint8_t)(total >> 24);
    results->data[0] = (wasm_val_t)WASM_I32_VAL(0);
    return NULL;
}

static wasm_trap_t *wasi_fd_write(void *env, const wasm_val_vec_t *args, wasm_val_vec_t *results) {
    return wasi_stream(env, 1, args, results);
}

static wasm_trap_t *wasi_fd_read(void *env, const wasm_val_vec_t *args, wasm_val_vec_t *results) {
    return wasi_stream(env, 0, args, results);
}

/* A string item of a JSON array (NUL-terminated; NULL if not a string). */
static const char *item_str(const jval *arr, size_t i) {
    return arr && arr->type == J_ARR && i < arr->len && arr->items[i]->type == J_STR ? arr->items[i]->str : NULL;
}

static size_t arr_len(const jval *arr) { return arr && arr->type == J_ARR ? arr->len : 0; }

/* "WASI exited with code: ExitCode::7": 1 and the code. */
static int exit_of(const wasm_message_t *msg, long *code) {
    static const char prefix[] = "WASI exited with code: ";
    size_t n = sizeof prefix - 1;
    if (msg->size < n || memcmp(msg->data, prefix, n) != 0) return 0;
    size_t i = n;
    while (i < msg->size && (msg->data[i] < '0' || msg->data[i] > '9')) i++;
    if (i == msg->size) return 0;
    *code = 0;
    while (i < msg->size && msg->data[i] >= '0' && msg->data[i] <= '9') *code = *code * 10 + (msg->data[i++] - '0');
    return 1;
}

static wasm_engine_t *engine;

static void op_wasi(const jval *req) {
    const char *path = jstr(req, "path"), *program = jstr(req, "program");
    jval *args = jget(req, "args"), *env = jget(req, "env"), *preopens = jget(req, "preopens");
    jval *maps = jget(req, "maps"), *capture = jget(req, "capture"), *in = jget(req, "stdin");
    wasi_run *r = calloc(1, sizeof *r);
    for (size_t i = 0; i < arr_len(capture); i++) {
        const char *s = item_str(capture, i);
        if (s && !strcmp(s, "stdout")) r->capture[1] = 1;
        if (s && !strcmp(s, "stderr")) r->capture[2] = 1;
    }
    if (!path || !program) {
        answer_error("protocol", "wasi: path and program are required");
        free(r);
        return;
    }
    if (in && in->type == J_STR && !from_base64(in->str, in->slen, &r->in, &r->in_len)) {
        answer_error("protocol", "wasi: stdin is not base64");
        free(r);
        return;
    }
    wasm_byte_vec_t bytes;
    if (!read_file(path, &bytes)) {
        answer_error("runtime", "cannot read %s", path);
        free(r->in);
        free(r);
        return;
    }
    wasm_store_t *wstore = wasm_store_new(engine); /* a store per program */
    wasm_module_t *module = wasm_module_new(wstore, &bytes);
    wasm_byte_vec_delete(&bytes);
    wasi_env_t *wenv = NULL;
    wasm_instance_t *instance = NULL;
    wasm_extern_vec_t exports = WASM_EMPTY_VEC;
    wasmer_named_extern_vec_t named = {0, NULL};
    int have_named = 0, started = 0;
    if (!module) {
        answer_error("compile", "%s", last_error());
        goto done;
    }
    wasi_config_t *config = wasi_config_new(program);
    for (size_t i = 0; i < arr_len(args); i++) wasi_config_arg(config, item_str(args, i) ? item_str(args, i) : "");
    for (size_t i = 0; i < arr_len(env); i++) {
        jval *pair = env->items[i];
        if (arr_len(pair) == 2 && item_str(pair, 0) && item_str(pair, 1))
            wasi_config_env(config, item_str(pair, 0), item_str(pair, 1));
    }
    int ok = 1;
    for (size_t i = 0; i < arr_len(preopens) && ok; i++) ok = item_str(preopens, i) && wasi_config_preopen_dir(config, item_str(preopens, i));
    for (size_t i = 0; i < arr_len(maps) && ok; i++) {
        jval *pair = maps->items[i];
        ok = arr_len(pair) == 2 && item_str(pair, 0) && item_str(pair, 1) &&
             wasi_config_mapdir(config, item_str(pair, 0), item_str(pair, 1));
    }
    wasi_config_capture_stdout(config); /* libwasmer's own streams never reach the host */
    wasi_config_capture_stderr(config);
    wenv = wasi_env_new(wstore, config);
    if (!ok || !wenv) {
        answer_error("argument", "cannot give the program its directories: %s", last_error());
        wenv = NULL; /* an env no instance initialized cannot be deleted (libwasmer aborts): left */
        goto done;
    }
    if (!wasi_get_unordered_imports(wenv, module, &named)) {
        answer_error("link", "no WASI imports for this module: %s", last_error());
        goto done;
    }
    have_named = 1;
    wasm_importtype_vec_t imports;
    wasm_module_imports(module, &imports);
    wasm_extern_t **externs = calloc(imports.size + 1, sizeof *externs);
    const char *missing = NULL;
    for (size_t i = 0; i < imports.size && !missing; i++) {
        const wasm_name_t *mod = wasm_importtype_module(imports.data[i]), *nm = wasm_importtype_name(imports.data[i]);
        for (size_t j = 0; j < named.size && !externs[i]; j++) {
            const wasm_name_t *m2 = wasmer_named_extern_module(named.data[j]), *n2 = wasmer_named_extern_name(named.data[j]);
            if (m2->size == mod->size && !memcmp(m2->data, mod->data, mod->size) && n2->size == nm->size &&
                !memcmp(n2->data, nm->data, nm->size))
                externs[i] = (wasm_extern_t *)wasmer_named_extern_unwrap(named.data[j]);
        }
        if (!externs[i]) missing = "an import that is not WASI";
        int is_write = name_eq(nm, "fd_write"), is_read = name_eq(nm, "fd_read");
        if (externs[i] && (is_write || is_read)) {
            wasm_func_t *orig = wasm_extern_as_func(externs[i]);
            wasm_functype_t *type = wasm_func_type(orig);
            if (is_write) r->fd_write = orig;
            else r->fd_read = orig;
            wasm_func_t *wrap = wasm_func_new_with_env(wstore, type, is_write ? wasi_fd_write : wasi_fd_read, r, NULL);
            r->wraps[is_write] = wrap;
            externs[i] = wasm_func_as_extern(wrap);
            wasm_functype_delete(type);
        }
    }
    wasm_trap_t *trap = NULL;
    if (!missing) {
        wasm_extern_vec_t vec = {imports.size, externs};
        instance = wasm_instance_new(wstore, module, &vec, &trap);
    }
    free(externs);
    wasm_importtype_vec_delete(&imports);
    if (!instance) {
        if (trap) answer_trap(trap);
        else answer_error("link", "%s", missing ? missing : last_error());
        wenv = NULL; /* not initialized by an instance: left (see above) */
        goto done;
    }
    wasm_instance_exports(instance, &exports);
    wasm_exporttype_vec_t types;
    wasm_module_exports(module, &types);
    wasm_func_t *start = NULL;
    for (size_t i = 0; i < types.size; i++) {
        const wasm_name_t *en = wasm_exporttype_name(types.data[i]);
        if (name_eq(en, "memory") && wasm_extern_kind(exports.data[i]) == WASM_EXTERN_MEMORY)
            r->memory = wasm_extern_as_memory(exports.data[i]);
        if (name_eq(en, "_start") && wasm_extern_kind(exports.data[i]) == WASM_EXTERN_FUNC)
            start = wasm_extern_as_func(exports.data[i]);
    }
    wasm_exporttype_vec_delete(&types);
    if (!wasi_env_initialize_instance(wenv, wstore, instance)) {
        answer_error("runtime", "cannot initialize the WASI environment: %s", last_error());
        goto done;
    }
    started = 1;
    if (!start) {
        answer_error("link", "no exported function _start");
        goto done;
    }
    wasm_val_vec_t none = WASM_EMPTY_VEC, results = WASM_EMPTY_VEC;
    trap = wasm_func_call(start, &none, &results);
    long code = -1;
    if (trap) {
        wasm_message_t msg;
        wasm_trap_message(trap, &msg);
        int exited = exit_of(&msg, &code);
        wasm_byte_vec_delete(&msg);
        if (!exited) {
            answer_trap(trap);
            goto done;
        }
        wasm_trap_delete(trap);
    }
    answer_begin();
    printf("\"ok\": true, \"exit\": ");
    if (code < 0) printf("null");
    else printf("%ld", code);
    for (int fd = 1; fd <= 2; fd++) {
        printf(", \"%s\": ", fd == 1 ? "stdout" : "stderr");
        if (r->capture[fd]) put_base64(r->out[fd], r->len[fd]);
        else printf("null");
    }
    printf("}\n");
    fflush(stdout);
done:
    wasm_extern_vec_delete(&exports);
    if (instance) wasm_instance_delete(instance);
    for (int i = 0; i < 2; i++)
        if (r->wraps[i]) wasm_func_delete(r->wraps[i]);
    if (have_named) wasmer_named_extern_vec_delete(&named);
    if (wenv && started) wasi_env_delete(wenv);
    if (module) wasm_module_delete(module);
    wasm_store_delete(wstore);
    for (int fd = 1; fd <= 2; fd++) free(r->out[fd]);
    free(r->in);
    free(r);
}

int main(void) {
    engine = wasm_engine_new();
    store = wasm_store_new(engine);
    make_host_modules();
    size_t cap = 1 << 16;
    char *line = malloc(cap);
    ssize_t n;
    while ((n = getline(&line, &cap, stdin)) >= 0) {
        jp = line;
        jskip();
        if (!*jp) continue;
        jval *req = jparse();
        const char *op = jstr(req, "op");
        jval *id = jget(req, "id");
        req_id = id && id->type == J_NUM ? id->str : NULL;
        if (!op) answer_error("protocol", "no op");
        else if (!strcmp(op, "module")) op_module(req, 1);
        else if (!strcmp(op, "compile")) op_module(req, 0);
        else if (!strcmp(op, "register")) op_register(req);
        else if (!strcmp(op, "invoke")) op_invoke(req);
        else if (!strcmp(op, "get")) op_get(req);
        else if (!strcmp(op, "read_cstring")) op_read_cstring(req);
        else if (!strcmp(op, "wasi")) op_wasi(req);
        else if (!strcmp(op, "quit")) {
            jfree(req);
            break;
        } else answer_error("protocol", "unknown op %s", op);
        jfree(req);
    }
    free(line);
    for (size_t i = 0; i < n_instances; i++) {
        wasm_extern_vec_delete(&instances[i].exports);
        wasm_exporttype_vec_delete(&instances[i].export_types);
        wasm_instance_delete(instances[i].instance);
        wasm_module_delete(instances[i].module);
        free(instances[i].registered);
    }
    free(instances);
    for (size_t i = 0; i < n_host; i++) wasm_extern_delete(host[i].ext);
    wasm_store_delete(store);
    wasm_engine_delete(engine);
    return 0;
}

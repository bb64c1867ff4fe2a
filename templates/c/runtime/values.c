/* templates/c/runtime/values.c: plain C of the shared glue, rendered verbatim into wasmgen.c. */

/* ------------------------------------------------------------------ values */

/* f32 <-> double by bits (see wasmgen.h): a NaN keeps its sign and payload. */
double wg_f32_bits_to_f64(uint32_t bits) {
    union { uint32_t u; float f; } in = {bits};
    if ((bits & 0x7f800000u) != 0x7f800000u || !(bits & 0x007fffffu)) return (double)in.f;
    union { uint64_t u; double d; } out;
    out.u = ((uint64_t)(bits & 0x80000000u) << 32) | 0x7ff0000000000000ull | ((uint64_t)(bits & 0x007fffffu) << 29);
    return out.d;
}

uint32_t wg_f64_to_f32_bits(double value) {
    union { uint64_t u; double d; } in;
    in.d = value;
    if ((in.u & 0x7ff0000000000000ull) != 0x7ff0000000000000ull || !(in.u & 0x000fffffffffffffull)) {
        union { float f; uint32_t u; } out = {(float)value};
        return out.u;
    }
    uint32_t payload = (uint32_t)((in.u & 0x000fffffffffffffull) >> 29);
    if (!payload) payload = 0x00400000u; /* a payload only in the low bits: the canonical quiet NaN */
    return (uint32_t)((in.u >> 32) & 0x80000000u) | 0x7f800000u | payload;
}

/* References cross the glue as:
   - externref: wg_val.bits, a nonzero token of the language's own for a host
     object (0 is null). The glue wraps it in a foreign reference whose finalizer,
     run when the store drops it, hands the token to the language's release
     callback (wg_set_externref_release);
   - funcref: wg_val.ref, a wg_extern Function handle (NULL is null). Given to the
     glue it is borrowed; coming from the glue it is new and the language owns it. */
static wg_host_release_fn wg_externref_release;

void wg_set_externref_release(wg_host_release_fn release) { wg_externref_release = release; }

static void wg_foreign_finalize(void *info) {
    if (wg_externref_release) wg_externref_release((uint64_t)(uintptr_t)info);
}

/* The message for a function used in another store than its own. */
#define WG_OTHER_STORE                                                                        \
    "the function belongs to another store (an instance lives in a store of its own unless " \
    "it imports a memory, table, global or function of another instance: then it joins "    \
    "that store; link instances through imports to pass functions between them)"

/* Fails unless a value can go into wasm in `store`: libwasmer aborts the process on
   a host function used as a funcref, and refuses a function of another store with
   a different error at each place it meets one. */
static const char *wg_check_val(const wg_store *store, uint8_t kind, wg_val v) {
    if (kind == WASM_FUNCREF && v.ref) {
        const wg_extern *f = v.ref;
        if (f->kind != WASM_EXTERN_FUNC) return "a funcref must be a Function";
        if (f->host) return "a host function cannot be used as a funcref (libwasmer does not support it)";
        if (f->store != store) return WG_OTHER_STORE;
    }
    return NULL;
}

/* A wasm value; a reference in it is owned by the caller (wasm_ref_delete). */
static wasm_val_t wg_to_wasm(wasm_store_t *store, uint8_t kind, wg_val v) {
    wasm_val_t w;
    memset(&w, 0, sizeof w);
    w.kind = kind;
    switch (kind) {
    case WASM_I32: w.of.i32 = v.i32; break;
    case WASM_I64: w.of.i64 = v.i64; break;
    case WASM_F32: w.of.f32 = v.f32; break;
    case WASM_F64: w.of.f64 = v.f64; break;
    case WASM_EXTERNREF:
        if (v.bits) {
            wasm_foreign_t *foreign = wasm_foreign_new(store);
            wasm_foreign_set_host_info_with_finalizer(foreign, (void *)(uintptr_t)v.bits, wg_foreign_finalize);
            w.of.ref = wasm_foreign_as_ref(foreign);
        }
        break;
    case WASM_FUNCREF:
        if (v.ref) w.of.ref = wasm_func_as_ref(wasm_extern_as_func(((wg_extern *)v.ref)->ext));
        break;
    default: break;
    }
    return w;
}

/* A glue value; a funcref in it is a new Function handle of `store`. The wasm
   value's own reference is deleted when `take` is set. */
static wg_val wg_from_wasm(wg_store *store, const wasm_val_t *w, int take) {
    wg_val v;
    v.bits = 0;
    switch (w->kind) {
    case WASM_I32: v.i32 = w->of.i32; break;
    case WASM_I64: v.i64 = w->of.i64; break;
    case WASM_F32: v.f32 = w->of.f32; break;
    case WASM_F64: v.f64 = w->of.f64; break;
    case WASM_EXTERNREF:
        if (w->of.ref) v.bits = (uint64_t)(uintptr_t)wasm_ref_get_host_info(w->of.ref);
        break;
    case WASM_FUNCREF:
        if (w->of.ref) {
            wasm_func_t *func = wasm_ref_as_func(w->of.ref); /* owned */
            wg_extern *handle = NULL;
            if (func && wg_wrap_extern(store, wasm_func_as_extern(func), &handle) == WG_OK) v.ref = handle;
        }
        break;
    default: break;
    }
    if (take && w->kind >= WASM_EXTERNREF && w->of.ref) wasm_ref_delete(w->of.ref);
    return v;
}

static void wg_delete_refs(wasm_val_t *vals, uint32_t n) {
    for (uint32_t i = 0; i < n; i++)
        if (vals[i].kind >= WASM_EXTERNREF && vals[i].of.ref) wasm_ref_delete(vals[i].of.ref);
}

/* ---- bulk memory: the bounds check of Memory.read / Memory.write and the read into a
   caller's buffer (the bindings that own the destination: a Python bytes, a Java byte[]) */

/* ArgumentError unless [offset, offset + length) lies inside the memory (no overflow). */
static int wg_memory_check(wasm_memory_t *memory, uint64_t offset, uint64_t length) {
    uint64_t size = (uint64_t)wasm_memory_data_size(memory);
    if (offset > size || length > size - offset)
        return wg_fail(WG_ERR_ARGUMENT_ERROR, "out of bounds: offset %llu + length %llu is past the end of "
                       "memory (%llu bytes)", (unsigned long long)offset, (unsigned long long)length,
                       (unsigned long long)size);
    return WG_OK;
}

int wg_memory_read_into(wg_extern *self, uint64_t offset, uint8_t *dst, uint64_t length) {
    if (!self || self->kind != WASM_EXTERN_MEMORY) return wg_fail(WG_ERR_ARGUMENT_ERROR, "not a memory");
    if (length && !dst) return wg_fail(WG_ERR_ARGUMENT_ERROR, "dst is null");
    wg_store *held = wg_lock(self->store);
    wasm_memory_t *memory = wasm_extern_as_memory(self->ext);
    int rc = wg_memory_check(memory, offset, length);
    if (rc == WG_OK && length) memcpy(dst, (const uint8_t *)wasm_memory_data(memory) + offset, (size_t)length);
    wg_unlock(held);
    return rc;
}

int wg_memory_lock(wg_extern *self, wg_buffer *out) {
    if (!self || self->kind != WASM_EXTERN_MEMORY || !out) return wg_fail(WG_ERR_ARGUMENT_ERROR, "not a memory");
    wg_lock(self->store);
    wasm_memory_t *memory = wasm_extern_as_memory(self->ext);
    out->data = (uint8_t *)wasm_memory_data(memory);
    out->len = wasm_memory_data_size(memory);
    return WG_OK;
}

void wg_memory_unlock(wg_extern *self) {
    if (self) wg_unlock(self->store);
}

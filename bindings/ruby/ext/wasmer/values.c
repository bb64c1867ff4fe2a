/* WebAssembly values and Ruby values: the externref registry, funcrefs, value
   arrays (the per-value conversion itself is inline in runtime.h). */
#include "runtime.h"

/* externref: any Ruby object (nil is null). Each time one goes into wasm it gets
   a new token, slot index + 1 in the low 32 bits and the slot's generation in
   the high ones (never 0); the same token comes back out of wasm and maps to the
   same object. The glue hands a token back (wg_set_externref_release) when the
   store drops its reference, possibly during GC sweep or at exit: releasing
   touches C memory only, and the slot arrays use the C allocator so that growing
   them never starts a GC (which could release into arrays being replaced). The
   registry marks its objects (rb_gc_mark pins: the slots hold raw VALUEs). */
typedef struct wgrb_xref {
    VALUE obj;
    uint32_t gen;
    uint32_t live;
} wgrb_xref;

static wgrb_xref *wgrb_xrefs;
static uint32_t *wgrb_xrefs_free;
static uint32_t wgrb_xrefs_top, wgrb_xrefs_cap, wgrb_xrefs_nfree, wgrb_xrefs_live;
static VALUE wgrb_xrefs_holder = Qnil; /* marks the registry */

static void wgrb_xrefs_mark(void *p) {
    (void)p;
    for (uint32_t i = 0; i < wgrb_xrefs_top; i++)
        if (wgrb_xrefs[i].live) rb_gc_mark(wgrb_xrefs[i].obj);
}

static const rb_data_type_t wgrb_t_xrefs = {
    "wasmer/externrefs", {wgrb_xrefs_mark, NULL, NULL}, NULL, NULL, RUBY_TYPED_FREE_IMMEDIATELY,
};

/* Room for `n` more tokens, so that making them cannot fail halfway. */
void wgrb_xref_reserve(uint32_t n) {
    if (wgrb_xrefs_nfree + (wgrb_xrefs_cap - wgrb_xrefs_top) >= n) return;
    uint32_t cap = wgrb_xrefs_cap ? wgrb_xrefs_cap : 64;
    while (wgrb_xrefs_nfree + (cap - wgrb_xrefs_top) < n) {
        if (cap > UINT32_MAX / 2) rb_raise(rb_eNoMemError, "too many live externrefs");
        cap *= 2;
    }
    wgrb_xref *slots = realloc(wgrb_xrefs, (size_t)cap * sizeof *slots);
    if (!slots) rb_memerror();
    wgrb_xrefs = slots;
    uint32_t *free_list = realloc(wgrb_xrefs_free, (size_t)cap * sizeof *free_list);
    if (!free_list) rb_memerror();
    wgrb_xrefs_free = free_list;
    wgrb_xrefs_cap = cap;
}

/* A new token for `obj` (not nil); wgrb_xref_reserve made room for it. */
uint64_t wgrb_xref_new(VALUE obj) {
    uint32_t idx;
    if (wgrb_xrefs_nfree) {
        idx = wgrb_xrefs_free[--wgrb_xrefs_nfree];
    } else {
        idx = wgrb_xrefs_top++;
        wgrb_xrefs[idx].gen = 0;
    }
    wgrb_xref *x = &wgrb_xrefs[idx];
    x->obj = obj;
    x->gen++;
    x->live = 1;
    wgrb_xrefs_live++;
    return ((uint64_t)x->gen << 32) | (idx + 1);
}

static wgrb_xref *wgrb_xref_lookup(uint64_t token) {
    uint32_t idx = (uint32_t)(token & 0xffffffffu), gen = (uint32_t)(token >> 32);
    if (idx == 0 || idx > wgrb_xrefs_top) return NULL;
    wgrb_xref *x = &wgrb_xrefs[idx - 1];
    return x->live && x->gen == gen ? x : NULL;
}

/* The glue's release callback; also undoes a token the glue never took. A stale
   token (already released, its slot reused) does nothing. */
void wgrb_xref_release(uint64_t token) {
    wgrb_xref *x = wgrb_xref_lookup(token);
    if (!x) return;
    x->live = 0;
    x->obj = Qnil;
    wgrb_xrefs_free[wgrb_xrefs_nfree++] = (uint32_t)(token & 0xffffffffu) - 1;
    wgrb_xrefs_live--;
}

VALUE wgrb_xref_get(uint64_t token) {
    wgrb_xref *x = wgrb_xref_lookup(token);
    return x ? x->obj : Qnil;
}

/* funcref: a Wasmer::Function or nil, borrowed by the glue for the duration of the
   glue call (the caller keeps the Ruby object alive until then). A host function
   cannot be one: refused here, with the glue's message, so that a host function's
   result fails the same way as a call argument. */
wg_extern *wgrb_funcref(VALUE v, const char *what, int index) {
    if (NIL_P(v)) return NULL;
    char buf[64];
    if (!rb_typeddata_is_kind_of(v, &wgrb_t_wg_extern) || ((wgrb_handle *)RTYPEDDATA_DATA(v))->kind != WG_EXTERN_FUNC)
        rb_raise(rb_eTypeError, "%s (funcref) must be a Wasmer::Function or nil, not %" PRIsVALUE,
                 WGRB_LABEL(buf, what, index), rb_obj_class(v));
    wgrb_handle *h = wgrb_get(v, &wgrb_t_wg_extern, WG_EXTERN_FUNC, WGRB_LABEL(buf, what, index));
    if (RB_UNLIKELY(h->flags & WGRB_HOST))
        wgrb_fail(WG_ERR_ARGUMENT_ERROR, "%s: a host function cannot be used as a funcref (libwasmer does not support it)",
                  WGRB_LABEL(buf, what, index));
    return h->ptr;
}

void wgrb_lower_externrefs(const uint8_t *kinds, uint32_t n, const VALUE *src, wg_val *out) {
    uint32_t need = 0;
    for (uint32_t i = 0; i < n; i++)
        if (kinds[i] == WG_EXTERNREF && !NIL_P(src[i])) need++;
    wgrb_xref_reserve(need);
    for (uint32_t i = 0; i < n; i++)
        if (kinds[i] == WG_EXTERNREF) out[i].bits = NIL_P(src[i]) ? 0 : wgrb_xref_new(src[i]);
}

void wgrb_release_externrefs(const uint8_t *kinds, uint32_t n, const wg_val *vals) {
    for (uint32_t i = 0; i < n; i++)
        if (kinds[i] == WG_EXTERNREF && vals[i].bits) wgrb_xref_release(vals[i].bits);
}

VALUE wgrb_lift_vals(const wgrb_handle *h, const wg_val *vals) {
    uint32_t np = h->np, nr = h->nr;
    if (nr == 0) return Qnil;
    if (nr == 1) return wgrb_lift_val(h->kinds[np], vals[0], h->owner, h->parent);
    VALUE ary = rb_ary_new_capa(nr);
    for (uint32_t i = 0; i < nr; i++) rb_ary_push(ary, wgrb_lift_val(h->kinds[np + i], vals[i], h->owner, h->parent));
    return ary;
}

/* Native.to_bits(kind, value): the bits of a number; a reference is only checked
   (0: it has no bits of its own). */
static VALUE wgrb_to_bits(VALUE mod, VALUE kind, VALUE value) {
    (void)mod;
    wg_val v;
    uint8_t k = (uint8_t)wgrb_uint(kind, UINT8_MAX, "kind");
    wgrb_lower_val(k, value, &v, "value", -1);
    return k == WG_EXTERNREF || k == WG_FUNCREF ? INT2FIX(0) : ULL2NUM(v.bits);
}

/* Native.from_bits(kind, bits). */
static VALUE wgrb_from_bits(VALUE mod, VALUE kind, VALUE bits) {
    (void)mod;
    wg_val v;
    uint8_t k = (uint8_t)wgrb_uint(kind, UINT8_MAX, "kind");
    if (k == WG_EXTERNREF || k == WG_FUNCREF)
        wgrb_fail(WG_ERR_ARGUMENT_ERROR, "a reference cannot be made from bits");
    v.bits = wgrb_bits(bits, "bits");
    return wgrb_lift_val(k, v, Qnil, Qnil);
}

/* Native.externref_count: live externref tokens (for leak tests). */
static VALUE wgrb_externref_count(VALUE mod) {
    (void)mod;
    return UINT2NUM(wgrb_xrefs_live);
}

void wgrb_values_init(void) {
    rb_define_module_function(wgrb_mNative, "to_bits", wgrb_to_bits, 2);
    rb_define_module_function(wgrb_mNative, "from_bits", wgrb_from_bits, 2);
    rb_define_module_function(wgrb_mNative, "externref_count", wgrb_externref_count, 0);
    rb_gc_register_address(&wgrb_xrefs_holder);
    wgrb_xrefs_holder = TypedData_Wrap_Struct(0, &wgrb_t_xrefs, NULL);
    wg_set_externref_release(wgrb_xref_release);
}

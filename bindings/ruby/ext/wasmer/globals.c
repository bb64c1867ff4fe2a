/* Globals: the value of a global as the Ruby value of its kind (a funcref is a
   Wasmer::Function, an externref the object that went in), read and written by
   the value kind the global has (the low-level Global.get/set take raw bits). */
#include "runtime.h"

/* A global's value kind, asked of the glue once. */
static uint8_t wgrb_global_kind(wgrb_handle *h) {
    if (RB_LIKELY(h->flags & WGRB_VKIND)) return h->vkind;
    wg_extern_type *t = NULL;
    uint8_t kind = 0;
    int rc = wg_global_type(h->ptr, &t);
    if (!rc) rc = wg_extern_type_content(t, &kind);
    wg_extern_type_delete(t);
    if (rc) wgrb_raise(rc);
    h->vkind = kind;
    h->flags |= WGRB_VKIND;
    return kind;
}

/* Native.global_read(global): the value, as the Ruby value of its kind (a funcref
   is a new Wasmer::Function, an externref the object that went in). */
static VALUE wgrb_global_read(VALUE mod, VALUE global) {
    (void)mod;
    wgrb_wait_for(global);
    wgrb_handle *h = wgrb_get(global, &wgrb_t_wg_extern, WG_EXTERN_GLOBAL, "global");
    uint8_t kind = wgrb_global_kind(h);
    wg_val v;
    v.bits = 0;
    int rc = wg_global_get(h->ptr, &v);
    if (rc) wgrb_raise(rc);
    return wgrb_lift_val(kind, v, h->owner, h->parent);
}

/* Native.global_write(global, value). */
static VALUE wgrb_global_write(VALUE mod, VALUE global, VALUE value) {
    (void)mod;
    VALUE stores[2] = {wgrb_store_of(global), wgrb_store_of(value)};
    wgrb_wait(2, stores);
    wgrb_handle *h = wgrb_get(global, &wgrb_t_wg_extern, WG_EXTERN_GLOBAL, "global");
    uint8_t kind = wgrb_global_kind(h);
    wg_val v;
    wgrb_lower_val(kind, value, &v, "value", -1);
    if (kind == WG_EXTERNREF) wgrb_lower_externrefs(&kind, 1, &value, &v);
    int rc = wg_global_set(h->ptr, v);
    RB_GC_GUARD(value);
    RB_GC_GUARD(global);
    if (rc) {
        wgrb_release_externrefs(&kind, 1, &v);
        wgrb_raise(rc);
    }
    return value;
}

/* Native.global_create(store, kind, mutable, value) -> a new Global. */
static VALUE wgrb_global_create(VALUE mod, VALUE store, VALUE kind_v, VALUE mutable_v, VALUE value) {
    (void)mod;
    uint8_t kind = (uint8_t)wgrb_uint(kind_v, UINT8_MAX, "kind");
    VALUE stores[2] = {wgrb_store_of(store), wgrb_store_of(value)};
    wgrb_wait(2, stores);
    wgrb_handle *sh = wgrb_get(store, &wgrb_t_wg_store, -1, "store");
    wg_val v;
    wgrb_lower_val(kind, value, &v, "value", -1);
    if (kind == WG_EXTERNREF) wgrb_lower_externrefs(&kind, 1, &value, &v);
    wg_extern *out = NULL;
    int rc = wg_global_new(sh->ptr, kind, RTEST(mutable_v), v, &out);
    RB_GC_GUARD(value);
    if (rc) {
        wgrb_release_externrefs(&kind, 1, &v); /* a token the glue took and dropped is stale: no double release */
        wgrb_raise(rc);
    }
    return wgrb_wrap_extern(out, store, Qnil);
}

void wgrb_globals_init(void) {
    rb_define_module_function(wgrb_mNative, "global_read", wgrb_global_read, 1);
    rb_define_module_function(wgrb_mNative, "global_write", wgrb_global_write, 2);
    rb_define_module_function(wgrb_mNative, "global_create", wgrb_global_create, 4);
}

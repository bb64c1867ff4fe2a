/* Glue handles as Ruby objects (TypedData), #close, and the threads rule of glue
   calls (see runtime.h). */
#include "runtime.h"

/* rb_gc_mark pins: the registry's copies of the callables stay valid under GC.compact. */
void wgrb_handle_mark(void *p) {
    wgrb_handle *h = p;
    rb_gc_mark(h->owner);
    rb_gc_mark(h->parent);
    rb_gc_mark(h->inside_thread);
    rb_gc_mark(h->waiters);
    if (RB_TYPE_P(h->hosts, T_ARRAY)) {
        rb_gc_mark(h->hosts);
        for (long i = 0; i < RARRAY_LEN(h->hosts); i++) rb_gc_mark(RARRAY_AREF(h->hosts, i));
    }
}

size_t wgrb_handle_size(const void *p) {
    const wgrb_handle *h = p;
    return sizeof *h + (h->kinds ? h->np + h->nr + 1 : 0);
}

VALUE wgrb_wrap(VALUE klass, const rb_data_type_t *type, void *ptr, VALUE owner) {
    wgrb_handle *h;
    VALUE obj = TypedData_Make_Struct(klass, wgrb_handle, type, h);
    h->ptr = ptr;
    h->owner = owner;
    h->parent = Qnil;
    h->hosts = Qnil;
    h->inside_thread = Qnil;
    h->waiters = Qnil;
    return obj;
}

VALUE wgrb_wrap_extern(wg_extern *ext, VALUE owner, VALUE parent) {
    uint8_t kind = 0;
    if (wg_extern_kind(ext, &kind)) {
        wg_extern_delete(ext);
        wgrb_raise(WG_ERR_RUNTIME_ERROR);
    }
    VALUE obj = wgrb_wrap(wgrb_extern_class(kind), &wgrb_t_wg_extern, ext, owner);
    wgrb_handle *h = RTYPEDDATA_DATA(obj);
    h->kind = kind;
    h->parent = parent;
    if (kind == WG_EXTERN_FUNC) {
        wg_extern_type *t = NULL;
        uint32_t np = 0, nr = 0;
        int rc = wg_function_type(ext, &t);
        if (!rc) rc = wg_extern_type_param_count(t, &np);
        if (!rc) rc = wg_extern_type_result_count(t, &nr);
        if (!rc) {
            h->kinds = ruby_xmalloc(np + nr + 1);
            for (uint32_t i = 0; i < np && !rc; i++) rc = wg_extern_type_param(t, i, &h->kinds[i]);
            for (uint32_t i = 0; i < nr && !rc; i++) rc = wg_extern_type_result(t, i, &h->kinds[np + i]);
            h->np = np;
            h->nr = nr;
            for (uint32_t i = 0; i < np && !rc; i++)
                if (h->kinds[i] == WG_EXTERNREF) h->flags |= WGRB_XPARAMS;
        }
        wg_extern_type_delete(t);
        if (rc) wgrb_raise(rc);
    }
    return obj;
}

/* ------------------------------------------------------------------ threads */

/* The glue waits for a store's lock held by another thread here, without the GVL:
   that thread may be in a Ruby host function and need the GVL to finish (a store
   that wgrb_wait cannot see, e.g. the store of another Store's imports). */
struct wgrb_blocking { wg_blocking_fn wait; void *arg; };

static void *wgrb_blocking_call(void *p) {
    struct wgrb_blocking *b = p;
    b->wait(b->arg);
    return NULL;
}

static void wgrb_blocking_region(wg_blocking_fn wait, void *arg) {
    struct wgrb_blocking b = {wait, arg};
    rb_thread_call_without_gvl(wgrb_blocking_call, &b, NULL, NULL);
}

VALUE wgrb_store_of(VALUE obj) {
    if (!RB_TYPE_P(obj, T_DATA) || !RTYPEDDATA_P(obj)) return Qnil;
    const rb_data_type_t *type = RTYPEDDATA_TYPE(obj);
    for (size_t i = 0; i < wgrb_handle_type_count; i++) {
        if (type != wgrb_handle_types[i]) continue;
        wgrb_handle *h = RTYPEDDATA_DATA(obj);
        if (!h) return Qnil;
        return type == &wgrb_t_wg_store ? obj : h->owner;
    }
    return Qnil;
}

/* Sleeps (without the GVL) while another thread is inside a glue call of `store`;
   whether it slept. May raise (Thread#raise, #kill) only before anything started. */
int wgrb_wait_store(VALUE store) {
    if (NIL_P(store)) return 0;
    wgrb_handle *s = RTYPEDDATA_DATA(store);
    if (RB_LIKELY(!s->inside)) return 0;
    VALUE me = rb_thread_current();
    int slept = 0;
    while (s->inside && s->inside_thread != me) {
        if (NIL_P(s->waiters)) s->waiters = rb_ary_new();
        rb_ary_push(s->waiters, me);
        rb_thread_sleep_deadly(); /* until wgrb_leave wakes it (Ruby reports a deadlock: fatal) */
        slept = 1;
    }
    return slept;
}

void wgrb_wake_waiters(wgrb_handle *s) {
    VALUE waiters = s->waiters;
    s->waiters = Qnil;
    for (long i = 0; i < RARRAY_LEN(waiters); i++) rb_thread_wakeup_alive(RARRAY_AREF(waiters, i));
}

/* ------------------------------------------------------------------ close */

static const rb_data_type_t *wgrb_handle_type_of(VALUE obj) {
    if (RB_TYPE_P(obj, T_DATA) && RTYPEDDATA_P(obj))
        for (size_t i = 0; i < wgrb_handle_type_count; i++)
            if (RTYPEDDATA_TYPE(obj) == wgrb_handle_types[i]) return wgrb_handle_types[i];
    rb_raise(rb_eTypeError, "not a wasmer object: %" PRIsVALUE, rb_obj_class(obj));
}

/* #close: frees the runtime object now; any later use raises Wasmer::RuntimeError.
   The handle type's `data` is the glue's delete function. */
VALUE wgrb_close(VALUE self) {
    const rb_data_type_t *type = wgrb_handle_type_of(self);
    wgrb_wait_for(self);
    wgrb_handle *h = RTYPEDDATA_DATA(self);
    if (h->busy) wgrb_fail(WG_ERR_RUNTIME_ERROR, "cannot close a %" PRIsVALUE " while it is in use", rb_obj_class(self));
    if (h->ptr) {
        void *ptr = h->ptr;
        h->ptr = NULL;
        ((void (*)(void *))type->data)(ptr);
    }
    return Qnil;
}

VALUE wgrb_closed_p(VALUE self) {
    wgrb_handle_type_of(self);
    wgrb_handle *h = RTYPEDDATA_DATA(self);
    if (!NIL_P(h->parent) && !((wgrb_handle *)RTYPEDDATA_DATA(h->parent))->ptr) return Qtrue;
    return h->ptr ? Qfalse : Qtrue;
}

/* Native.close(handle). */
static VALUE wgrb_native_close(VALUE mod, VALUE obj) {
    (void)mod;
    return wgrb_close(obj);
}

/* Native.owner(handle): the Store object a handle was made from (a Store: itself), or nil. */
static VALUE wgrb_native_owner(VALUE mod, VALUE obj) {
    (void)mod;
    return wgrb_store_of(obj);
}

void wgrb_handles_init(void) {
    rb_define_module_function(wgrb_mNative, "close", wgrb_native_close, 1);
    rb_define_module_function(wgrb_mNative, "owner", wgrb_native_owner, 1);
    wg_set_blocking_region(wgrb_blocking_region);
}

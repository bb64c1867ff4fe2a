/* Host functions: Ruby callables (a Proc, a Method, anything with #call) as
   WebAssembly functions, through the glue's one host dispatcher. */
#include "runtime.h"

/* Host callables by env handle: slot index + 1 in the low 32 bits, the slot's
   generation in the high ones. The registry does not mark its callables (their
   store does, see wgrb_handle); a slot is freed when the glue releases its
   function (the store freed it), possibly during GC sweep, so releasing touches
   C memory only.

   `store` is the Store object, the owner of the Functions made from funcref
   arguments. It is not marked either, for the same reason: the function can only
   be called through a handle of that store (an export, an import's instance, a
   funcref, a table element), each marking (and so pinning) the Store object, and
   such handles are only made from other live ones. */
typedef struct wgrb_host {
    VALUE fn;
    VALUE store;
    int how; /* 0 proc, 1 method, 2 anything responding to #call */
    uint32_t gen;
    uint32_t np, nr;
    uint8_t *kinds;
    uint8_t refs; /* WGRB_HOST_* below */
} wgrb_host;

enum {
    WGRB_HOST_XRESULTS = 1, /* externref results: their tokens are made after lowering */
    WGRB_HOST_FRESULTS = 2, /* funcref results: kept alive until the glue took them */
};

/* The result of the last host function returning funcrefs: the glue borrows the
   Functions after the dispatcher returned, so they stay referenced until the next
   host call (the GVL is held in between). */
static VALUE wgrb_host_keep = Qnil;

static wgrb_host *wgrb_hosts;
static uint32_t *wgrb_hosts_free;
static uint32_t wgrb_hosts_top, wgrb_hosts_cap, wgrb_hosts_nfree, wgrb_hosts_live;
static ID wgrb_id_call;

static wgrb_host *wgrb_host_lookup(uint64_t env) {
    uint32_t idx = (uint32_t)(env & 0xffffffffu), gen = (uint32_t)(env >> 32);
    if (idx == 0 || idx > wgrb_hosts_top) return NULL;
    wgrb_host *h = &wgrb_hosts[idx - 1];
    return h->kinds && h->gen == gen ? h : NULL;
}

static void wgrb_host_release(uint64_t env) {
    wgrb_host *h = wgrb_host_lookup(env);
    if (!h) return;
    ruby_xfree(h->kinds);
    h->kinds = NULL;
    h->fn = Qnil;
    wgrb_hosts_free[wgrb_hosts_nfree++] = (uint32_t)(env & 0xffffffffu) - 1;
    wgrb_hosts_live--;
}

struct wgrb_call {
    VALUE fn;
    VALUE store;
    int how;
    uint8_t refs;
    uint32_t np, nr;
    const uint8_t *kinds;
    const wg_val *args;
    wg_val *results;
};

/* Runs under rb_protect: every Ruby call that may raise is in here. */
static VALUE wgrb_host_body(VALUE data) {
    struct wgrb_call *c = (struct wgrb_call *)data;
    VALUE argv_stack[WGRB_STACK_VALS], ary = Qnil;
    const VALUE *argv = argv_stack;
    if (c->np <= WGRB_STACK_VALS) {
        for (uint32_t i = 0; i < c->np; i++) argv_stack[i] = wgrb_lift_val(c->kinds[i], c->args[i], c->store, Qnil);
    } else {
        ary = rb_ary_new_capa(c->np);
        for (uint32_t i = 0; i < c->np; i++) rb_ary_push(ary, wgrb_lift_val(c->kinds[i], c->args[i], c->store, Qnil));
        argv = RARRAY_CONST_PTR(ary);
    }
    VALUE ret;
    if (c->how == 0) ret = rb_proc_call_with_block(c->fn, (int)c->np, argv, Qnil);
    else if (c->how == 1) ret = rb_method_call((int)c->np, argv, c->fn);
    else ret = rb_funcallv(c->fn, wgrb_id_call, (int)c->np, argv);
    RB_GC_GUARD(ary);
    const uint8_t *rk = c->kinds + c->np;
    if (c->nr == 1) {
        wgrb_lower_val(rk[0], ret, &c->results[0], "host function result", -1);
        if (RB_UNLIKELY(c->refs)) {
            if (c->refs & WGRB_HOST_XRESULTS) wgrb_lower_externrefs(rk, 1, &ret, c->results);
            if (c->refs & WGRB_HOST_FRESULTS) wgrb_host_keep = ret;
        }
    } else if (c->nr > 1) {
        VALUE list = rb_check_array_type(ret);
        if (NIL_P(list) || RARRAY_LEN(list) != (long)c->nr)
            rb_raise(rb_eTypeError, "a host function with %u results must return an Array of %u values, not %" PRIsVALUE,
                     c->nr, c->nr, NIL_P(list) ? rb_obj_class(ret) : rb_sprintf("%ld values", RARRAY_LEN(list)));
        for (uint32_t i = 0; i < c->nr; i++)
            wgrb_lower_val(rk[i], RARRAY_AREF(list, i), &c->results[i], "host function result", (int)i);
        if (RB_UNLIKELY(c->refs)) {
            if (c->refs & WGRB_HOST_XRESULTS) wgrb_lower_externrefs(rk, c->nr, RARRAY_CONST_PTR(list), c->results);
            if (c->refs & WGRB_HOST_FRESULTS) wgrb_host_keep = list;
        }
    }
    return Qnil;
}

static VALUE wgrb_describe(VALUE exc) {
    return rb_sprintf("%" PRIsVALUE ": %" PRIsVALUE, rb_obj_class(exc), rb_funcall(exc, rb_intern("message"), 0));
}

/* The one dispatcher of the process (wg_set_host_callbacks). It never lets a Ruby
   exception unwind through libwasmer's frames: the exception is kept in
   wgrb_pending and re-raised by wgrb_raise once the glue call returned. */
static int wgrb_host_call(uint64_t env, const wg_val *args, wg_val *results) {
    wgrb_host *h = wgrb_host_lookup(env);
    if (!h) {
        static const char msg[] = "host function called after its release";
        wg_set_host_error(msg, sizeof msg - 1);
        return 1;
    }
    wgrb_host_keep = Qnil;
    struct wgrb_call c = {h->fn, h->store, h->how, h->refs, h->np, h->nr, h->kinds, args, results};
    int state = 0;
    rb_protect(wgrb_host_body, (VALUE)&c, &state);
    RB_GC_GUARD(c.fn);
    if (!state) return 0;
    VALUE exc = rb_errinfo();
    rb_set_errinfo(Qnil);
    if (!rb_obj_is_kind_of(exc, rb_eException))
        exc = rb_exc_new_cstr(wgrb_errors[WG_ERR_HOST_ERROR],
                              "a host function exited by throw/break, which cannot cross WebAssembly frames");
    wgrb_pending = exc;
    int st2 = 0;
    VALUE text = rb_protect(wgrb_describe, exc, &st2);
    if (st2) {
        rb_set_errinfo(Qnil);
        text = rb_str_new_cstr("host function raised");
    }
    wg_set_host_error(RSTRING_PTR(text), (size_t)RSTRING_LEN(text));
    RB_GC_GUARD(text);
    return 1;
}

/* Drops from a store's `hosts` the callables whose functions the glue released
   (a store that frees its host functions before itself does not keep their
   callables forever); pruned again when it has doubled. */
static void wgrb_hosts_prune(VALUE store, wgrb_handle *sh) {
    VALUE keep = rb_ary_new();
    for (uint32_t i = 0; i < wgrb_hosts_top; i++)
        if (wgrb_hosts[i].kinds && wgrb_hosts[i].store == store) rb_ary_push(keep, wgrb_hosts[i].fn);
    sh->hosts = keep;
    sh->np = (uint32_t)(RARRAY_LEN(keep) < 32 ? 64 : 2 * RARRAY_LEN(keep));
}

/* Native.host_register(store, callable, param_kinds, result_kinds) -> env for function_new_host. */
static VALUE wgrb_host_register(VALUE mod, VALUE store, VALUE fn, VALUE params, VALUE results) {
    (void)mod;
    StringValue(params);
    StringValue(results);
    wgrb_handle *sh = wgrb_get(store, &wgrb_t_wg_store, -1, "store");
    int how = rb_obj_is_proc(fn) ? 0 : rb_obj_is_method(fn) ? 1 : 2;
    if (how == 2 && !rb_respond_to(fn, wgrb_id_call))
        rb_raise(rb_eTypeError, "a host function must be a Proc, a Method or respond to #call, not %" PRIsVALUE,
                 rb_obj_class(fn));
    uint32_t np = (uint32_t)RSTRING_LEN(params), nr = (uint32_t)RSTRING_LEN(results);
    if (NIL_P(sh->hosts)) sh->hosts = rb_ary_new();
    if (RARRAY_LEN(sh->hosts) >= (long)sh->np) wgrb_hosts_prune(store, sh);
    rb_ary_push(sh->hosts, fn);
    uint8_t *kinds = ruby_xmalloc(np + nr + 1);
    memcpy(kinds, RSTRING_PTR(params), np);
    memcpy(kinds + np, RSTRING_PTR(results), nr);
    if (!wgrb_hosts_nfree && wgrb_hosts_top == wgrb_hosts_cap) {
        uint32_t cap = wgrb_hosts_cap ? wgrb_hosts_cap * 2 : 64;
        /* both arrays grow together: releasing never allocates */
        wgrb_hosts = ruby_xrealloc2(wgrb_hosts, cap, sizeof *wgrb_hosts);
        wgrb_hosts_free = ruby_xrealloc2(wgrb_hosts_free, cap, sizeof *wgrb_hosts_free);
        wgrb_hosts_cap = cap;
    }
    uint32_t idx;
    if (wgrb_hosts_nfree) {
        idx = wgrb_hosts_free[--wgrb_hosts_nfree];
    } else {
        idx = wgrb_hosts_top++;
        wgrb_hosts[idx].gen = 0;
    }
    wgrb_host *h = &wgrb_hosts[idx];
    h->fn = fn;
    h->store = store;
    h->how = how;
    h->gen++;
    h->np = np;
    h->nr = nr;
    h->kinds = kinds;
    h->refs = 0;
    for (uint32_t i = 0; i < nr; i++) {
        if (kinds[np + i] == WG_EXTERNREF) h->refs |= WGRB_HOST_XRESULTS;
        if (kinds[np + i] == WG_FUNCREF) h->refs |= WGRB_HOST_FRESULTS;
    }
    wgrb_hosts_live++;
    return ULL2NUM(((uint64_t)h->gen << 32) | (idx + 1));
}

/* Native.host_unregister(env): when function_new_host failed. */
static VALUE wgrb_host_unregister(VALUE mod, VALUE env) {
    (void)mod;
    wgrb_host_release(NUM2ULL(env));
    return Qnil;
}

/* Native.host_count: live host callables (for leak tests). */
static VALUE wgrb_host_count(VALUE mod) {
    (void)mod;
    return UINT2NUM(wgrb_hosts_live);
}

/* Native.mark_host(function): flags the Function made by function_new_host, which
   the glue refuses as a funcref (see wgrb_funcref). */
static VALUE wgrb_mark_host(VALUE mod, VALUE function) {
    (void)mod;
    wgrb_get(function, &wgrb_t_wg_extern, WG_EXTERN_FUNC, "function")->flags |= WGRB_HOST;
    return function;
}

void wgrb_hosts_init(void) {
    wgrb_id_call = rb_intern("call");
    rb_define_module_function(wgrb_mNative, "host_register", wgrb_host_register, 4);
    rb_define_module_function(wgrb_mNative, "host_unregister", wgrb_host_unregister, 1);
    rb_define_module_function(wgrb_mNative, "host_count", wgrb_host_count, 0);
    rb_define_module_function(wgrb_mNative, "mark_host", wgrb_mark_host, 1);
    rb_gc_register_address(&wgrb_host_keep);
    wg_set_host_callbacks(wgrb_host_call, wgrb_host_release);
}

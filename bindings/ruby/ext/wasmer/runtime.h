/* The runtime support of the Ruby extension, shared by its C files: the handle
   object every glue handle lives in, numbers, value conversion and the thread
   rules of glue calls. The generated wasmer_native.c (templates/ruby) holds what
   comes from api.yaml: one Wasmer::Native function per spec method, the handle
   types and classes, the error classes and constants. The hand-written files next
   to it hold the rest:

     runtime.c         errors, Init of the runtime support
     handles.c         wrapping glue handles, #close, the threads rule (wait/enter/leave)
     values.c          externref registry, funcref, lowering/lifting value arrays
     host_functions.c  Ruby callables as WebAssembly functions (the dispatcher)
     globals.c         a global's value as the Ruby value of its kind
     memory_views.c    Uint8Array ... Int32Array: typed views of a memory
     function_call.c   Function#call, the hot path

   Hot helpers are `static inline` here so that every file keeps them inlined. */
#ifndef WASMER_RUBY_RUNTIME_H
#define WASMER_RUBY_RUNTIME_H

#include <ruby.h>
#include <ruby/thread.h>
#include <ruby/encoding.h>

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "wasmgen.h"

#define WGRB_STACK_VALS 16

/* ------------------------------------------------------------------ generated (wasmer_native.c) */

extern VALUE wgrb_mWasmer, wgrb_mNative, wgrb_mError;
/* The error class of each glue error code (0: none). */
extern VALUE wgrb_errors[];
extern const int wgrb_error_max;
/* The handle types: one per glue handle type (wg_store, wg_extern, ...). */
extern const rb_data_type_t wgrb_t_wg_store, wgrb_t_wg_extern;
extern const rb_data_type_t *const wgrb_handle_types[];
extern const size_t wgrb_handle_type_count;
/* "Wasmer::Function" ... by extern kind, for messages. */
extern const char *wgrb_kind_names[256];
/* The Ruby class of an extern of a kind (the generic extern class for an unknown kind). */
VALUE wgrb_extern_class(uint8_t kind);

/* ------------------------------------------------------------------ errors (runtime.c) */

/* The exception a host function raised, re-raised where WebAssembly returns to Ruby. */
extern VALUE wgrb_pending;

NORETURN(void wgrb_raise(int rc));
NORETURN(void wgrb_fail(int code, const char *fmt, ...));

static inline void wgrb_arity(int argc, int want) {
    if (RB_UNLIKELY(argc != want))
        wgrb_fail(WG_ERR_ARGUMENT_ERROR, "wrong number of arguments (given %d, expected %d)", argc, want);
}

/* Initializes the hand-written parts; called last by Init_wasmer_native. */
void wgrb_runtime_init(void);
void wgrb_handles_init(void);
void wgrb_values_init(void);
void wgrb_hosts_init(void);
void wgrb_globals_init(void);
void wgrb_views_init(void);
void wgrb_function_call_init(void);

/* ------------------------------------------------------------------ numbers */

/* "argument 2", "value": how messages name what they refuse. */
#define WGRB_LABEL(buf, what, index) \
    (index >= 0 ? (snprintf(buf, sizeof buf, "%s %d", what, index), buf) : what)

/* An Integer in 0..max (TypeError for a non-Integer, ArgumentError out of range). */
static inline uint64_t wgrb_uint(VALUE v, uint64_t max, const char *what) {
    if (RB_LIKELY(FIXNUM_P(v))) {
        long x = FIX2LONG(v);
        if (x >= 0 && (uint64_t)x <= max) return (uint64_t)x;
    } else if (RB_TYPE_P(v, T_BIGNUM)) {
        uint64_t u = 0;
        int sign = rb_integer_pack(v, &u, 1, sizeof u, 0, INTEGER_PACK_LSWORD_FIRST | INTEGER_PACK_NATIVE_BYTE_ORDER);
        if (sign == 1 && u <= max) return u;
    } else {
        rb_raise(rb_eTypeError, "%s must be an Integer, not %" PRIsVALUE, what, rb_obj_class(v));
    }
    wgrb_fail(WG_ERR_ARGUMENT_ERROR, "%s (%" PRIsVALUE ") is out of range 0..%" PRIu64, what, v, max);
}

/* An Integer in -2**(bits-1) ... 2**bits - 1, as its two's complement bits.
   Messages name `what` (followed by `index` when it is >= 0). */
static inline uint64_t wgrb_int_bits(VALUE v, int bits, const char *what, int index) {
    if (RB_LIKELY(FIXNUM_P(v))) {
        long x = FIX2LONG(v);
        if (bits == 64 || (x >= -(1L << (bits - 1)) && x < (1L << bits))) return (uint64_t)x;
    } else if (RB_TYPE_P(v, T_BIGNUM)) {
        uint64_t u = 0;
        int sign = rb_integer_pack(v, &u, 1, sizeof u, 0, INTEGER_PACK_LSWORD_FIRST | INTEGER_PACK_NATIVE_BYTE_ORDER | INTEGER_PACK_2COMP);
        if (bits == 64 && (sign == 1 || (sign == -1 && (u >> 63)))) return u;
    } else {
        char buf[64];
        rb_raise(rb_eTypeError, "%s must be an Integer (i%d), not %" PRIsVALUE, WGRB_LABEL(buf, what, index), bits,
                 rb_obj_class(v));
    }
    char buf[64];
    wgrb_fail(WG_ERR_ARGUMENT_ERROR, "%s (%" PRIsVALUE ") does not fit in i%d", WGRB_LABEL(buf, what, index), v, bits);
}

static inline double wgrb_float(VALUE v, const char *what, int index) {
    if (RB_LIKELY(RB_FLOAT_TYPE_P(v))) return RFLOAT_VALUE(v);
    if (RB_INTEGER_TYPE_P(v)) return rb_num2dbl(v);
    char buf[64];
    rb_raise(rb_eTypeError, "%s must be a Float, not %" PRIsVALUE, WGRB_LABEL(buf, what, index), rb_obj_class(v));
}

/* The 64 bits of a low-level `val` argument. */
static inline uint64_t wgrb_bits(VALUE v, const char *what) {
    return wgrb_int_bits(v, 64, what, -1);
}

/* ------------------------------------------------------------------ handles (handles.c) */

/* Every glue handle lives in one of these, inside a TypedData object.

   Host procs are kept alive by their store: a store's handle holds them in
   `hosts`, and every handle made from a store marks it through `owner`. So a
   proc lives as long as any Ruby object that can still run its function, and a
   proc capturing its own store does not make the store immortal (the registry
   of host_functions.c does not mark). */
typedef struct wgrb_handle {
    void *ptr;        /* the glue handle; NULL once closed */
    VALUE owner;      /* the Store object this handle was made from, or nil */
    VALUE parent;     /* the Instance object an extern was derived from (an export, or taken
                         out of one), or nil: closing that instance closes this handle too */
    VALUE hosts;      /* for a Store: Array of its host callables, or nil */
    uint8_t kind;     /* extern kind, for wg_extern handles */
    uint8_t flags;    /* WGRB_* below */
    uint8_t vkind;    /* a global's value kind, once WGRB_VKIND is set */
    uint32_t np, nr;  /* a function's signature, cached when it is wrapped; for a Store,
                         np is the length of `hosts` at which it is pruned next */
    uint8_t *kinds;   /* np parameter kinds then nr result kinds */
    int busy;         /* glue calls in progress on this handle */
    /* for a Store: glue calls of this store in progress (see wgrb_enter), the thread
       making them, and the threads waiting for them to end (an Array, or nil) */
    uint32_t inside;
    VALUE inside_thread;
    VALUE waiters;
} wgrb_handle;

enum {
    WGRB_XPARAMS = 1, /* a function with externref parameters (their tokens are made after lowering) */
    WGRB_HOST = 2,    /* a host function (Native.mark_host): never a funcref */
    WGRB_VKIND = 4,   /* a global whose vkind is known */
};

/* The dmark and dsize of every handle type. */
void wgrb_handle_mark(void *p);
size_t wgrb_handle_size(const void *p);

/* The open handle inside `obj` (TypeError for another class, RuntimeError once closed). */
static inline wgrb_handle *wgrb_get(VALUE obj, const rb_data_type_t *type, int kind, const char *what) {
    if (RB_UNLIKELY(!rb_typeddata_is_kind_of(obj, type)))
        rb_raise(rb_eTypeError, "%s: expected a %s, got %" PRIsVALUE, what,
                 kind >= 0 && wgrb_kind_names[kind] ? wgrb_kind_names[kind] : type->wrap_struct_name, rb_obj_class(obj));
    wgrb_handle *h = RTYPEDDATA_DATA(obj);
    if (RB_UNLIKELY(!h || !h->ptr))
        wgrb_fail(WG_ERR_RUNTIME_ERROR, "%s: this %" PRIsVALUE " is closed", what, rb_obj_class(obj));
    if (RB_UNLIKELY(!NIL_P(h->parent) && !((wgrb_handle *)RTYPEDDATA_DATA(h->parent))->ptr))
        wgrb_fail(WG_ERR_RUNTIME_ERROR, "%s: the Wasmer::Instance of this %" PRIsVALUE " is closed", what,
                  rb_obj_class(obj));
    if (RB_UNLIKELY(kind >= 0 && h->kind != kind))
        rb_raise(rb_eTypeError, "%s: expected a %s, got %" PRIsVALUE, what, wgrb_kind_names[kind], rb_obj_class(obj));
    return h;
}

/* Wraps a glue handle owned from now on by the new Ruby object. */
VALUE wgrb_wrap(VALUE klass, const rb_data_type_t *type, void *ptr, VALUE owner);
/* Wraps an extern of the Store object `owner` as the class of its kind, derived
   from the Instance object `parent` (or nil); a function caches its signature. */
VALUE wgrb_wrap_extern(wg_extern *ext, VALUE owner, VALUE parent);
/* #close and #closed? of every handle class. */
VALUE wgrb_close(VALUE self);
VALUE wgrb_closed_p(VALUE self);

/* ------------------------------------------------------------------ threads (handles.c)

   The extension holds the GVL during glue calls, so Ruby threads take turns. But a
   thread inside a glue call of a store may be suspended in a Ruby host function (the
   GVL passes to other threads there): another thread must not call into that store
   meanwhile, or it would wait for the glue's per-store lock while holding the GVL
   that the first thread needs to finish (a deadlock). So every glue call first waits,
   without the GVL, until no other thread is inside a glue call of the stores it
   touches (wgrb_wait), then marks its store as entered for the duration of the call
   (wgrb_enter, wgrb_leave). Between the wait and the call no Ruby code runs, so no
   other thread can enter. The same thread may re-enter (a host function calling back
   into its instance). Objects freed by the GC do not wait: the glue defers them. */

/* The Store object of a wasmer handle (itself for a Store), or nil; never raises. */
VALUE wgrb_store_of(VALUE obj);
/* Sleeps while another thread is inside a glue call of `store`; whether it slept. */
int wgrb_wait_store(VALUE store);
/* Wakes the threads waiting for a store that no thread is inside any more. */
void wgrb_wake_waiters(wgrb_handle *s);

/* Waits until no other thread is inside a glue call of the Store objects `stores`
   (nil ones are skipped); whether it waited, in which case other Ruby threads ran
   meanwhile (handles may have been closed). */
static inline int wgrb_wait(int n, const VALUE *stores) {
    int waited = 0;
    for (;;) {
        int slept = 0;
        for (int i = 0; i < n; i++)
            if (RB_UNLIKELY(!NIL_P(stores[i]) && ((wgrb_handle *)RTYPEDDATA_DATA(stores[i]))->inside))
                slept |= wgrb_wait_store(stores[i]);
        if (!slept) return waited;
        waited = 1;
    }
}

/* wgrb_wait for the store of one object (a wasmer handle, or anything else: no wait). */
static inline int wgrb_wait_for(VALUE obj) {
    VALUE store = wgrb_store_of(obj);
    return wgrb_wait(1, &store);
}

/* Marks the Store object `store` (or nil) as entered by this thread; wgrb_wait ran just before. */
static inline wgrb_handle *wgrb_enter(VALUE store) {
    if (NIL_P(store)) return NULL;
    wgrb_handle *s = RTYPEDDATA_DATA(store);
    if (s->inside++ == 0) s->inside_thread = rb_thread_current();
    return s;
}

static inline void wgrb_leave(wgrb_handle *s) {
    if (!s || --s->inside) return;
    s->inside_thread = Qnil;
    if (RB_UNLIKELY(!NIL_P(s->waiters))) wgrb_wake_waiters(s);
}

/* ------------------------------------------------------------------ values (values.c) */

/* externref registry: a new token for `obj` (room reserved first), and back. */
void wgrb_xref_reserve(uint32_t n);
uint64_t wgrb_xref_new(VALUE obj);
VALUE wgrb_xref_get(uint64_t token);
void wgrb_xref_release(uint64_t token);
/* funcref: a Wasmer::Function (not a host function) or nil, borrowed for the glue call. */
wg_extern *wgrb_funcref(VALUE v, const char *what, int index);

/* One Ruby value as a wg_val of a value kind (the spec's value types). An
   externref is left null here: its token is made by wgrb_lower_externrefs once
   nothing else can fail, so that a refused argument leaves no token behind. */
static inline void wgrb_lower_val(uint8_t kind, VALUE v, wg_val *out, const char *what, int index) {
    out->bits = 0;
    switch (kind) {
    case WG_I32:
        if (RB_LIKELY(FIXNUM_P(v))) {
            long x = FIX2LONG(v);
            if (RB_LIKELY(x >= INT32_MIN && x <= (long)UINT32_MAX)) {
                out->i32 = (int32_t)(uint32_t)x;
                return;
            }
        }
        out->i32 = (int32_t)(uint32_t)wgrb_int_bits(v, 32, what, index);
        return;
    case WG_I64:
        out->i64 = (int64_t)wgrb_int_bits(v, 64, what, index);
        return;
    case WG_F32:
        /* by its bits: a C float conversion would quiet a signalling NaN */
        out->bits = wg_f64_to_f32_bits(wgrb_float(v, what, index));
        return;
    case WG_F64:
        out->f64 = wgrb_float(v, what, index);
        return;
    case WG_EXTERNREF:
        /* any Ruby object: the token comes later (wgrb_lower_externrefs) */
        return;
    case WG_FUNCREF:
        out->ref = wgrb_funcref(v, what, index);
        return;
    default:
        wgrb_fail(WG_ERR_ARGUMENT_ERROR, "unknown value kind %u", kind);
    }
}

/* A wg_val of a value kind as a Ruby value. A funcref is a new glue handle: it
   becomes a Wasmer::Function of the Store object `owner`, derived from the
   Instance object `parent` (or nil). */
static inline VALUE wgrb_lift_val(uint8_t kind, wg_val v, VALUE owner, VALUE parent) {
    switch (kind) {
    case WG_I32:
        return INT2FIX(v.i32);
    case WG_I64:
        return LL2NUM(v.i64);
    case WG_F32:
        return DBL2NUM(wg_f32_bits_to_f64((uint32_t)(v.bits & 0xffffffffu)));
    case WG_F64:
        return DBL2NUM(v.f64);
    case WG_EXTERNREF:
        return v.bits ? wgrb_xref_get(v.bits) : Qnil;
    case WG_FUNCREF:
        return v.ref ? wgrb_wrap_extern(v.ref, owner, parent) : Qnil;
    default:
        return Qnil;
    }
}

/* Makes the tokens of the externref values among `n` lowered ones (`src` are the
   Ruby values). Cannot fail halfway: room is reserved first. */
void wgrb_lower_externrefs(const uint8_t *kinds, uint32_t n, const VALUE *src, wg_val *out);
/* Releases the tokens of lowered values the glue did not take (it refused them). */
void wgrb_release_externrefs(const uint8_t *kinds, uint32_t n, const wg_val *vals);
/* A function's results: nil, one value, or an Array of them (wasmer-ruby's convention). */
VALUE wgrb_lift_vals(const wgrb_handle *h, const wg_val *vals);

#endif

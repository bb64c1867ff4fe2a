/* Typed memory views of wasmer-ruby 1.0: Memory#uint8_view(offset) ...
   #int32_view, classes Wasmer::Uint8Array ... Int32Array. A view reads and
   writes the memory in place from an offset counted in elements; every access
   asks the glue for the memory's current data, so a view stays valid after the
   memory grows. */
#include "runtime.h"

typedef struct wgrb_view {
    VALUE memory;
    uint64_t offset;
} wgrb_view;

static void wgrb_view_mark(void *p) { rb_gc_mark(((wgrb_view *)p)->memory); }

static const rb_data_type_t wgrb_t_view = {
    "wasmer/memory_view", {wgrb_view_mark, RUBY_TYPED_DEFAULT_FREE, NULL}, NULL, NULL, RUBY_TYPED_FREE_IMMEDIATELY,
};

static wg_buffer wgrb_view_data(VALUE self, wgrb_view **view) {
    *view = rb_check_typeddata(self, &wgrb_t_view);
    wgrb_wait_for((*view)->memory);
    wgrb_handle *m = wgrb_get((*view)->memory, &wgrb_t_wg_extern, WG_EXTERN_MEMORY, "memory");
    wg_buffer buf = {NULL, 0};
    int rc = wg_memory_data(m->ptr, &buf);
    if (rc) wgrb_raise(rc);
    return buf;
}

/* Wasmer::IndexError < ::IndexError (and Wasmer::Error): an index outside a view,
   as wasmer-ruby 1.0 raised IndexError there. */
static VALUE wgrb_eIndexError;

/* Byte position of element `index` of a view, bounds-checked. */
static size_t wgrb_view_at(const wgrb_view *view, const wg_buffer *buf, VALUE index, size_t size) {
    if (!RB_INTEGER_TYPE_P(index))
        rb_raise(rb_eTypeError, "index must be an Integer, not %" PRIsVALUE, rb_obj_class(index));
    size_t count = buf->len / size;
    if (RB_LIKELY(FIXNUM_P(index))) {
        long i = FIX2LONG(index);
        if (i >= 0 && view->offset < count && (uint64_t)i < count - view->offset) return (size_t)(view->offset + (uint64_t)i) * size;
    }
    rb_raise(wgrb_eIndexError, "out of bounds: index %" PRIsVALUE " (offset %" PRIu64 ") of a memory of %zu elements",
             index, view->offset, count);
}

static VALUE wgrb_view_new(VALUE klass, VALUE memory, int argc, VALUE *argv) {
    rb_check_arity(argc, 0, 1);
    wgrb_get(memory, &wgrb_t_wg_extern, WG_EXTERN_MEMORY, "memory");
    uint64_t offset = argc && !NIL_P(argv[0]) ? wgrb_uint(argv[0], UINT32_MAX, "offset") : 0;
    wgrb_view *view;
    VALUE obj = TypedData_Make_Struct(klass, wgrb_view, &wgrb_t_view, view);
    view->memory = memory;
    view->offset = offset;
    return obj;
}

static VALUE wgrb_view_offset(VALUE self) {
    return ULL2NUM(((wgrb_view *)rb_check_typeddata(self, &wgrb_t_view))->offset);
}

/* One view class: Wasmer::<cls>, Memory#<name>_view, elements of C type `ctype`
   (`bits` wide) made Ruby Integers by `to_num`. */
#define WGRB_VIEW(cls, name, ctype, bits, to_num)                                                   \
    static VALUE wgrb_c##cls;                                                                       \
                                                                                                    \
    static VALUE wgrb_##name##_view(int argc, VALUE *argv, VALUE memory) {                          \
        return wgrb_view_new(wgrb_c##cls, memory, argc, argv);                                      \
    }                                                                                               \
                                                                                                    \
    static VALUE wgrb_##name##_get(VALUE self, VALUE index) {                                       \
        wgrb_view *view;                                                                            \
        wg_buffer buf = wgrb_view_data(self, &view);                                                \
        ctype x;                                                                                    \
        memcpy(&x, buf.data + wgrb_view_at(view, &buf, index, sizeof x), sizeof x);                 \
        return to_num(x);                                                                           \
    }                                                                                               \
                                                                                                    \
    static VALUE wgrb_##name##_set(VALUE self, VALUE index, VALUE value) {                          \
        wgrb_view *view;                                                                            \
        wg_buffer buf = wgrb_view_data(self, &view);                                                \
        size_t at = wgrb_view_at(view, &buf, index, sizeof(ctype));                                 \
        ctype x = (ctype)wgrb_int_bits(value, bits, "value", -1);                                   \
        /* converting the value may run Ruby code: take the data pointer again */                  \
        buf = wgrb_view_data(self, &view);                                                          \
        at = wgrb_view_at(view, &buf, index, sizeof x);                                             \
        memcpy(buf.data + at, &x, sizeof x);                                                        \
        return value;                                                                               \
    }                                                                                               \
                                                                                                    \
    static VALUE wgrb_##name##_length(VALUE self) {                                                 \
        wgrb_view *view;                                                                            \
        wg_buffer buf = wgrb_view_data(self, &view);                                                \
        size_t count = buf.len / sizeof(ctype);                                                     \
        return SIZET2NUM(view->offset < count ? count - (size_t)view->offset : 0);                  \
    }                                                                                               \
                                                                                                    \
    static VALUE wgrb_##name##_each(VALUE self) {                                                   \
        RETURN_SIZED_ENUMERATOR(self, 0, 0, wgrb_##name##_length);                                  \
        for (long i = 0;; i++) {                                                                    \
            wgrb_view *view;                                                                        \
            wg_buffer buf = wgrb_view_data(self, &view); /* the block may grow the memory */        \
            size_t count = buf.len / sizeof(ctype);                                                 \
            if (view->offset >= count || (uint64_t)i >= count - view->offset) break;                \
            ctype x;                                                                                \
            memcpy(&x, buf.data + (size_t)(view->offset + (uint64_t)i) * sizeof x, sizeof x);       \
            rb_yield(to_num(x));                                                                    \
        }                                                                                           \
        return self;                                                                                \
    }                                                                                               \
                                                                                                    \
    static void wgrb_##name##_init(VALUE memory_class) {                                            \
        wgrb_c##cls = rb_define_class_under(wgrb_mWasmer, #cls, rb_cObject);                        \
        rb_undef_alloc_func(wgrb_c##cls);                                                           \
        rb_include_module(wgrb_c##cls, rb_mEnumerable);                                             \
        rb_define_const(wgrb_c##cls, "BYTES_PER_ELEMENT", INT2FIX(sizeof(ctype)));                  \
        rb_define_method(memory_class, #name "_view", wgrb_##name##_view, -1);                      \
        rb_define_method(wgrb_c##cls, "[]", wgrb_##name##_get, 1);                                  \
        rb_define_method(wgrb_c##cls, "get", wgrb_##name##_get, 1);                                 \
        rb_define_method(wgrb_c##cls, "[]=", wgrb_##name##_set, 2);                                 \
        rb_define_method(wgrb_c##cls, "set", wgrb_##name##_set, 2);                                 \
        rb_define_method(wgrb_c##cls, "length", wgrb_##name##_length, 0);                           \
        rb_define_method(wgrb_c##cls, "size", wgrb_##name##_length, 0);                             \
        rb_define_method(wgrb_c##cls, "each", wgrb_##name##_each, 0);                               \
        rb_define_method(wgrb_c##cls, "offset", wgrb_view_offset, 0);                               \
    }

WGRB_VIEW(Uint8Array, uint8, uint8_t, 8, UINT2NUM)
WGRB_VIEW(Int8Array, int8, int8_t, 8, INT2NUM)
WGRB_VIEW(Uint16Array, uint16, uint16_t, 16, UINT2NUM)
WGRB_VIEW(Int16Array, int16, int16_t, 16, INT2NUM)
WGRB_VIEW(Uint32Array, uint32, uint32_t, 32, UINT2NUM)
WGRB_VIEW(Int32Array, int32, int32_t, 32, INT2NUM)

void wgrb_views_init(void) {
    wgrb_eIndexError = rb_define_class_under(wgrb_mWasmer, "IndexError", rb_eIndexError);
    rb_include_module(wgrb_eIndexError, wgrb_mError);
    VALUE memory = wgrb_extern_class(WG_EXTERN_MEMORY);
    wgrb_uint8_init(memory);
    wgrb_int8_init(memory);
    wgrb_uint16_init(memory);
    wgrb_int16_init(memory);
    wgrb_uint32_init(memory);
    wgrb_int32_init(memory);
}

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

/* ---- the bulk path: Memory#read / Memory#write of a binary String, a view's
   [index, count] and [index, count] = Array | String: one memcpy under the store's
   lock in the glue (wg_memory_read_into, wg_memory_write), bounds-checked there;
   out of bounds raises Wasmer::IndexError and changes nothing. */

/* Calls the glue for `memory` as the generated methods do (waits for the store, marks it
   entered), then raises Wasmer::IndexError for the glue's out-of-bounds ArgumentError. */
static void wgrb_bulk(VALUE memory, uint64_t offset, uint8_t *dst, const uint8_t *src, uint64_t length) {
    wgrb_wait_for(memory);
    wgrb_handle *m = wgrb_get(memory, &wgrb_t_wg_extern, WG_EXTERN_MEMORY, "memory");
    wgrb_handle *entered = wgrb_enter(m->owner);
    m->busy++;
    int rc = dst ? wg_memory_read_into(m->ptr, offset, dst, length) : wg_memory_write(m->ptr, offset, src, (size_t)length);
    m->busy--;
    wgrb_leave(entered);
    if (rc == WG_ERR_ARGUMENT_ERROR) rb_raise(wgrb_eIndexError, "%s", wg_error_message());
    if (rc) wgrb_raise(rc);
}

/* Memory#read(offset, length, outbuf = nil): `length` bytes from byte `offset` in a new
   binary String, or in `outbuf` (as IO#read(length, outbuf): resized in place, its capacity
   reused, no allocation when it is large enough). */
static VALUE wgrb_memory_read_to(VALUE memory, VALUE offset_v, VALUE length_v, VALUE outbuf) {
    uint64_t offset = wgrb_uint(offset_v, UINT64_MAX, "offset");
    uint64_t length = wgrb_uint(length_v, UINT64_MAX, "length");
    wgrb_wait_for(memory);
    wgrb_handle *m = wgrb_get(memory, &wgrb_t_wg_extern, WG_EXTERN_MEMORY, "memory");
    uint64_t size = 0;
    int rc = wg_memory_data_size(m->ptr, &size);
    if (rc) wgrb_raise(rc);
    if (length > size)  /* before allocating; the glue checks offset + length under the lock */
        rb_raise(wgrb_eIndexError, "out of bounds: offset %" PRIu64 " + length %" PRIu64 " is past the end of memory (%" PRIu64 " bytes)",
                 offset, length, size);
    VALUE str;
    if (NIL_P(outbuf)) {
        str = rb_str_buf_new((long)length);
    } else {
        StringValue(outbuf);
        rb_str_modify(outbuf);
        str = outbuf;
        if ((uint64_t)rb_str_capacity(str) < length) rb_str_modify_expand(str, (long)length - RSTRING_LEN(str));
    }
    wgrb_bulk(memory, offset, (uint8_t *)RSTRING_PTR(str), NULL, length);
    rb_str_set_len(str, (long)length);
    if (!NIL_P(outbuf)) rb_enc_associate(str, rb_ascii8bit_encoding());
    return str;
}

static VALUE wgrb_memory_read(VALUE memory, VALUE offset_v, VALUE length_v) {
    return wgrb_memory_read_to(memory, offset_v, length_v, Qnil);
}

static VALUE wgrb_memory_read_m(int argc, VALUE *argv, VALUE memory) {
    rb_check_arity(argc, 2, 3);
    return wgrb_memory_read_to(memory, argv[0], argv[1], argc == 3 ? argv[2] : Qnil);
}

/* Memory#write(offset, string): copies the String's bytes into the memory at byte `offset`. */
static VALUE wgrb_memory_write(VALUE memory, VALUE offset_v, VALUE data) {
    uint64_t offset = wgrb_uint(offset_v, UINT64_MAX, "offset");
    StringValue(data);
    wgrb_bulk(memory, offset, NULL, (const uint8_t *)RSTRING_PTR(data), (uint64_t)RSTRING_LEN(data));
    RB_GC_GUARD(data);
    return Qnil;
}

/* Byte offset of element `index` of a view, and the byte length of `count` elements
   (overflow is left to the glue's check: a huge value is out of bounds there). */
static void wgrb_view_span(const wgrb_view *view, VALUE index, VALUE count, size_t size, uint64_t *at, uint64_t *len) {
    uint64_t i = wgrb_uint(index, UINT32_MAX, "index"), n = wgrb_uint(count, UINT32_MAX, "count");
    *at = (view->offset + i) * size;
    *len = n * size;
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
    /* view[index] is one element; view[index, count] is an Array of `count`, read with one memcpy */ \
    static VALUE wgrb_##name##_get_n(VALUE self, VALUE index, VALUE count) {                        \
        wgrb_view *view = rb_check_typeddata(self, &wgrb_t_view);                                   \
        uint64_t at, len;                                                                           \
        wgrb_view_span(view, index, count, sizeof(ctype), &at, &len);                                \
        VALUE bytes = wgrb_memory_read(view->memory, ULL2NUM(at), ULL2NUM(len));                    \
        long n = (long)(len / sizeof(ctype));                                                       \
        VALUE ary = rb_ary_new_capa(n);                                                             \
        const char *p = RSTRING_PTR(bytes);                                                         \
        for (long k = 0; k < n; k++) {                                                              \
            ctype x;                                                                                \
            memcpy(&x, p + (size_t)k * sizeof x, sizeof x);                                         \
            rb_ary_push(ary, to_num(x));                                                            \
        }                                                                                           \
        RB_GC_GUARD(bytes);                                                                         \
        return ary;                                                                                 \
    }                                                                                               \
                                                                                                    \
    static VALUE wgrb_##name##_get(int argc, VALUE *argv, VALUE self) {                             \
        rb_check_arity(argc, 1, 2);                                                                 \
        if (argc == 2) return wgrb_##name##_get_n(self, argv[0], argv[1]);                          \
        VALUE index = argv[0];                                                                      \
        wgrb_view *view;                                                                            \
        wg_buffer buf = wgrb_view_data(self, &view);                                                \
        ctype x;                                                                                    \
        memcpy(&x, buf.data + wgrb_view_at(view, &buf, index, sizeof x), sizeof x);                 \
        return to_num(x);                                                                           \
    }                                                                                               \
                                                                                                    \
    /* view[index, count] = Array of `count` Integers, or a binary String of count elements' bytes: \
       one memcpy under the store's lock */                                                         \
    static VALUE wgrb_##name##_set_n(VALUE self, VALUE index, VALUE count, VALUE value) {           \
        wgrb_view *view = rb_check_typeddata(self, &wgrb_t_view);                                   \
        uint64_t at, len;                                                                           \
        wgrb_view_span(view, index, count, sizeof(ctype), &at, &len);                                \
        VALUE bytes = value;                                                                        \
        if (RB_TYPE_P(value, T_ARRAY)) {                                                            \
            long n = RARRAY_LEN(value);                                                             \
            bytes = rb_str_buf_new(n * (long)sizeof(ctype));                                        \
            for (long k = 0; k < n; k++) {                                                          \
                ctype x = (ctype)wgrb_int_bits(rb_ary_entry(value, k), bits, "value", -1);          \
                rb_str_cat(bytes, (const char *)&x, sizeof x);                                      \
            }                                                                                       \
        } else {                                                                                    \
            StringValue(bytes);                                                                     \
        }                                                                                           \
        if ((uint64_t)RSTRING_LEN(bytes) != len)                                                    \
            rb_raise(rb_eArgError, "%" PRIu64 " elements assigned %ld bytes (%zu per element)",      \
                     len / sizeof(ctype), RSTRING_LEN(bytes), sizeof(ctype));                       \
        wgrb_memory_write(view->memory, ULL2NUM(at), bytes);                                        \
        return value;                                                                               \
    }                                                                                               \
                                                                                                    \
    static VALUE wgrb_##name##_set(int argc, VALUE *argv, VALUE self) {                             \
        rb_check_arity(argc, 2, 3);                                                                 \
        if (argc == 3) return wgrb_##name##_set_n(self, argv[0], argv[1], argv[2]);                 \
        VALUE index = argv[0], value = argv[1];                                                     \
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
        rb_define_method(wgrb_c##cls, "[]", wgrb_##name##_get, -1);                                  \
        rb_define_method(wgrb_c##cls, "get", wgrb_##name##_get, -1);                                 \
        rb_define_method(wgrb_c##cls, "[]=", wgrb_##name##_set, -1);                                 \
        rb_define_method(wgrb_c##cls, "set", wgrb_##name##_set, -1);                                 \
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
    rb_define_method(memory, "read", wgrb_memory_read_m, -1);
    rb_define_method(memory, "write", wgrb_memory_write, 2);
    wgrb_uint8_init(memory);
    wgrb_int8_init(memory);
    wgrb_uint16_init(memory);
    wgrb_int16_init(memory);
    wgrb_uint32_init(memory);
    wgrb_int32_init(memory);
}

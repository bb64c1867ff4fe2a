/* Errors of the extension, and the Init of its hand-written parts (runtime.h). */
#include "runtime.h"

VALUE wgrb_pending = Qnil;

void wgrb_raise(int rc) {
    if (rc == WG_ERR_HOST_ERROR && !NIL_P(wgrb_pending)) {
        VALUE exc = wgrb_pending;
        wgrb_pending = Qnil;
        rb_exc_raise(exc);
    }
    VALUE klass = rc > 0 && rc <= wgrb_error_max && wgrb_errors[rc] ? wgrb_errors[rc] : wgrb_errors[WG_ERR_RUNTIME_ERROR];
    VALUE exc = rb_exc_new_cstr(klass, wg_error_message());
    if (rc == WG_ERR_EXIT_ERROR) {
        /* a WASI program exited: Wasmer::ExitError#code (lib/wasmer/wasi.rb) is its exit code */
        uint32_t code = 0;
        wg_exit_code(&code);
        rb_ivar_set(exc, rb_intern("@code"), UINT2NUM(code));
    }
    rb_exc_raise(exc);
}

void wgrb_fail(int code, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    VALUE msg = rb_vsprintf(fmt, ap);
    va_end(ap);
    rb_exc_raise(rb_exc_new_str(wgrb_errors[code], msg));
}

void wgrb_runtime_init(void) {
    rb_gc_register_address(&wgrb_pending);
    wgrb_handles_init();
    wgrb_values_init();
    wgrb_hosts_init();
    wgrb_globals_init();
    wgrb_views_init();
    wgrb_function_call_init();
}

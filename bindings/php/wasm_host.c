/* Host functions of the `wasm` extension: a PHP callable as a function wasm can
   call (the glue's host dispatcher and release callback). */
#include "php_wasm_support.h"
#include "zend_closures.h"

/* ------------------------------------------------------------------ host functions */

/* The env of a host function: the callable, kept alive until the glue releases it. */
typedef struct php_wasm_host {
    struct php_wasm_host *prev, *next; /* in store->hosts once the glue owns it */
    php_wasm_store *store;
    zval callable;
    zend_fcall_info_cache fcc;
    bool cached; /* fcc is reusable (not a trampoline) */
    bool ref_params;     /* a parameter is a reference: its PHP value is released after the call */
    bool funcref_results; /* a result is a funcref: the returned value is kept until the glue took it */
    zend_string *name;   /* for messages: the import's "module.name", or the callable's name */
    uint32_t nparams, nresults;
    uint8_t kinds[1];
} php_wasm_host;

static void php_wasm_host_error_from_exception(void) {
    zend_object *ex = EG(exception);
    zval rv;
    zval *message = zend_read_property_ex(zend_get_exception_base(ex), ex, ZSTR_KNOWN(ZEND_STR_MESSAGE), 1, &rv);
    zend_string *text = zend_strpprintf(0, "%s: %s", ZSTR_VAL(ex->ce->name),
                                        Z_TYPE_P(message) == IS_STRING ? Z_STRVAL_P(message) : "");
    wg_set_host_error(ZSTR_VAL(text), ZSTR_LEN(text));
    zend_string_release(text);
}

/* Releases the funcrefs the last host function returned (PHP_WASM_AFTER_KEEP). */
void php_wasm_release_host_keep(void) {
    zval keep;
    ZVAL_COPY_VALUE(&keep, &PHP_WASM_G(host_keep)); /* freeing may run PHP code: the global is clear first */
    ZVAL_UNDEF(&PHP_WASM_G(host_keep));
    PHP_WASM_G(after_call) &= ~PHP_WASM_AFTER_KEEP;
    zval_ptr_dtor(&keep);
}

/* What is left once wasm has returned to PHP (PHP_WASM_G(after_call) is set): the last
   host result's funcrefs are released; true if a host function bailed out, to be
   re-raised (zend_bailout) by the caller. */
ZEND_COLD bool php_wasm_after_call(void) {
    bool bailout = PHP_WASM_G(after_call) & PHP_WASM_AFTER_BAILOUT;
    PHP_WASM_G(after_call) &= ~PHP_WASM_AFTER_BAILOUT;
    if (PHP_WASM_G(after_call) & PHP_WASM_AFTER_KEEP) php_wasm_release_host_keep();
    return bailout;
}

static ZEND_COLD void php_wasm_throw_host_result(php_wasm_host *h, uint8_t kind, zval *z, uint32_t index) {
    zend_string *where = zend_strpprintf(0, "host function %s()", ZSTR_VAL(h->name));
    php_wasm_throw_value(kind, z, ZSTR_VAL(where), "Result", index);
    zend_string_release(where);
}

/* The glue's host dispatcher: calls the PHP callable. An exception it throws stays
   pending: the call that entered wasm throws a HostError with it as previous. */
int php_wasm_host_call(uint64_t env, const wg_val *args, wg_val *results) {
    php_wasm_host *h = (php_wasm_host *)(uintptr_t)env;
    if (UNEXPECTED(PHP_WASM_G(after_call) & PHP_WASM_AFTER_KEEP)) php_wasm_release_host_keep(); /* the glue has them now */
    zval stack[PHP_WASM_STACK_VALS];
    zval *params = h->nparams <= PHP_WASM_STACK_VALS ? stack : safe_emalloc(h->nparams, sizeof(zval), 0);
    for (uint32_t i = 0; i < h->nparams; i++) php_wasm_lift_val(h->store, h->kinds[i], args[i], &params[i]);
    zval retval;
    ZVAL_UNDEF(&retval);
    zend_fcall_info fci;
    fci.size = sizeof fci;
    ZVAL_COPY_VALUE(&fci.function_name, &h->callable);
    fci.object = h->cached ? h->fcc.object : NULL;
    fci.retval = &retval;
    fci.params = params;
    fci.param_count = h->nparams;
    fci.named_params = NULL;
    bool bailed = false;
    zend_try {
        if (zend_call_function(&fci, h->cached ? &h->fcc : NULL) == FAILURE && !EG(exception))
            php_wasm_throw(WG_ERR_HOST_ERROR, "the host function could not be called");
        if (!EG(exception)) {
            zval *r = &retval;
            ZVAL_DEREF(r);
            const uint8_t *rk = h->kinds + h->nparams;
            if (h->nresults == 1) {
                if (!php_wasm_lower_val(h->store, rk[0], r, &results[0])) php_wasm_throw_host_result(h, rk[0], r, 1);
            } else if (h->nresults > 1) {
                if (Z_TYPE_P(r) != IS_ARRAY || zend_hash_num_elements(Z_ARRVAL_P(r)) != h->nresults) {
                    php_wasm_throw(WG_ERR_ARGUMENT_ERROR, "host function %s(): it has %u results: must return an array of %u values, %s given",
                             ZSTR_VAL(h->name), h->nresults, h->nresults, zend_zval_type_name(r));
                } else {
                    uint32_t i = 0;
                    zval *v;
                    ZEND_HASH_FOREACH_VAL(Z_ARRVAL_P(r), v) {
                        if (!php_wasm_lower_val(h->store, rk[i], v, &results[i])) {
                            php_wasm_unlower_vals(rk, results, i); /* the glue takes none of them */
                            php_wasm_throw_host_result(h, rk[i], v, i + 1);
                            break;
                        }
                        i++;
                    } ZEND_HASH_FOREACH_END();
                }
            }
        }
    } zend_catch {
        bailed = true;
    } zend_end_try();
    if (UNEXPECTED(h->ref_params)) {
        for (uint32_t i = 0; i < h->nparams; i++) zval_ptr_dtor(&params[i]);
    }
    if (UNEXPECTED(h->funcref_results) && !bailed && !EG(exception)) {
        /* the results' Function objects, borrowed by the glue: released once wasm returns
           (a nested host call's, taken by the glue already, first) */
        if (PHP_WASM_G(after_call) & PHP_WASM_AFTER_KEEP) php_wasm_release_host_keep();
        ZVAL_COPY_VALUE(&PHP_WASM_G(host_keep), &retval);
        PHP_WASM_G(after_call) |= PHP_WASM_AFTER_KEEP;
    } else {
        zval_ptr_dtor(&retval);
    }
    if (params != stack) efree(params);
    if (UNEXPECTED(bailed)) {
        PHP_WASM_G(after_call) |= PHP_WASM_AFTER_BAILOUT;
        static const char stopped[] = "the host function stopped the script (fatal error)";
        wg_set_host_error(stopped, sizeof stopped - 1);
        return 1;
    }
    if (UNEXPECTED(EG(exception))) {
        php_wasm_host_error_from_exception();
        return 1;
    }
    return 0;
}

void php_wasm_host_release(uint64_t env) {
    php_wasm_host *h = (php_wasm_host *)(uintptr_t)env;
    if (h->store) {
        if (h->prev) h->prev->next = h->next;
        else h->store->hosts = h->next;
        if (h->next) h->next->prev = h->prev;
    }
    zval_ptr_dtor(&h->callable);
    zend_string_release(h->name);
    efree(h);
}

/* The host functions of a store no longer point to it (it is gone). */
void php_wasm_hosts_detach(php_wasm_store *s) {
    for (struct php_wasm_host *h = s->hosts; h; h = h->next) h->store = NULL;
    s->hosts = NULL;
}

/* Reports the host callables a store holds to PHP's garbage collector. */
void php_wasm_hosts_gc(php_wasm_store *s, zend_get_gc_buffer *buf) {
    for (struct php_wasm_host *h = s ? s->hosts : NULL; h; h = h->next) zend_get_gc_buffer_add_zval(buf, &h->callable);
}

/* Makes `o` a host function calling `callable` with the given kinds; `name` (the
   import's "module.name") names it in messages, else the callable's name does. */
zend_result php_wasm_host_function_init(php_wasm_extern *o, php_wasm_store *s, zval *callable, const uint8_t *kinds, uint32_t np,
                                         uint32_t nr, zend_string *name) {
    char *error = NULL;
    php_wasm_host *h = emalloc(sizeof(php_wasm_host) + np + nr);
    h->prev = h->next = NULL;
    h->store = NULL;
    ZVAL_COPY(&h->callable, callable);
    memset(&h->fcc, 0, sizeof h->fcc);
    if (!zend_is_callable_ex(callable, NULL, 0, NULL, &h->fcc, &error)) {
        php_wasm_throw(WG_ERR_ARGUMENT_ERROR, "not a valid callable: %s", error ? error : "?");
        if (error) efree(error);
        zval_ptr_dtor(&h->callable);
        efree(h);
        return FAILURE;
    }
    if (name) h->name = zend_string_copy(name);
    else if (Z_TYPE_P(callable) == IS_OBJECT && Z_OBJCE_P(callable) == zend_ce_closure)
        h->name = zend_string_copy(h->fcc.function_handler->common.function_name); /* "{closure}" */
    else h->name = zend_get_callable_name(callable);
    o->name = zend_string_copy(h->name);
    if (error) efree(error);
    h->cached = !(h->fcc.function_handler->common.fn_flags & ZEND_ACC_CALL_VIA_TRAMPOLINE);
    if (!h->cached) zend_release_fcall_info_cache(&h->fcc);
    h->nparams = np;
    h->nresults = nr;
    memcpy(h->kinds, kinds, np + nr);
    h->ref_params = h->funcref_results = false;
    for (uint32_t i = 0; i < np + nr; i++) {
        if (i < np && (kinds[i] == WG_EXTERNREF || kinds[i] == WG_FUNCREF)) h->ref_params = true;
        if (i >= np && kinds[i] == WG_FUNCREF) h->funcref_results = true;
    }
    wg_extern *ext = NULL;
    if (glue_function_new_host(s->h, kinds, np, kinds + np, nr, (uint64_t)(uintptr_t)h, &ext) == FAILURE) {
        php_wasm_host_release((uint64_t)(uintptr_t)h);
        return FAILURE;
    }
    /* from here the glue owns h and releases it with the store */
    h->store = s;
    h->next = s->hosts;
    if (s->hosts) s->hosts->prev = h;
    s->hosts = h;
    o->is_host = true;
    return php_wasm_extern_init(o, s, ext, WG_EXTERN_FUNC);
}

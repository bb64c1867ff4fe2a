/* Calls of the `wasm` extension: the call path of every exported function, and
   Wasm\Function_'s hand-written members (the host-callable constructor, __invoke, call). */
#include "php_wasm_support.h"
#include "zend_smart_str.h"

/* "name()" of a function for messages, "Wasm\\Function_::__invoke()" when it has no name. */
static ZEND_COLD zend_string *php_wasm_function_where(zend_string *name) {
    return name ? zend_strpprintf(0, "%s()", ZSTR_VAL(name)) : zend_string_init("Wasm\\Function_::__invoke()", sizeof("Wasm\\Function_::__invoke()") - 1, 0);
}

/* ------------------------------------------------------------------ calls */

static ZEND_COLD void php_wasm_throw_arity(php_wasm_extern *f, uint32_t argc) {
    smart_str sig = {0};
    smart_str_appendc(&sig, '(');
    for (uint32_t i = 0; i < f->nparams + f->nresults; i++) {
        if (i == f->nparams) smart_str_appends(&sig, ") -> (");
        else if (i) smart_str_appends(&sig, ", ");
        smart_str_appends(&sig, php_wasm_kind_name(f->kinds[i]));
    }
    smart_str_appendc(&sig, ')');
    smart_str_0(&sig);
    zend_string *where = php_wasm_function_where(f->name);
    php_wasm_throw(WG_ERR_ARGUMENT_ERROR, "%s: the function %s takes %u argument%s, %u given", ZSTR_VAL(where), ZSTR_VAL(sig.s),
             f->nparams, f->nparams == 1 ? "" : "s", argc);
    zend_string_release(where);
    smart_str_free(&sig);
}

/* The call path: no allocation or lookup up to PHP_WASM_STACK_VALS values. */
void php_wasm_call(php_wasm_extern *f, zval *args, uint32_t argc, zval *return_value) {
    if (UNEXPECTED(argc != f->nparams)) {
        php_wasm_throw_arity(f, argc);
        return;
    }
    wg_val a_stack[PHP_WASM_STACK_VALS], r_stack[PHP_WASM_STACK_VALS];
    wg_val *a = f->nparams <= PHP_WASM_STACK_VALS ? a_stack : safe_emalloc(f->nparams, sizeof(wg_val), 0);
    wg_val *r = f->nresults <= PHP_WASM_STACK_VALS ? r_stack : safe_emalloc(f->nresults, sizeof(wg_val), 0);
    uint32_t i;
    for (i = 0; i < argc; i++) {
        if (UNEXPECTED(!php_wasm_lower_val(f->s, f->kinds[i], &args[i], &a[i]))) {
            php_wasm_unlower_vals(f->kinds, a, i);
            zend_string *where = php_wasm_function_where(f->name);
            php_wasm_throw_value(f->kinds[i], &args[i], ZSTR_VAL(where), "Argument", i + 1);
            zend_string_release(where);
            goto done;
        }
    }
    zend_result rc = glue_function_call(f->h, a, r);
    if (UNEXPECTED(PHP_WASM_G(after_call)) && php_wasm_after_call()) {
        if (a != a_stack) efree(a);
        if (r != r_stack) efree(r);
        zend_bailout();
    }
    if (EXPECTED(rc == SUCCESS)) {
        const uint8_t *rk = f->kinds + f->nparams;
        if (f->nresults == 1) {
            php_wasm_lift_val(f->s, rk[0], r[0], return_value);
        } else if (f->nresults > 1) {
            array_init_size(return_value, f->nresults);
            for (i = 0; i < f->nresults; i++) {
                zval v;
                php_wasm_lift_val(f->s, rk[i], r[i], &v);
                add_next_index_zval(return_value, &v);
            }
        }
    }
done:
    if (a != a_stack) efree(a);
    if (r != r_stack) efree(r);
}


/* ------------------------------------------------------------------ Function_ */


ZEND_METHOD(Wasm_Function_Support, __construct) {
    zend_object *store, *type;
    zval *callable;
    ZEND_PARSE_PARAMETERS_START(3, 3)
        Z_PARAM_OBJ_OF_CLASS(store, php_wasm_ce_Store)
        Z_PARAM_ZVAL(callable)
        Z_PARAM_OBJ_OF_CLASS(type, php_wasm_ce_FunctionType)
    ZEND_PARSE_PARAMETERS_END();
    php_wasm_extern *o = PHP_WASM_THIS(php_wasm_extern);
    PHP_WASM_CONSTRUCT_ONCE(o->h, "Wasm\\Function_")
    php_wasm_store_obj *s = php_wasm_store_obj_of(store);
    uint32_t np = 0, nr = 0;
    if (!s) RETURN_THROWS();
    uint8_t *kinds = php_wasm_function_type_kinds(type, &np, &nr);
    if (!kinds) RETURN_THROWS();
    php_wasm_host_function_init(o, s->s, callable, kinds, np, nr, NULL);
    efree(kinds);
}

ZEND_METHOD(Wasm_Function_Support, __invoke) {
    zval *args = NULL;
    uint32_t argc = 0;
    ZEND_PARSE_PARAMETERS_START(0, -1)
        Z_PARAM_VARIADIC('*', args, argc)
    ZEND_PARSE_PARAMETERS_END();
    php_wasm_extern *f = php_wasm_extern_of(Z_OBJ_P(ZEND_THIS));
    if (UNEXPECTED(!f)) RETURN_THROWS();
    php_wasm_call(f, args, argc, return_value);
}


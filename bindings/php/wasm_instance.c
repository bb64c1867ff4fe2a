/* Instances of the `wasm` extension: Wasm\Instance's hand-written members (a module
   or a file, imports as arrays of externs and callables, exported functions as
   methods). Wasm\Exports is in wasm_exports.c. */
#include "php_wasm_support.h"
#include "ext/spl/spl_array.h"
#include "zend_interfaces.h"
#include "zend_smart_str.h"

/* ------------------------------------------------------------------ Instance */

static zval *php_wasm_instance_exports(zend_object *zo) {
    zval *exports = OBJ_PROP_NUM(zo, 0);
    return Z_TYPE_P(exports) == IS_OBJECT ? exports : NULL;
}

/* A failed call of an export as an instance's method: Wasm\InvocationException (an
   ArgumentError) with php-ext-wasm 0.5.1's messages. */
static ZEND_COLD void php_wasm_throw_invocation(zend_string *name, const char *fmt, ...) {
    va_list va;
    va_start(va, fmt);
    zend_string *reason = zend_vstrpprintf(0, fmt, va);
    va_end(va);
    zend_throw_exception_ex(php_wasm_ce_InvocationException, WG_ERR_ARGUMENT_ERROR, "Got an error when invoking `%s`: %s",
                            ZSTR_VAL(name), ZSTR_VAL(reason));
    zend_string_release(reason);
}

static ZEND_COLD void php_wasm_throw_invocation_arity(zend_string *name, uint32_t nparams, uint32_t argc) {
    if (argc < nparams)
        php_wasm_throw_invocation(name, "Missing %u argument(s) when calling the `%s` exported function; Expect %u argument(s), given %u.",
                                  nparams - argc, ZSTR_VAL(name), nparams, argc);
    else
        php_wasm_throw_invocation(name, "Given %u extra argument(s) when calling the `%s` exported function; Expect %u argument(s), given %u.",
                                  argc - nparams, ZSTR_VAL(name), nparams, argc);
}

/* The method an exported function is called through on an instance: Function_::__invoke
   with the function object as $this, after the argument count is checked. */
static zend_function php_wasm_instance_method;

static ZEND_NAMED_FUNCTION(php_wasm_instance_method_handler) {
    php_wasm_extern *f = php_wasm_extern_of(Z_OBJ_P(ZEND_THIS));
    if (UNEXPECTED(!f)) RETURN_THROWS();
    if (UNEXPECTED(ZEND_NUM_ARGS() != f->nparams) && f->name) {
        php_wasm_throw_invocation_arity(f->name, f->nparams, ZEND_NUM_ARGS());
        RETURN_THROWS();
    }
    php_wasm_invoke->internal_function.handler(INTERNAL_FUNCTION_PARAM_PASSTHRU);
}

void php_wasm_instance_minit(void) {
    /* an internal function: only that member of the zend_function union is allocated (and valid) */
    php_wasm_instance_method.internal_function = php_wasm_invoke->internal_function;
    php_wasm_instance_method.internal_function.handler = php_wasm_instance_method_handler;
}

/* `$instance->sum(1, 2)`: an exported function is a method. One hash lookup, then
   the call goes to php_wasm_instance_method with the function object as $this. */
zend_function *php_wasm_instance_get_method(zend_object **object, zend_string *name, const zval *key) {
    zval *exports = php_wasm_instance_exports(*object);
    if (EXPECTED(exports)) {
        zval *item = zend_hash_find(&PHP_WASM_OBJ(php_wasm_exports, Z_OBJ_P(exports))->items, name);
        if (item && Z_OBJCE_P(item) == php_wasm_ce_Function_) {
            *object = Z_OBJ_P(item);
            return &php_wasm_instance_method;
        }
    }
    return zend_std_get_method(object, name, key);
}

/* The imports of `m` from `imports` (['module' => ['name' => extern or callable]]).
   Host functions made from callables go to `keep` until the instance exists. */
static zend_result php_wasm_resolve_imports(php_wasm_module *m, HashTable *imports, wg_imports *imp, HashTable *keep, HashTable *envs) {
    zend_long n = 0;
    if (glue_module_import_count(m->h, &n) == FAILURE) return FAILURE;
    /* A Wasm\WasiEnv as a value (WasiEnv::defineImports) stands for that program's WASI
       functions: each environment's are defined first, the other entries after (they
       may replace some). `envs` gets them (object handle => object). */
    zval *space, *value;
    zend_result wasi_rc = SUCCESS;
    ZEND_HASH_FOREACH_VAL(imports, space) {
        ZVAL_DEREF(space);
        if (Z_TYPE_P(space) != IS_ARRAY) continue;
        ZEND_HASH_FOREACH_VAL(Z_ARRVAL_P(space), value) {
            ZVAL_DEREF(value);
            if (Z_TYPE_P(value) != IS_OBJECT || Z_OBJCE_P(value) != php_wasm_ce_WasiEnv) continue;
            if (zend_hash_index_exists(envs, Z_OBJ_HANDLE_P(value))) continue;
            zend_hash_index_add_ptr(envs, Z_OBJ_HANDLE_P(value), Z_OBJ_P(value));
            if (wasi_rc == SUCCESS) wasi_rc = php_wasm_wasi_define(Z_OBJ_P(value), m, imp);
        } ZEND_HASH_FOREACH_END();
    } ZEND_HASH_FOREACH_END();
    if (wasi_rc == FAILURE) return FAILURE;
    for (zend_long i = 0; i < n; i++) {
        wg_extern_type *t = NULL;
        zend_string *module = NULL, *name = NULL;
        zend_long kind = 0;
        zend_result rc = FAILURE;
        if (glue_module_import_type(m->h, i, &t) == FAILURE) return FAILURE;
        if (glue_extern_type_module(t, &module) == FAILURE || glue_extern_type_name(t, &name) == FAILURE ||
            glue_extern_type_kind(t, &kind) == FAILURE)
            goto next;
        zval *space = zend_symtable_find(imports, module);
        zval *item = NULL;
        if (space) {
            ZVAL_DEREF(space);
            if (Z_TYPE_P(space) != IS_ARRAY) {
                php_wasm_throw(WG_ERR_ARGUMENT_ERROR, "imports[\"%s\"] must be an array of name => import, %s given",
                         ZSTR_VAL(module), zend_zval_type_name(space));
                goto next;
            }
            item = zend_symtable_find(Z_ARRVAL_P(space), name);
        }
        if (!item) { /* the glue reports the missing import as a LinkError naming it */
            rc = SUCCESS;
            goto next;
        }
        ZVAL_DEREF(item);
        if (Z_TYPE_P(item) == IS_OBJECT && Z_OBJCE_P(item) == php_wasm_ce_WasiEnv) {
            rc = SUCCESS; /* defined above */
        } else if (Z_TYPE_P(item) == IS_OBJECT && php_wasm_is_extern(Z_OBJ_P(item))) {
            php_wasm_extern *e = php_wasm_extern_of(Z_OBJ_P(item));
            if (!e) goto next;
            if (e->s != m->s) {
                php_wasm_throw(WG_ERR_LINK_ERROR, "import %s.%s belongs to another store than the module", ZSTR_VAL(module), ZSTR_VAL(name));
                goto next;
            }
            rc = glue_imports_define(imp, module, name, e->h);
        } else if (zend_is_callable(item, 0, NULL)) {
            if (kind != WG_EXTERN_FUNC) {
                php_wasm_throw(WG_ERR_LINK_ERROR, "import %s.%s is not a function: a callable cannot provide it", ZSTR_VAL(module), ZSTR_VAL(name));
                goto next;
            }
            uint32_t np = 0, nr = 0;
            uint8_t *kinds = php_wasm_extern_type_kinds(t, &np, &nr);
            if (!kinds) goto next;
            zval fn;
            object_init_ex(&fn, php_wasm_ce_Function_);
            zend_hash_next_index_insert(keep, &fn);
            php_wasm_extern *f = PHP_WASM_OBJ(php_wasm_extern, Z_OBJ(fn));
            zend_string *qualified = zend_strpprintf(0, "%s.%s", ZSTR_VAL(module), ZSTR_VAL(name));
            rc = php_wasm_host_function_init(f, m->s, item, kinds, np, nr, qualified);
            zend_string_release(qualified);
            efree(kinds);
            if (rc == SUCCESS) rc = glue_imports_define(imp, module, name, f->h);
        } else {
            php_wasm_throw(WG_ERR_ARGUMENT_ERROR, "import %s.%s must be a Wasm\\Function_, Memory, Global_ or Table, a callable, or a Wasm\\WasiEnv, %s given",
                     ZSTR_VAL(module), ZSTR_VAL(name), zend_zval_type_name(item));
        }
    next:
        if (module) zend_string_release(module);
        if (name) zend_string_release(name);
        wg_extern_type_delete(t);
        if (rc == FAILURE) return FAILURE;
    }
    return SUCCESS;
}

static zend_result php_wasm_instance_build_exports(php_wasm_instance *inst, zval *out) {
    zend_long n = 0;
    if (glue_instance_export_count(inst->h, &n) == FAILURE) return FAILURE;
    object_init_ex(out, php_wasm_ce_Exports);
    php_wasm_exports *ex = PHP_WASM_OBJ(php_wasm_exports, Z_OBJ_P(out));
    for (zend_long i = 0; i < n; i++) {
        zend_string *name = NULL;
        wg_extern *h = NULL;
        zval item;
        if (glue_instance_export_name(inst->h, i, &name) == FAILURE) return FAILURE;
        if (glue_instance_export(inst->h, i, &h) == FAILURE || php_wasm_extern_wrap(inst->s, h, &item) == FAILURE) {
            zend_string_release(name);
            return FAILURE;
        }
        if (Z_OBJCE(item) == php_wasm_ce_Function_) PHP_WASM_OBJ(php_wasm_extern, Z_OBJ(item))->name = zend_string_copy(name);
        zend_hash_update(&ex->items, name, &item);
        zend_string_release(name);
    }
    return SUCCESS;
}

ZEND_METHOD(Wasm_InstanceSupport, __construct) {
    zend_object *module_obj = NULL;
    zend_string *path = NULL;
    HashTable *imports = NULL;
    ZEND_PARSE_PARAMETERS_START(1, 2)
        Z_PARAM_OBJ_OF_CLASS_OR_STR(module_obj, php_wasm_ce_Module, path)
        Z_PARAM_OPTIONAL
        Z_PARAM_ARRAY_HT(imports)
    ZEND_PARSE_PARAMETERS_END();
    php_wasm_instance *inst = PHP_WASM_THIS(php_wasm_instance);
    if (inst->h || !Z_ISUNDEF(inst->module)) {
        zend_throw_error(NULL, "Wasm\\Instance::__construct() cannot be called twice");
        RETURN_THROWS();
    }
    if (path) { /* a file, compiled in the default store */
        if (zend_str_has_nul_byte(path)) {
            zend_argument_value_error(1, "must not contain any null bytes");
            RETURN_THROWS();
        }
        zend_object *store = php_wasm_default_store();
        if (!store) RETURN_THROWS();
        php_stream *stream = php_stream_open_wrapper(ZSTR_VAL(path), "rb", 0, NULL);
        if (!stream) {
            zend_clear_exception();
            php_wasm_throw(WG_ERR_RUNTIME_ERROR, "File path to Wasm binary `%s` does not exist.", ZSTR_VAL(path)); /* 0.5.1's message */
            RETURN_THROWS();
        }
        zend_string *bytes = php_stream_copy_to_mem(stream, PHP_STREAM_COPY_ALL, 0);
        php_stream_close(stream);
        if (!bytes) bytes = ZSTR_EMPTY_ALLOC();
        zend_result rc = php_wasm_module_new(store, bytes, &inst->module);
        zend_string_release(bytes);
        if (rc == FAILURE) RETURN_THROWS();
    } else {
        ZVAL_OBJ_COPY(&inst->module, module_obj);
    }
    php_wasm_module *m = php_wasm_module_of(Z_OBJ(inst->module));
    if (!m) RETURN_THROWS();
    wg_imports *imp = NULL;
    HashTable keep, envs;
    zend_hash_init(&keep, 4, NULL, ZVAL_PTR_DTOR, 0);
    zend_hash_init(&envs, 1, NULL, NULL, 0);
    zend_result rc = glue_imports_new(&imp);
    if (rc == SUCCESS && imports) rc = php_wasm_resolve_imports(m, imports, imp, &keep, &envs);
    if (rc == SUCCESS) rc = glue_instance_new(m->s->h, m->h, imp, true, &inst->h); /* a store of its own: see Instance */
    wg_imports_delete(imp);
    zend_hash_destroy(&keep);
    zend_hash_destroy(&envs);
    if (UNEXPECTED(PHP_WASM_G(after_call)) && php_wasm_after_call()) zend_bailout(); /* the start function called host code */
    if (rc == FAILURE) RETURN_THROWS();
    inst->s = php_wasm_store_hold(m->s, &inst->store);
    zval exports;
    if (php_wasm_instance_build_exports(inst, &exports) == FAILURE) {
        zval_ptr_dtor(&exports);
        RETURN_THROWS();
    }
    php_wasm_set_prop(php_wasm_ce_Instance, &inst->std, "exports", &exports);
}

ZEND_METHOD(Wasm_InstanceSupport, __call) {
    zend_string *name;
    HashTable *arguments;
    ZEND_PARSE_PARAMETERS_START(2, 2)
        Z_PARAM_STR(name)
        Z_PARAM_ARRAY_HT(arguments)
    ZEND_PARSE_PARAMETERS_END();
    zval *exports = php_wasm_instance_exports(Z_OBJ_P(ZEND_THIS));
    if (!exports) {
        PHP_WASM_NOT_INITIALIZED("Wasm\\Instance");
        RETURN_THROWS();
    }
    php_wasm_exports *ex = PHP_WASM_OBJ(php_wasm_exports, Z_OBJ_P(exports));
    zval *item = zend_hash_find(&ex->items, name);
    if (!item || Z_OBJCE_P(item) != php_wasm_ce_Function_) {
        if (item) php_wasm_throw(WG_ERR_ARGUMENT_ERROR, "the export \"%s\" is not a function", ZSTR_VAL(name));
        else php_wasm_throw_invocation(name, "The instance has no exported function named `%s`.", ZSTR_VAL(name));
        RETURN_THROWS();
    }
    uint32_t argc = zend_hash_num_elements(arguments), i = 0;
    php_wasm_extern *f = PHP_WASM_OBJ(php_wasm_extern, Z_OBJ_P(item));
    if (UNEXPECTED(argc != f->nparams)) {
        php_wasm_throw_invocation_arity(name, f->nparams, argc);
        RETURN_THROWS();
    }
    zval stack[PHP_WASM_STACK_VALS];
    zval *args = argc <= PHP_WASM_STACK_VALS ? stack : safe_emalloc(argc, sizeof(zval), 0);
    zval *v;
    ZEND_HASH_FOREACH_VAL(arguments, v) {
        ZVAL_COPY_VALUE(&args[i++], v);
    } ZEND_HASH_FOREACH_END();
    php_wasm_call(f, args, argc, return_value);
    if (args != stack) efree(args);
}

ZEND_METHOD(Wasm_InstanceSupport, module) {
    ZEND_PARSE_PARAMETERS_NONE();
    php_wasm_instance *inst = PHP_WASM_THIS(php_wasm_instance);
    if (Z_ISUNDEF(inst->module)) {
        PHP_WASM_NOT_INITIALIZED("Wasm\\Instance");
        RETURN_THROWS();
    }
    RETURN_COPY(&inst->module);
}

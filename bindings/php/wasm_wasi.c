/* WASI in the `wasm` extension: the objects of Wasm\WasiConfig and Wasm\WasiEnv
   (their members are rendered from api.yaml, wasm.c), WasiEnv::defineImports (PHP
   imports are arrays: the WASI imports of a module are entries whose value is the
   WasiEnv, resolved by Wasm\Instance, wasm_instance.c) and the exit code carried by
   Wasm\Exception\ExitError (getExitCode()). */
#include "php_wasm_support.h"

static zend_object_handlers php_wasm_wasi_config_handlers, php_wasm_wasi_env_handlers;

/* ------------------------------------------------------------------ WasiConfig */

static zend_object *php_wasm_wasi_config_create(zend_class_entry *ce) {
    php_wasm_wasi_config *o = zend_object_alloc(sizeof(php_wasm_wasi_config), ce);
    zend_object_std_init(&o->std, ce);
    object_properties_init(&o->std, ce);
    o->std.handlers = &php_wasm_wasi_config_handlers;
    return &o->std;
}

static void php_wasm_wasi_config_free(zend_object *zo) {
    php_wasm_wasi_config *o = PHP_WASM_OBJ(php_wasm_wasi_config, zo);
    wg_wasi_config_delete(o->h);
    o->h = NULL;
    zend_object_std_dtor(zo);
}

wg_wasi_config *php_wasm_wasi_config_unwrap(zend_object *zo) {
    php_wasm_wasi_config *o = PHP_WASM_OBJ(php_wasm_wasi_config, zo);
    if (UNEXPECTED(!o->h)) {
        PHP_WASM_NOT_INITIALIZED("Wasm\\WasiConfig");
        return NULL;
    }
    return o->h;
}

php_wasm_store *php_wasm_wasi_config_context(zend_object *zo) {
    (void)zo;
    return NULL; /* a configuration belongs to no store */
}

zend_result php_wasm_wasi_config_construct(zend_object *zo, wg_wasi_config *h, php_wasm_store *s) {
    (void)s;
    php_wasm_wasi_config *o = PHP_WASM_OBJ(php_wasm_wasi_config, zo);
    if (o->h) {
        wg_wasi_config_delete(h);
        zend_throw_error(NULL, "Wasm\\WasiConfig::__construct() cannot be called twice");
        return FAILURE;
    }
    o->h = h;
    return SUCCESS;
}

zend_result php_wasm_wasi_config_wrap_new(wg_wasi_config *h, php_wasm_store *s, zval *out) {
    object_init_ex(out, php_wasm_ce_WasiConfig);
    return php_wasm_wasi_config_construct(Z_OBJ_P(out), h, s);
}

/* ------------------------------------------------------------------ WasiEnv */

static zend_object *php_wasm_wasi_env_create(zend_class_entry *ce) {
    php_wasm_wasi_env *o = zend_object_alloc(sizeof(php_wasm_wasi_env), ce);
    zend_object_std_init(&o->std, ce);
    object_properties_init(&o->std, ce);
    o->std.handlers = &php_wasm_wasi_env_handlers;
    ZVAL_UNDEF(&o->store);
    return &o->std;
}

/* The glue's environment is deleted before the store it belongs to (instances using it
   keep their own reference; the glue settles one that never ran an instance). */
static void php_wasm_wasi_env_free(zend_object *zo) {
    php_wasm_wasi_env *o = PHP_WASM_OBJ(php_wasm_wasi_env, zo);
    wg_wasi_env_delete(o->h);
    o->h = NULL;
    if (o->s) php_wasm_store_unhold(&o->s, &o->store);
    zend_object_std_dtor(zo);
}

static HashTable *php_wasm_wasi_env_get_gc(zend_object *zo, zval **table, int *n) {
    *table = &PHP_WASM_OBJ(php_wasm_wasi_env, zo)->store;
    *n = 1;
    return zend_std_get_properties(zo);
}

php_wasm_wasi_env *php_wasm_wasi_env_of(zend_object *zo) {
    php_wasm_wasi_env *o = PHP_WASM_OBJ(php_wasm_wasi_env, zo);
    if (UNEXPECTED(!o->h)) {
        PHP_WASM_NOT_INITIALIZED("Wasm\\WasiEnv");
        return NULL;
    }
    return o;
}

wg_wasi_env *php_wasm_wasi_env_unwrap(zend_object *zo) {
    php_wasm_wasi_env *o = php_wasm_wasi_env_of(zo);
    return o ? o->h : NULL;
}

php_wasm_store *php_wasm_wasi_env_context(zend_object *zo) {
    return PHP_WASM_OBJ(php_wasm_wasi_env, zo)->s;
}

zend_result php_wasm_wasi_env_construct(zend_object *zo, wg_wasi_env *h, php_wasm_store *s) {
    php_wasm_wasi_env *o = PHP_WASM_OBJ(php_wasm_wasi_env, zo);
    if (o->h) {
        wg_wasi_env_delete(h);
        zend_throw_error(NULL, "Wasm\\WasiEnv::__construct() cannot be called twice");
        return FAILURE;
    }
    o->h = h;
    o->s = php_wasm_store_hold(s, &o->store);
    return SUCCESS;
}

zend_result php_wasm_wasi_env_wrap_new(wg_wasi_env *h, php_wasm_store *s, zval *out) {
    object_init_ex(out, php_wasm_ce_WasiEnv);
    return php_wasm_wasi_env_construct(Z_OBJ_P(out), h, s);
}

/* The WASI imports of `m` from environment `env` (a WasiEnv object) into `imp`: what a
   WasiEnv value in an imports array stands for. */
zend_result php_wasm_wasi_define(zend_object *env, php_wasm_module *m, wg_imports *imp) {
    php_wasm_wasi_env *w = php_wasm_wasi_env_of(env);
    if (!w) return FAILURE;
    if (w->s != m->s) {
        php_wasm_throw(WG_ERR_LINK_ERROR, "the Wasm\\WasiEnv of the imports belongs to another store than the module");
        return FAILURE;
    }
    return glue_wasi_env_define_imports(w->h, m->h, imp);
}


/* The namespace of a WASI version's imports. */
static const char *php_wasm_wasi_namespace(zend_long version) {
    switch (version) {
    case 1: return "wasi_unstable";
    case 2: return "wasi_snapshot_preview1";
    }
    return NULL;
}

/* WasiEnv::defineImports(Module $module, array $imports = []): array — `$imports` with
   each WASI import of the module ('wasi_snapshot_preview1' => ['fd_write' => ...]) set
   to this environment; given to `new Wasm\Instance($module, ...)`, those entries are
   this program's WASI functions (other entries may be added, or replace some). */
ZEND_METHOD(Wasm_WasiEnvSupport, defineImports) {
    zend_object *module = NULL;
    HashTable *imports = NULL;
    ZEND_PARSE_PARAMETERS_START(1, 2)
        Z_PARAM_OBJ_OF_CLASS(module, php_wasm_ce_Module)
        Z_PARAM_OPTIONAL
        Z_PARAM_ARRAY_HT(imports)
    ZEND_PARSE_PARAMETERS_END();
    php_wasm_module *m = php_wasm_module_of(module);
    if (!m) RETURN_THROWS();
    /* the glue's checks and errors (a module that is not a WASI program, another store) */
    wg_imports *scratch = NULL;
    if (glue_imports_new(&scratch) == FAILURE) RETURN_THROWS();
    zend_result rc = php_wasm_wasi_define(Z_OBJ_P(ZEND_THIS), m, scratch);
    wg_imports_delete(scratch);
    if (rc == FAILURE) RETURN_THROWS();
    zend_long version = 0, n = 0;
    if (glue_module_wasi_version(m->h, false, &version) == FAILURE || glue_module_import_count(m->h, &n) == FAILURE) RETURN_THROWS();
    const char *ns = php_wasm_wasi_namespace(version);
    if (imports) RETVAL_ARR(zend_array_dup(imports));
    else array_init(return_value);
    for (zend_long i = 0; ns && i < n; i++) {
        wg_extern_type *t = NULL;
        zend_string *mod = NULL, *name = NULL;
        rc = glue_module_import_type(m->h, i, &t);
        if (rc == SUCCESS) rc = glue_extern_type_module(t, &mod);
        if (rc == SUCCESS) rc = glue_extern_type_name(t, &name);
        if (rc == SUCCESS && zend_string_equals_cstr(mod, ns, strlen(ns))) {
            zval *space = zend_symtable_find(Z_ARRVAL_P(return_value), mod);
            if (space) ZVAL_DEREF(space);
            if (space && Z_TYPE_P(space) != IS_ARRAY) {
                php_wasm_throw(WG_ERR_ARGUMENT_ERROR, "imports[\"%s\"] must be an array of name => import, %s given", ZSTR_VAL(mod),
                               zend_zval_type_name(space));
                rc = FAILURE;
            } else {
                if (!space) {
                    zval fresh;
                    array_init(&fresh);
                    space = zend_symtable_update(Z_ARRVAL_P(return_value), mod, &fresh);
                } else {
                    SEPARATE_ARRAY(space);
                }
                zval env;
                ZVAL_OBJ_COPY(&env, Z_OBJ_P(ZEND_THIS));
                zend_symtable_update(Z_ARRVAL_P(space), name, &env);
            }
        }
        if (mod) zend_string_release(mod);
        if (name) zend_string_release(name);
        wg_extern_type_delete(t);
        if (rc == FAILURE) {
            zval_ptr_dtor(return_value);
            ZVAL_UNDEF(return_value);
            RETURN_THROWS();
        }
    }
}

/* ------------------------------------------------------------------ ExitError */

static zend_class_entry *php_wasm_ce_ExitError;

/* Wasm\Exception\ExitError::getExitCode(): the code the program exited with. */
ZEND_METHOD(Wasm_Exception_ExitErrorSupport, getExitCode) {
    ZEND_PARSE_PARAMETERS_NONE();
    zval rv;
    zval *code = zend_read_property(php_wasm_ce_ExitError, Z_OBJ_P(ZEND_THIS), "exitCode", sizeof("exitCode") - 1, true, &rv);
    RETURN_LONG(Z_TYPE_P(code) == IS_LONG ? Z_LVAL_P(code) : 0);
}

/* After an ExitError was thrown: its exit code, from the glue (this thread's last exit). */
void php_wasm_exit_error_thrown(void) {
    if (!EG(exception) || !php_wasm_ce_ExitError || !instanceof_function(EG(exception)->ce, php_wasm_ce_ExitError)) return;
    uint32_t code = 0;
    wg_exit_code(&code);
    zend_update_property_long(php_wasm_ce_ExitError, EG(exception), "exitCode", sizeof("exitCode") - 1, (zend_long)code);
}

/* getExitCode() is added to the generated error class (api.yaml's errors carry no members) */
ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_php_wasm_exit_error_getExitCode, 0, 0, IS_LONG, 0)
ZEND_END_ARG_INFO()

static const zend_function_entry php_wasm_exit_error_methods[] = {
    ZEND_ME(Wasm_Exception_ExitErrorSupport, getExitCode, arginfo_php_wasm_exit_error_getExitCode, ZEND_ACC_PUBLIC)
    ZEND_FE_END
};

/* ------------------------------------------------------------------ registration */

zend_result php_wasm_wasi_minit(void) {
    php_wasm_ce_WasiConfig->create_object = php_wasm_wasi_config_create;
    php_wasm_handlers(&php_wasm_wasi_config_handlers, XtOffsetOf(php_wasm_wasi_config, std), php_wasm_wasi_config_free);
    php_wasm_ce_WasiEnv->create_object = php_wasm_wasi_env_create;
    php_wasm_handlers(&php_wasm_wasi_env_handlers, XtOffsetOf(php_wasm_wasi_env, std), php_wasm_wasi_env_free);
    php_wasm_wasi_env_handlers.get_gc = php_wasm_wasi_env_get_gc;

    php_wasm_ce_ExitError = php_wasm_error_class(WG_ERR_EXIT_ERROR);
    zend_declare_property_long(php_wasm_ce_ExitError, "exitCode", sizeof("exitCode") - 1, 0, ZEND_ACC_PROTECTED);
    return zend_register_functions(php_wasm_ce_ExitError, php_wasm_exit_error_methods, &php_wasm_ce_ExitError->function_table,
                                   MODULE_PERSISTENT);
}

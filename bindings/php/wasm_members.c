/* The hand-written members of Wasm\Engine, Store, Module, Global_ and Table: the
   forms of the old embedding that are not one of the generic shapes (optional and
   nullable parameters, values of a kind given elsewhere, lists of import/export types). */
#include "php_wasm_support.h"

/* ------------------------------------------------------------------ Engine */

ZEND_METHOD(Wasm_EngineSupport, __construct) {
    zend_object *compiler = NULL;
    ZEND_PARSE_PARAMETERS_START(0, 1)
        Z_PARAM_OPTIONAL
        Z_PARAM_OBJ_OF_CLASS(compiler, php_wasm_ce_Compiler)
    ZEND_PARSE_PARAMETERS_END();
    php_wasm_engine *o = PHP_WASM_THIS(php_wasm_engine);
    if (o->h) {
        zend_throw_error(NULL, "Wasm\\Engine::__construct() cannot be called twice");
        RETURN_THROWS();
    }
    php_wasm_engine_init(o, compiler ? Z_LVAL_P(zend_enum_fetch_case_value(compiler)) : PHP_WASM_DEFAULT_COMPILER);
}

ZEND_METHOD(Wasm_EngineSupport, compiler) {
    ZEND_PARSE_PARAMETERS_NONE();
    php_wasm_engine *o = PHP_WASM_THIS(php_wasm_engine);
    if (!o->h) {
        PHP_WASM_NOT_INITIALIZED("Wasm\\Engine");
        RETURN_THROWS();
    }
    zend_object *c = php_wasm_enum_case(php_wasm_ce_Compiler, o->compiler);
    if (c) RETURN_OBJ_COPY(c);
    RETURN_NULL();
}

/* ------------------------------------------------------------------ Store */

ZEND_METHOD(Wasm_StoreSupport, __construct) {
    zend_object *engine = NULL;
    ZEND_PARSE_PARAMETERS_START(0, 1)
        Z_PARAM_OPTIONAL
        Z_PARAM_OBJ_OF_CLASS_OR_NULL(engine, php_wasm_ce_Engine)
    ZEND_PARSE_PARAMETERS_END();
    php_wasm_store_obj *o = PHP_WASM_THIS(php_wasm_store_obj);
    if (o->s || !Z_ISUNDEF(o->engine)) {
        zend_throw_error(NULL, "Wasm\\Store::__construct() cannot be called twice");
        RETURN_THROWS();
    }
    php_wasm_store_init(o, engine);
}

ZEND_METHOD(Wasm_StoreSupport, engine) {
    ZEND_PARSE_PARAMETERS_NONE();
    php_wasm_store_obj *o = php_wasm_store_obj_of(Z_OBJ_P(ZEND_THIS));
    if (!o) RETURN_THROWS();
    RETURN_COPY(&o->engine);
}

zend_object *php_wasm_default_store(void) {
    if (Z_TYPE(PHP_WASM_G(default_store)) != IS_OBJECT) {
        zval store;
        object_init_ex(&store, php_wasm_ce_Store);
        if (php_wasm_store_init(PHP_WASM_OBJ(php_wasm_store_obj, Z_OBJ(store)), NULL) == FAILURE) {
            zval_ptr_dtor(&store);
            return NULL;
        }
        ZVAL_COPY_VALUE(&PHP_WASM_G(default_store), &store);
    }
    return Z_OBJ(PHP_WASM_G(default_store));
}

/* ------------------------------------------------------------------ Module */

/* A new Module object compiled from bytes (or WAT) in `store`. */
zend_result php_wasm_module_new(zend_object *store, zend_string *bytes, zval *out) {
    php_wasm_store_obj *s = php_wasm_store_obj_of(store);
    wg_module *h = NULL;
    if (!s || glue_module_new(s->s->h, bytes, &h) == FAILURE) return FAILURE;
    object_init_ex(out, php_wasm_ce_Module);
    php_wasm_module_fill(PHP_WASM_OBJ(php_wasm_module, Z_OBJ_P(out)), store, h);
    return SUCCESS;
}

ZEND_METHOD(Wasm_ModuleSupport, name) {
    ZEND_PARSE_PARAMETERS_NONE();
    zend_string *name;
    if (glue_module_name(PHP_WASM_THIS(php_wasm_module)->h, &name) == FAILURE) RETURN_THROWS();
    if (ZSTR_LEN(name) == 0) {
        zend_string_release(name);
        RETURN_NULL();
    }
    RETURN_STR(name);
}

/* Module::imports() / exports(): lists of ImportType / ExportType. */
static void php_wasm_module_types(INTERNAL_FUNCTION_PARAMETERS, bool imports) {
    ZEND_PARSE_PARAMETERS_NONE();
    php_wasm_module *m = php_wasm_module_of(Z_OBJ_P(ZEND_THIS));
    zend_long n = 0;
    if (!m || (imports ? glue_module_import_count(m->h, &n) : glue_module_export_count(m->h, &n)) == FAILURE)
        RETURN_THROWS();
    array_init_size(return_value, (uint32_t)n);
    for (zend_long i = 0; i < n; i++) {
        wg_extern_type *t = NULL;
        zend_string *module = NULL, *name = NULL;
        zval type, item, sv;
        if ((imports ? glue_module_import_type(m->h, i, &t) : glue_module_export_type(m->h, i, &t)) == FAILURE) RETURN_THROWS();
        if ((imports && glue_extern_type_module(t, &module) == FAILURE) || glue_extern_type_name(t, &name) == FAILURE ||
            php_wasm_lift_type(t, &type) == FAILURE) {
            if (module) zend_string_release(module);
            if (name) zend_string_release(name);
            wg_extern_type_delete(t);
            RETURN_THROWS();
        }
        wg_extern_type_delete(t);
        zend_class_entry *ce = imports ? php_wasm_ce_ImportType : php_wasm_ce_ExportType;
        object_init_ex(&item, ce);
        if (imports) {
            ZVAL_STR(&sv, module);
            php_wasm_set_prop(ce, Z_OBJ(item), "module", &sv);
        }
        ZVAL_STR(&sv, name);
        php_wasm_set_prop(ce, Z_OBJ(item), "name", &sv);
        php_wasm_set_prop(ce, Z_OBJ(item), "type", &type);
        add_next_index_zval(return_value, &item);
    }
}

ZEND_METHOD(Wasm_ModuleSupport, imports) {
    php_wasm_module_types(INTERNAL_FUNCTION_PARAM_PASSTHRU, true);
}

ZEND_METHOD(Wasm_ModuleSupport, exports) {
    php_wasm_module_types(INTERNAL_FUNCTION_PARAM_PASSTHRU, false);
}

ZEND_METHOD(Wasm_ModuleSupport, store) {
    ZEND_PARSE_PARAMETERS_NONE();
    php_wasm_module *m = php_wasm_module_of(Z_OBJ_P(ZEND_THIS));
    if (!m) RETURN_THROWS();
    RETURN_COPY(&m->store);
}


/* ------------------------------------------------------------------ Global_ */

ZEND_METHOD(Wasm_Global_Support, __construct) {
    zend_object *store, *type;
    zval *value;
    bool is_mutable = false;
    ZEND_PARSE_PARAMETERS_START(3, 4)
        Z_PARAM_OBJ_OF_CLASS(store, php_wasm_ce_Store)
        Z_PARAM_OBJ_OF_CLASS(type, php_wasm_ce_ValueType)
        Z_PARAM_ZVAL(value)
        Z_PARAM_OPTIONAL
        Z_PARAM_BOOL(is_mutable)
    ZEND_PARSE_PARAMETERS_END();
    php_wasm_extern *o = PHP_WASM_THIS(php_wasm_extern);
    PHP_WASM_CONSTRUCT_ONCE(o->h, "Wasm\\Global_")
    php_wasm_store_obj *s = php_wasm_store_obj_of(store);
    if (!s) RETURN_THROWS();
    uint8_t kind = php_wasm_value_type_code(type);
    wg_val v;
    if (!php_wasm_lower_val(s->s, kind, value, &v)) {
        php_wasm_throw_value(kind, value, "Wasm\\Global_::__construct()", "Argument", 3);
        RETURN_THROWS();
    }
    wg_extern *h = NULL;
    if (glue_global_new(s->s->h, kind, is_mutable, v, &h) == FAILURE) RETURN_THROWS();
    php_wasm_extern_init(o, s->s, h, WG_EXTERN_GLOBAL);
}

ZEND_METHOD(Wasm_Global_Support, get) {
    ZEND_PARSE_PARAMETERS_NONE();
    php_wasm_extern *o = PHP_WASM_THIS(php_wasm_extern);
    wg_val v;
    if (glue_global_get(o->h, &v) == FAILURE) RETURN_THROWS();
    php_wasm_lift_val(o->s, o->content, v, return_value);
}

ZEND_METHOD(Wasm_Global_Support, set) {
    zval *value;
    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_ZVAL(value)
    ZEND_PARSE_PARAMETERS_END();
    php_wasm_extern *o = php_wasm_extern_of(Z_OBJ_P(ZEND_THIS));
    if (!o) RETURN_THROWS();
    wg_val v;
    if (!php_wasm_lower_val(o->s, o->content, value, &v)) {
        php_wasm_throw_value(o->content, value, "Wasm\\Global_::set()", "Argument", 1);
        RETURN_THROWS();
    }
    if (glue_global_set(o->h, v) == FAILURE) { /* immutable: refused before the glue took the value */
        php_wasm_unlower_vals(&o->content, &v, 1);
        RETURN_THROWS();
    }
}

ZEND_METHOD(Wasm_Global_Support, isMutable) {
    ZEND_PARSE_PARAMETERS_NONE();
    php_wasm_extern *o = php_wasm_extern_of(Z_OBJ_P(ZEND_THIS));
    if (!o) RETURN_THROWS();
    RETURN_BOOL(o->is_mutable);
}

/* ------------------------------------------------------------------ Table */

ZEND_METHOD(Wasm_TableSupport, __construct) {
    zend_object *store, *type;
    zend_long minimum, maximum = 0;
    bool maximum_null = true;
    ZEND_PARSE_PARAMETERS_START(3, 4)
        Z_PARAM_OBJ_OF_CLASS(store, php_wasm_ce_Store)
        Z_PARAM_OBJ_OF_CLASS(type, php_wasm_ce_ValueType)
        Z_PARAM_LONG(minimum)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG_OR_NULL(maximum, maximum_null)
    ZEND_PARSE_PARAMETERS_END();
    php_wasm_extern *o = PHP_WASM_THIS(php_wasm_extern);
    PHP_WASM_CONSTRUCT_ONCE(o->h, "Wasm\\Table")
    php_wasm_store_obj *s = php_wasm_store_obj_of(store);
    wg_extern *h = NULL;
    if (!s || glue_table_new(s->s->h, php_wasm_value_type_code(type), minimum, php_wasm_limit(maximum, maximum_null), &h) == FAILURE) RETURN_THROWS();
    php_wasm_extern_init(o, s->s, h, WG_EXTERN_TABLE);
}

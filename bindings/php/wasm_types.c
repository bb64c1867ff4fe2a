/* Type objects of the `wasm` extension: extern types (the glue's ExternType) lifted
   into Wasm\Type\FunctionType, MemoryType, GlobalType and TableType, and back. */
#include "php_wasm_support.h"

/* ------------------------------------------------------------------ type objects */

void php_wasm_set_prop(zend_class_entry *ce, zend_object *obj, const char *name, zval *value) {
    zend_update_property(ce, obj, name, strlen(name), value);
    zval_ptr_dtor(value);
}

static void php_wasm_set_long_or_null(zend_class_entry *ce, zend_object *obj, const char *name, zend_long value, bool null) {
    zval v;
    if (null) ZVAL_NULL(&v);
    else ZVAL_LONG(&v, value);
    php_wasm_set_prop(ce, obj, name, &v);
}

static void php_wasm_set_value_type(zend_class_entry *ce, zend_object *obj, const char *name, zend_long kind) {
    zval v;
    zend_object *c = php_wasm_value_type_case((uint8_t)kind);
    if (c) ZVAL_OBJ_COPY(&v, c);
    else ZVAL_NULL(&v);
    php_wasm_set_prop(ce, obj, name, &v);
}

/* Kinds of one side of a function type (params or results) as ValueType cases. */
static zend_result php_wasm_kinds_array(wg_extern_type *t, bool results, zval *out) {
    zend_long n = 0, kind = 0;
    if ((results ? glue_extern_type_result_count(t, &n) : glue_extern_type_param_count(t, &n)) == FAILURE) return FAILURE;
    array_init_size(out, (uint32_t)n);
    for (zend_long i = 0; i < n; i++) {
        if ((results ? glue_extern_type_result(t, i, &kind) : glue_extern_type_param(t, i, &kind)) == FAILURE) {
            zval_ptr_dtor(out);
            return FAILURE;
        }
        zval c;
        ZVAL_OBJ_COPY(&c, php_wasm_value_type_case((uint8_t)kind));
        add_next_index_zval(out, &c);
    }
    return SUCCESS;
}

/* The Wasm\Type\ object of an extern type. */
zend_result php_wasm_lift_type(wg_extern_type *t, zval *out) {
    zend_long kind = 0, a = 0, b = 0;
    bool m = false;
    if (glue_extern_type_kind(t, &kind) == FAILURE) return FAILURE;
    switch (kind) {
    case WG_EXTERN_FUNC: {
        zval params, results;
        if (php_wasm_kinds_array(t, false, &params) == FAILURE) return FAILURE;
        if (php_wasm_kinds_array(t, true, &results) == FAILURE) {
            zval_ptr_dtor(&params);
            return FAILURE;
        }
        object_init_ex(out, php_wasm_ce_FunctionType);
        php_wasm_set_prop(php_wasm_ce_FunctionType, Z_OBJ_P(out), "params", &params);
        php_wasm_set_prop(php_wasm_ce_FunctionType, Z_OBJ_P(out), "results", &results);
        return SUCCESS;
    }
    case WG_EXTERN_GLOBAL: {
        if (glue_extern_type_content(t, &a) == FAILURE || glue_extern_type_mutable(t, &m) == FAILURE) return FAILURE;
        object_init_ex(out, php_wasm_ce_GlobalType);
        php_wasm_set_value_type(php_wasm_ce_GlobalType, Z_OBJ_P(out), "type", a);
        zval mv;
        ZVAL_BOOL(&mv, m);
        php_wasm_set_prop(php_wasm_ce_GlobalType, Z_OBJ_P(out), "mutable", &mv);
        return SUCCESS;
    }
    case WG_EXTERN_TABLE:
    case WG_EXTERN_MEMORY: {
        zend_long content = 0;
        zend_class_entry *ce = kind == WG_EXTERN_TABLE ? php_wasm_ce_TableType : php_wasm_ce_MemoryType;
        if (kind == WG_EXTERN_TABLE && glue_extern_type_content(t, &content) == FAILURE) return FAILURE;
        if (glue_extern_type_minimum(t, &a) == FAILURE || glue_extern_type_maximum(t, &b) == FAILURE) return FAILURE;
        object_init_ex(out, ce);
        if (kind == WG_EXTERN_TABLE) php_wasm_set_value_type(ce, Z_OBJ_P(out), "type", content);
        php_wasm_set_long_or_null(ce, Z_OBJ_P(out), "minimum", a, false);
        php_wasm_set_long_or_null(ce, Z_OBJ_P(out), "maximum", b, b == (zend_long)UINT32_MAX);
        return SUCCESS;
    }
    }
    php_wasm_throw(WG_ERR_RUNTIME_ERROR, "unknown extern kind " ZEND_LONG_FMT, kind);
    return FAILURE;
}

/* Consumes `t`. */
zend_result php_wasm_lift_type_owned(wg_extern_type *t, zval *out) {
    zend_result rc = php_wasm_lift_type(t, out);
    wg_extern_type_delete(t);
    return rc;
}

/* The value kinds of a Wasm\Type\FunctionType: emalloc'd params then results. */
uint8_t *php_wasm_function_type_kinds(zend_object *type, uint32_t *np, uint32_t *nr) {
    zval rv1, rv2;
    zval *params = zend_read_property(php_wasm_ce_FunctionType, type, "params", sizeof("params") - 1, 1, &rv1);
    zval *results = zend_read_property(php_wasm_ce_FunctionType, type, "results", sizeof("results") - 1, 1, &rv2);
    if (EG(exception)) return NULL;
    if (Z_TYPE_P(params) != IS_ARRAY || Z_TYPE_P(results) != IS_ARRAY) {
        PHP_WASM_NOT_INITIALIZED("Wasm\\Type\\FunctionType");
        return NULL;
    }
    *np = zend_hash_num_elements(Z_ARRVAL_P(params));
    *nr = zend_hash_num_elements(Z_ARRVAL_P(results));
    uint8_t *kinds = emalloc(*np + *nr + 1);
    uint32_t i = 0;
    zval *v;
    ZEND_HASH_FOREACH_VAL(Z_ARRVAL_P(params), v) {
        kinds[i++] = php_wasm_value_type_code(Z_OBJ_P(v));
    } ZEND_HASH_FOREACH_END();
    ZEND_HASH_FOREACH_VAL(Z_ARRVAL_P(results), v) {
        kinds[i++] = php_wasm_value_type_code(Z_OBJ_P(v));
    } ZEND_HASH_FOREACH_END();
    return kinds;
}

/* The kinds of a function type from the glue: emalloc'd params then results. */
uint8_t *php_wasm_extern_type_kinds(wg_extern_type *t, uint32_t *np, uint32_t *nr) {
    zend_long n = 0, m = 0, kind = 0;
    if (glue_extern_type_param_count(t, &n) == FAILURE || glue_extern_type_result_count(t, &m) == FAILURE) return NULL;
    uint8_t *kinds = emalloc((size_t)(n + m + 1));
    for (zend_long i = 0; i < n + m; i++) {
        if ((i < n ? glue_extern_type_param(t, i, &kind) : glue_extern_type_result(t, i - n, &kind)) == FAILURE) {
            efree(kinds);
            return NULL;
        }
        kinds[i] = (uint8_t)kind;
    }
    *np = (uint32_t)n;
    *nr = (uint32_t)m;
    return kinds;
}

/* ------------------------------------------------------------------ Wasm\Type\ */

static bool php_wasm_all_value_types(HashTable *items, uint32_t arg) {
    zval *v;
    ZEND_HASH_FOREACH_VAL(items, v) {
        ZVAL_DEREF(v);
        if (Z_TYPE_P(v) != IS_OBJECT || Z_OBJCE_P(v) != php_wasm_ce_ValueType) {
            zend_argument_type_error(arg, "must contain only Wasm\\ValueType cases, %s given", zend_zval_type_name(v));
            return false;
        }
    } ZEND_HASH_FOREACH_END();
    return true;
}

static void php_wasm_set_list(zend_class_entry *ce, zend_object *obj, const char *name, HashTable *items) {
    zval v, *item;
    array_init_size(&v, zend_hash_num_elements(items));
    ZEND_HASH_FOREACH_VAL(items, item) {
        ZVAL_DEREF(item);
        Z_ADDREF_P(item);
        add_next_index_zval(&v, item);
    } ZEND_HASH_FOREACH_END();
    php_wasm_set_prop(ce, obj, name, &v);
}

ZEND_METHOD(Wasm_Type_FunctionType, __construct) {
    HashTable *params, *results;
    ZEND_PARSE_PARAMETERS_START(2, 2)
        Z_PARAM_ARRAY_HT(params)
        Z_PARAM_ARRAY_HT(results)
    ZEND_PARSE_PARAMETERS_END();
    if (!php_wasm_all_value_types(params, 1) || !php_wasm_all_value_types(results, 2)) RETURN_THROWS();
    php_wasm_set_list(php_wasm_ce_FunctionType, Z_OBJ_P(ZEND_THIS), "params", params);
    php_wasm_set_list(php_wasm_ce_FunctionType, Z_OBJ_P(ZEND_THIS), "results", results);
}

ZEND_METHOD(Wasm_Type_MemoryType, __construct) {
    zend_long minimum, maximum = 0;
    bool maximum_null = true;
    ZEND_PARSE_PARAMETERS_START(1, 2)
        Z_PARAM_LONG(minimum)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG_OR_NULL(maximum, maximum_null)
    ZEND_PARSE_PARAMETERS_END();
    php_wasm_set_long_or_null(php_wasm_ce_MemoryType, Z_OBJ_P(ZEND_THIS), "minimum", minimum, false);
    php_wasm_set_long_or_null(php_wasm_ce_MemoryType, Z_OBJ_P(ZEND_THIS), "maximum", maximum, maximum_null);
}

ZEND_METHOD(Wasm_Type_GlobalType, __construct) {
    zend_object *type;
    bool is_mutable = false;
    ZEND_PARSE_PARAMETERS_START(1, 2)
        Z_PARAM_OBJ_OF_CLASS(type, php_wasm_ce_ValueType)
        Z_PARAM_OPTIONAL
        Z_PARAM_BOOL(is_mutable)
    ZEND_PARSE_PARAMETERS_END();
    zval v;
    ZVAL_OBJ_COPY(&v, type);
    php_wasm_set_prop(php_wasm_ce_GlobalType, Z_OBJ_P(ZEND_THIS), "type", &v);
    ZVAL_BOOL(&v, is_mutable);
    php_wasm_set_prop(php_wasm_ce_GlobalType, Z_OBJ_P(ZEND_THIS), "mutable", &v);
}

ZEND_METHOD(Wasm_Type_TableType, __construct) {
    zend_object *type;
    zend_long minimum, maximum = 0;
    bool maximum_null = true;
    ZEND_PARSE_PARAMETERS_START(2, 3)
        Z_PARAM_OBJ_OF_CLASS(type, php_wasm_ce_ValueType)
        Z_PARAM_LONG(minimum)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG_OR_NULL(maximum, maximum_null)
    ZEND_PARSE_PARAMETERS_END();
    zval v;
    ZVAL_OBJ_COPY(&v, type);
    php_wasm_set_prop(php_wasm_ce_TableType, Z_OBJ_P(ZEND_THIS), "type", &v);
    php_wasm_set_long_or_null(php_wasm_ce_TableType, Z_OBJ_P(ZEND_THIS), "minimum", minimum, false);
    php_wasm_set_long_or_null(php_wasm_ce_TableType, Z_OBJ_P(ZEND_THIS), "maximum", maximum, maximum_null);
}

ZEND_METHOD(Wasm_Type_ImportType, __construct) {
    zend_string *module, *name;
    zval *type;
    ZEND_PARSE_PARAMETERS_START(3, 3)
        Z_PARAM_STR(module)
        Z_PARAM_STR(name)
        Z_PARAM_OBJECT(type)
    ZEND_PARSE_PARAMETERS_END();
    zval v;
    ZVAL_STR_COPY(&v, module);
    php_wasm_set_prop(php_wasm_ce_ImportType, Z_OBJ_P(ZEND_THIS), "module", &v);
    ZVAL_STR_COPY(&v, name);
    php_wasm_set_prop(php_wasm_ce_ImportType, Z_OBJ_P(ZEND_THIS), "name", &v);
    ZVAL_COPY(&v, type);
    php_wasm_set_prop(php_wasm_ce_ImportType, Z_OBJ_P(ZEND_THIS), "type", &v);
}

ZEND_METHOD(Wasm_Type_ExportType, __construct) {
    zend_string *name;
    zval *type;
    ZEND_PARSE_PARAMETERS_START(2, 2)
        Z_PARAM_STR(name)
        Z_PARAM_OBJECT(type)
    ZEND_PARSE_PARAMETERS_END();
    zval v;
    ZVAL_STR_COPY(&v, name);
    php_wasm_set_prop(php_wasm_ce_ExportType, Z_OBJ_P(ZEND_THIS), "name", &v);
    ZVAL_COPY(&v, type);
    php_wasm_set_prop(php_wasm_ce_ExportType, Z_OBJ_P(ZEND_THIS), "type", &v);
}


/* The generated members' form of an ExternType result. */
zend_result php_wasm_extern_type_wrap_new(wg_extern_type *h, php_wasm_store *s, zval *out) {
    (void)s;
    return php_wasm_lift_type_owned(h, out);
}

/* An instance's exports by name, Wasm\Exports: by property (`$exports->sum`), by key
   (`$exports['sum']`), count(), iteration; read-only. */
#include "php_wasm_support.h"
#include "ext/spl/spl_array.h"
#include "zend_smart_str.h"

/* ------------------------------------------------------------------ Exports objects */

static zend_object_handlers php_wasm_exports_handlers;

static zend_object *php_wasm_exports_create(zend_class_entry *ce) {
    php_wasm_exports *o = zend_object_alloc(sizeof(php_wasm_exports), ce);
    zend_object_std_init(&o->std, ce);
    object_properties_init(&o->std, ce);
    o->std.handlers = &php_wasm_exports_handlers;
    zend_hash_init(&o->items, 8, NULL, ZVAL_PTR_DTOR, 0);
    return &o->std;
}

static void php_wasm_exports_free(zend_object *zo) {
    php_wasm_exports *o = PHP_WASM_OBJ(php_wasm_exports, zo);
    zend_hash_destroy(&o->items);
    zend_object_std_dtor(zo);
}

/* ------------------------------------------------------------------ Exports */

ZEND_COLD void php_wasm_throw_no_export(php_wasm_exports *ex, zend_string *name) {
    smart_str names = {0};
    zend_string *key;
    ZEND_HASH_FOREACH_STR_KEY(&ex->items, key) {
        if (!key) continue;
        if (names.s) smart_str_appends(&names, ", ");
        smart_str_append(&names, key);
    } ZEND_HASH_FOREACH_END();
    smart_str_0(&names);
    php_wasm_throw(WG_ERR_ARGUMENT_ERROR, "no export named \"%s\" (exports: %s)", ZSTR_VAL(name), names.s ? ZSTR_VAL(names.s) : "none");
    smart_str_free(&names);
}

static zval *php_wasm_exports_find(zend_object *zo, zval *offset) {
    php_wasm_exports *ex = PHP_WASM_OBJ(php_wasm_exports, zo);
    if (Z_TYPE_P(offset) != IS_STRING) {
        php_wasm_throw(WG_ERR_ARGUMENT_ERROR, "export names are strings, %s given", zend_zval_type_name(offset));
        return NULL;
    }
    zval *item = zend_hash_find(&ex->items, Z_STR_P(offset));
    if (!item) php_wasm_throw_no_export(ex, Z_STR_P(offset));
    return item;
}

static zval *php_wasm_exports_read_property(zend_object *zo, zend_string *name, int type, void **cache_slot, zval *rv) {
    php_wasm_exports *ex = PHP_WASM_OBJ(php_wasm_exports, zo);
    zval *item = zend_hash_find(&ex->items, name);
    if (EXPECTED(item)) {
        ZVAL_COPY(rv, item);
        return rv;
    }
    php_wasm_throw_no_export(ex, name);
    return &EG(uninitialized_zval);
}

static zval *php_wasm_exports_write_property(zend_object *zo, zend_string *name, zval *value, void **cache_slot) {
    zend_throw_error(NULL, "Wasm\\Exports is read-only");
    return &EG(error_zval);
}

static int php_wasm_exports_has_property(zend_object *zo, zend_string *name, int has_set_exists, void **cache_slot) {
    return zend_hash_exists(&PHP_WASM_OBJ(php_wasm_exports, zo)->items, name);
}

static void php_wasm_exports_unset_property(zend_object *zo, zend_string *name, void **cache_slot) {
    zend_throw_error(NULL, "Wasm\\Exports is read-only");
}

static zval *php_wasm_exports_get_property_ptr_ptr(zend_object *zo, zend_string *name, int type, void **cache_slot) {
    return NULL;
}

static zval *php_wasm_exports_read_dimension(zend_object *zo, zval *offset, int type, zval *rv) {
    if (!offset) {
        zend_throw_error(NULL, "Wasm\\Exports is read-only");
        return NULL;
    }
    zval *item = php_wasm_exports_find(zo, offset);
    if (!item) return NULL;
    ZVAL_COPY(rv, item);
    return rv;
}

static void php_wasm_exports_write_dimension(zend_object *zo, zval *offset, zval *value) {
    zend_throw_error(NULL, "Wasm\\Exports is read-only");
}

static int php_wasm_exports_has_dimension(zend_object *zo, zval *offset, int check_empty) {
    return Z_TYPE_P(offset) == IS_STRING && zend_hash_exists(&PHP_WASM_OBJ(php_wasm_exports, zo)->items, Z_STR_P(offset));
}

static void php_wasm_exports_unset_dimension(zend_object *zo, zval *offset) {
    zend_throw_error(NULL, "Wasm\\Exports is read-only");
}

static zend_result php_wasm_exports_count_elements(zend_object *zo, zend_long *count) {
    *count = zend_hash_num_elements(&PHP_WASM_OBJ(php_wasm_exports, zo)->items);
    return SUCCESS;
}

static HashTable *php_wasm_exports_debug_info(zend_object *zo, int *is_temp) {
    *is_temp = 1;
    return zend_array_dup(&PHP_WASM_OBJ(php_wasm_exports, zo)->items);
}

static HashTable *php_wasm_exports_get_gc(zend_object *zo, zval **table, int *n) {
    zend_get_gc_buffer *buf = zend_get_gc_buffer_create();
    zval *v;
    ZEND_HASH_FOREACH_VAL(&PHP_WASM_OBJ(php_wasm_exports, zo)->items, v) {
        zend_get_gc_buffer_add_zval(buf, v);
    } ZEND_HASH_FOREACH_END();
    zend_get_gc_buffer_use(buf, table, n);
    return NULL;
}

ZEND_METHOD(Wasm_Exports, __get) {
    zend_string *name;
    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_STR(name)
    ZEND_PARSE_PARAMETERS_END();
    php_wasm_exports *ex = PHP_WASM_THIS(php_wasm_exports);
    zval *item = zend_hash_find(&ex->items, name);
    if (!item) {
        php_wasm_throw_no_export(ex, name);
        RETURN_THROWS();
    }
    RETURN_COPY(item);
}

ZEND_METHOD(Wasm_Exports, __isset) {
    zend_string *name;
    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_STR(name)
    ZEND_PARSE_PARAMETERS_END();
    RETURN_BOOL(zend_hash_exists(&PHP_WASM_THIS(php_wasm_exports)->items, name));
}

ZEND_METHOD(Wasm_Exports, offsetExists) {
    zval *offset;
    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_ZVAL(offset)
    ZEND_PARSE_PARAMETERS_END();
    RETURN_BOOL(php_wasm_exports_has_dimension(Z_OBJ_P(ZEND_THIS), offset, 0));
}

ZEND_METHOD(Wasm_Exports, offsetGet) {
    zval *offset;
    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_ZVAL(offset)
    ZEND_PARSE_PARAMETERS_END();
    zval *item = php_wasm_exports_find(Z_OBJ_P(ZEND_THIS), offset);
    if (!item) RETURN_THROWS();
    RETURN_COPY(item);
}

ZEND_METHOD(Wasm_Exports, offsetSet) {
    zval *offset, *value;
    ZEND_PARSE_PARAMETERS_START(2, 2)
        Z_PARAM_ZVAL(offset)
        Z_PARAM_ZVAL(value)
    ZEND_PARSE_PARAMETERS_END();
    zend_throw_error(NULL, "Wasm\\Exports is read-only");
}

ZEND_METHOD(Wasm_Exports, offsetUnset) {
    zval *offset;
    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_ZVAL(offset)
    ZEND_PARSE_PARAMETERS_END();
    zend_throw_error(NULL, "Wasm\\Exports is read-only");
}

ZEND_METHOD(Wasm_Exports, count) {
    ZEND_PARSE_PARAMETERS_NONE();
    RETURN_LONG(zend_hash_num_elements(&PHP_WASM_THIS(php_wasm_exports)->items));
}

ZEND_METHOD(Wasm_Exports, toArray) {
    ZEND_PARSE_PARAMETERS_NONE();
    RETURN_ARR(zend_array_dup(&PHP_WASM_THIS(php_wasm_exports)->items));
}

ZEND_METHOD(Wasm_Exports, getIterator) {
    ZEND_PARSE_PARAMETERS_NONE();
    zval items;
    ZVAL_ARR(&items, zend_array_dup(&PHP_WASM_THIS(php_wasm_exports)->items));
    object_init_ex(return_value, spl_ce_ArrayIterator);
    zend_call_known_instance_method_with_1_params(spl_ce_ArrayIterator->constructor, Z_OBJ_P(return_value), NULL, &items);
    zval_ptr_dtor(&items);
}

void php_wasm_exports_minit(void) {
    php_wasm_ce_Exports->create_object = php_wasm_exports_create;
    php_wasm_handlers(&php_wasm_exports_handlers, XtOffsetOf(php_wasm_exports, std), php_wasm_exports_free);
    php_wasm_exports_handlers.read_property = php_wasm_exports_read_property;
    php_wasm_exports_handlers.write_property = php_wasm_exports_write_property;
    php_wasm_exports_handlers.has_property = php_wasm_exports_has_property;
    php_wasm_exports_handlers.unset_property = php_wasm_exports_unset_property;
    php_wasm_exports_handlers.get_property_ptr_ptr = php_wasm_exports_get_property_ptr_ptr;
    php_wasm_exports_handlers.read_dimension = php_wasm_exports_read_dimension;
    php_wasm_exports_handlers.write_dimension = php_wasm_exports_write_dimension;
    php_wasm_exports_handlers.has_dimension = php_wasm_exports_has_dimension;
    php_wasm_exports_handlers.unset_dimension = php_wasm_exports_unset_dimension;
    php_wasm_exports_handlers.count_elements = php_wasm_exports_count_elements;
    php_wasm_exports_handlers.get_debug_info = php_wasm_exports_debug_info;
    php_wasm_exports_handlers.get_gc = php_wasm_exports_get_gc;
}

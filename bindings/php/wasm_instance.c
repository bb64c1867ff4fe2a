/* Instances of the `wasm` extension: Wasm\Instance (a module or a file, imports as
   arrays of externs and callables, exported functions as methods) and Wasm\Exports
   (exports by property, by key, count() and iteration). */
#include "php_wasm_support.h"
#include "ext/spl/spl_array.h"
#include "zend_interfaces.h"
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

static ZEND_COLD void php_wasm_throw_no_export(php_wasm_exports *ex, zend_string *name) {
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

/* ------------------------------------------------------------------ Instance */

static zval *php_wasm_instance_exports(zend_object *zo) {
    zval *exports = OBJ_PROP_NUM(zo, 0);
    return Z_TYPE_P(exports) == IS_OBJECT ? exports : NULL;
}

/* `$instance->sum(1, 2)`: an exported function is a method. One hash lookup, then
   the call goes to Function_::__invoke with the function object as $this. */
zend_function *php_wasm_instance_get_method(zend_object **object, zend_string *name, const zval *key) {
    zval *exports = php_wasm_instance_exports(*object);
    if (EXPECTED(exports)) {
        zval *item = zend_hash_find(&PHP_WASM_OBJ(php_wasm_exports, Z_OBJ_P(exports))->items, name);
        if (item && Z_OBJCE_P(item) == php_wasm_ce_Function_) {
            *object = Z_OBJ_P(item);
            return php_wasm_invoke;
        }
    }
    return zend_std_get_method(object, name, key);
}

/* The imports of `m` from `imports` (['module' => ['name' => extern or callable]]).
   Host functions made from callables go to `keep` until the instance exists. */
static zend_result php_wasm_resolve_imports(php_wasm_module *m, HashTable *imports, wg_imports *imp, HashTable *keep) {
    zend_long n = 0;
    if (glue_module_import_count(m->h, &n) == FAILURE) return FAILURE;
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
        if (Z_TYPE_P(item) == IS_OBJECT && php_wasm_is_extern(Z_OBJ_P(item))) {
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
            php_wasm_throw(WG_ERR_ARGUMENT_ERROR, "import %s.%s must be a Wasm\\Function_, Memory, Global_ or Table, or a callable, %s given",
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
            php_wasm_throw(WG_ERR_RUNTIME_ERROR, "cannot open %s", ZSTR_VAL(path));
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
    HashTable keep;
    zend_hash_init(&keep, 4, NULL, ZVAL_PTR_DTOR, 0);
    zend_result rc = glue_imports_new(&imp);
    if (rc == SUCCESS && imports) rc = php_wasm_resolve_imports(m, imports, imp, &keep);
    if (rc == SUCCESS) rc = glue_instance_new(m->s->h, m->h, imp, true, &inst->h); /* a store of its own: see Instance */
    wg_imports_delete(imp);
    zend_hash_destroy(&keep);
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
        else php_wasm_throw_no_export(ex, name);
        RETURN_THROWS();
    }
    uint32_t argc = zend_hash_num_elements(arguments), i = 0;
    zval stack[PHP_WASM_STACK_VALS];
    zval *args = argc <= PHP_WASM_STACK_VALS ? stack : safe_emalloc(argc, sizeof(zval), 0);
    zval *v;
    ZEND_HASH_FOREACH_VAL(arguments, v) {
        ZVAL_COPY_VALUE(&args[i++], v);
    } ZEND_HASH_FOREACH_END();
    php_wasm_call(PHP_WASM_OBJ(php_wasm_extern, Z_OBJ_P(item)), args, argc, return_value);
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

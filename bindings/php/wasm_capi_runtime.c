/* The runtime support of wasmer-php 1.1.0's API (wasm_capi.h): resources and their nodes, the
   Wasm\Vec\* objects, libwasmer's errors and traps as exceptions, and the functions of
   public/php_capi.yaml that are not one C call (`runtime:` there): host functions from PHP
   callables, wasm_func_call(), wasm_val_value(), the compiler and engine choices of a config,
   Wasm\MemoryView. */
#include "wasm_capi.h"
#include "zend_interfaces.h"
#include "ext/spl/spl_exceptions.h"
#include "wasm_capi_runtime_arginfo.h"

zend_class_entry *php_wasm_capi_ce_RuntimeException, *php_wasm_capi_ce_MemoryView;
static const php_wasm_capi_type *t_store, *t_functype, *t_func, *t_val, *t_config, *t_engine, *t_memory;
static zend_class_entry *ce_vec_val;

/* ------------------------------------------------------------------ nodes and resources */

static php_wasm_capi_node *node_new(const php_wasm_capi_type *type, void *ptr, bool owned, php_wasm_capi_node *keep) {
    php_wasm_capi_node *node = ecalloc(1, sizeof(*node));
    node->refs = 1;
    node->type = type;
    node->ptr = ptr;
    node->owned = owned;
    node->keep = keep;
    node->config[0] = node->config[1] = -1;
    if (keep) keep->refs++;
    return node;
}

void php_wasm_capi_release(php_wasm_capi_node *node) {
    while (node && --node->refs == 0) {
        php_wasm_capi_node *keep = node->keep;
        if (node->owned && node->ptr) node->type->del(node->ptr);
        efree(node);
        node = keep;
    }
}

static void resource_dtor(zend_resource *res) {
    php_wasm_capi_release(res->ptr);
}

static void wrap(zval *rv, php_wasm_capi_node *node) {
    ZVAL_RES(rv, zend_register_resource(node, node->type->le));
}

php_wasm_capi_node *php_wasm_capi_fetch(zval *zv, const php_wasm_capi_type *type, uint32_t arg) {
    (void)arg;
    return zend_fetch_resource(Z_RES_P(zv), type->name, type->le);
}

void php_wasm_capi_return(zval *rv, const php_wasm_capi_type *type, void *ptr, bool owned, php_wasm_capi_node *keep) {
    wrap(rv, node_new(type, ptr, owned, keep));
}

void php_wasm_capi_return_value(zval *rv, const php_wasm_capi_type *type, const void *value) {
    void *copy = emalloc(type->value_size);
    type->copy_value(copy, value);
    wrap(rv, node_new(type, copy, true, NULL));
}

void php_wasm_capi_return_node(zval *rv, php_wasm_capi_node *node) {
    node->refs++;
    wrap(rv, node);
}

php_wasm_capi_node *php_wasm_capi_holder(const php_wasm_capi_type *type, void *ptr) {
    return node_new(type, ptr, true, NULL);
}

void *php_wasm_capi_copy(php_wasm_capi_node *node) {
    void *copy = node->type->copy ? node->type->copy(node->ptr) : NULL;
    if (!copy) php_wasm_capi_throw_error(php_wasm_capi_ce_RuntimeException, "the object cannot be copied");
    return copy;
}

/* ------------------------------------------------------------------ copies libwasmer 7 does not export */

void *php_wasm_capi_valtype_copy(const void *valtype) {
    return wasm_valtype_new(wasm_valtype_kind(valtype));
}

void *php_wasm_capi_globaltype_copy(const void *globaltype) {
    return wasm_globaltype_new(php_wasm_capi_valtype_copy(wasm_globaltype_content(globaltype)),
                               wasm_globaltype_mutability(globaltype));
}

void *php_wasm_capi_tabletype_copy(const void *tabletype) {
    return wasm_tabletype_new(php_wasm_capi_valtype_copy(wasm_tabletype_element(tabletype)), wasm_tabletype_limits(tabletype));
}

void *php_wasm_capi_memorytype_copy(const void *memorytype) {
    return wasm_memorytype_new(wasm_memorytype_limits(memorytype));
}

/* ------------------------------------------------------------------ errors */

void php_wasm_capi_clear_error(void) {
    int length = wasmer_last_error_length();
    if (length > 0) {
        char *buffer = emalloc(length);
        wasmer_last_error_message(buffer, length);
        efree(buffer);
    }
}

bool php_wasm_capi_error_pending(void) {
    return wasmer_last_error_length() > 0;
}

void php_wasm_capi_throw_error(zend_class_entry *ce, const char *fallback) {
    if (EG(exception)) return; /* a host function's exception, already on its way */
    int length = wasmer_last_error_length();
    if (length > 0) {
        char *buffer = emalloc(length);
        int written = wasmer_last_error_message(buffer, length);
        zend_throw_exception(ce, written > 0 ? buffer : (fallback ? fallback : "libwasmer failed"), 0);
        efree(buffer);
        return;
    }
    zend_throw_exception(ce, fallback ? fallback : "libwasmer failed", 0);
}

void php_wasm_capi_throw_trap(wasm_trap_t *trap, zend_class_entry *ce) {
    if (!EG(exception)) {
        wasm_message_t message;
        wasm_trap_message(trap, &message);
        size_t length = message.size && message.data[message.size - 1] == '\0' ? message.size - 1 : message.size;
        zend_string *text = zend_string_init(message.data ? message.data : "", length, 0);
        zend_throw_exception(ce, ZSTR_VAL(text), 0);
        zend_string_release(text);
        wasm_byte_vec_delete(&message);
    }
    wasm_trap_delete(trap);
}

bool php_wasm_capi_range(zend_long value, zend_long min, zend_long max, uint32_t arg) {
    if (value >= min && value <= max) return true;
    zend_argument_value_error(arg, "must be between " ZEND_LONG_FMT " and " ZEND_LONG_FMT ", " ZEND_LONG_FMT " given",
                              min, max, value);
    return false;
}

/* ------------------------------------------------------------------ Wasm\Vec\* */

typedef struct {
    const php_wasm_capi_type *of;
    uint32_t size;
    zval *items; /* resources, or null */
    zend_object std;
} vec_object;

static zend_object_handlers vec_handlers;
static struct { zend_class_entry *ce; const php_wasm_capi_type *of; } vec_classes[32];
static size_t vec_class_count;

static vec_object *vec_of(zend_object *obj) { return (vec_object *)((char *)obj - XtOffsetOf(vec_object, std)); }

static zend_object *vec_create(zend_class_entry *ce) {
    vec_object *v = zend_object_alloc(sizeof(vec_object), ce);
    for (size_t i = 0; i < vec_class_count; i++) {
        if (vec_classes[i].ce == ce) v->of = vec_classes[i].of;
    }
    zend_object_std_init(&v->std, ce);
    object_properties_init(&v->std, ce);
    v->std.handlers = &vec_handlers;
    return &v->std;
}

static void vec_resize(vec_object *v, uint32_t size) {
    v->items = safe_emalloc(size, sizeof(zval), 0);
    v->size = size;
    for (uint32_t i = 0; i < size; i++) ZVAL_NULL(&v->items[i]);
}

static void vec_free(zend_object *obj) {
    vec_object *v = vec_of(obj);
    for (uint32_t i = 0; i < v->size; i++) zval_ptr_dtor(&v->items[i]);
    if (v->items) efree(v->items);
    zend_object_std_dtor(obj);
}

zend_class_entry *php_wasm_capi_vec_register(zend_class_entry *ce, const php_wasm_capi_type *of) {
    ZEND_ASSERT(vec_class_count < sizeof(vec_classes) / sizeof(vec_classes[0]));
    vec_classes[vec_class_count].ce = ce;
    vec_classes[vec_class_count++].of = of;
    ce->create_object = vec_create;
    if (of == t_val) ce_vec_val = ce;
    return ce;
}

static bool vec_element(vec_object *v, zval *value, uint32_t arg) {
    if (Z_TYPE_P(value) == IS_RESOURCE || Z_TYPE_P(value) == IS_NULL) return true;
    zend_argument_type_error(arg, "must contain %s resources or null, %s given", v->of->name, zend_zval_type_name(value));
    return false;
}

void php_wasm_capi_vec_construct(INTERNAL_FUNCTION_PARAMETERS) {
    zval *arg = NULL;
    ZEND_PARSE_PARAMETERS_START(0, 1)
        Z_PARAM_OPTIONAL
        Z_PARAM_ZVAL(arg)
    ZEND_PARSE_PARAMETERS_END();
    vec_object *v = vec_of(Z_OBJ_P(ZEND_THIS));
    if (v->items) {
        zend_throw_error(NULL, "%s is already constructed", ZSTR_VAL(Z_OBJCE_P(ZEND_THIS)->name));
        RETURN_THROWS();
    }
    if (!arg || Z_TYPE_P(arg) == IS_NULL) {
        vec_resize(v, 0);
    } else if (Z_TYPE_P(arg) == IS_LONG) {
        if (!php_wasm_capi_range(Z_LVAL_P(arg), 0, UINT32_MAX / sizeof(zval), 1)) RETURN_THROWS();
        vec_resize(v, (uint32_t)Z_LVAL_P(arg));
    } else if (Z_TYPE_P(arg) == IS_ARRAY) {
        zval *item;
        ZEND_HASH_FOREACH_VAL(Z_ARRVAL_P(arg), item) {
            if (!vec_element(v, item, 1)) RETURN_THROWS();
        } ZEND_HASH_FOREACH_END();
        vec_resize(v, zend_hash_num_elements(Z_ARRVAL_P(arg)));
        uint32_t i = 0;
        ZEND_HASH_FOREACH_VAL(Z_ARRVAL_P(arg), item) {
            ZVAL_COPY(&v->items[i++], item);
        } ZEND_HASH_FOREACH_END();
    } else {
        zend_argument_type_error(1, "must be of type array|int|null, %s given", zend_zval_type_name(arg));
        RETURN_THROWS();
    }
}

static vec_object *vec_this(zval *this_ptr) {
    vec_object *v = vec_of(Z_OBJ_P(this_ptr));
    if (!v->items && v->size == 0) vec_resize(v, 0); /* a subclass that did not call the constructor */
    return v;
}

/* The offset as an index, or -1 when it is out of bounds (an OutOfBoundsException for get and set). */
static zend_long vec_index(vec_object *v, zval *offset, const char *method) {
    zend_long index = -1;
    if (Z_TYPE_P(offset) == IS_LONG) index = Z_LVAL_P(offset);
    else if (Z_TYPE_P(offset) == IS_STRING && is_numeric_string(Z_STRVAL_P(offset), Z_STRLEN_P(offset), &index, NULL, 0) != IS_LONG) index = -1;
    if (index < 0 || index >= (zend_long)v->size) {
        if (method) {
            zend_throw_exception_ex(php_wasm_capi_ce_OutOfBoundsException, 0, "%s::%s($offset) index out of bounds",
                                    ZSTR_VAL(v->std.ce->name), method);
        }
        return -1;
    }
    return index;
}

void php_wasm_capi_vec_count(INTERNAL_FUNCTION_PARAMETERS) {
    ZEND_PARSE_PARAMETERS_NONE();
    RETURN_LONG(vec_this(ZEND_THIS)->size);
}

void php_wasm_capi_vec_offset_exists(INTERNAL_FUNCTION_PARAMETERS) {
    zval *offset;
    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_ZVAL(offset)
    ZEND_PARSE_PARAMETERS_END();
    vec_object *v = vec_this(ZEND_THIS);
    zend_long index = vec_index(v, offset, NULL);
    RETURN_BOOL(index >= 0 && Z_TYPE(v->items[index]) != IS_NULL);
}

void php_wasm_capi_vec_offset_get(INTERNAL_FUNCTION_PARAMETERS) {
    zval *offset;
    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_ZVAL(offset)
    ZEND_PARSE_PARAMETERS_END();
    vec_object *v = vec_this(ZEND_THIS);
    zend_long index = vec_index(v, offset, "offsetGet");
    if (index < 0) RETURN_THROWS();
    RETURN_COPY(&v->items[index]);
}

void php_wasm_capi_vec_offset_set(INTERNAL_FUNCTION_PARAMETERS) {
    zval *offset, *value;
    ZEND_PARSE_PARAMETERS_START(2, 2)
        Z_PARAM_ZVAL(offset)
        Z_PARAM_ZVAL(value)
    ZEND_PARSE_PARAMETERS_END();
    vec_object *v = vec_this(ZEND_THIS);
    if (Z_TYPE_P(offset) == IS_NULL) {
        zend_throw_exception_ex(php_wasm_capi_ce_OutOfBoundsException, 0, "%s::offsetSet($offset) index out of bounds",
                                ZSTR_VAL(v->std.ce->name));
        RETURN_THROWS();
    }
    zend_long index = vec_index(v, offset, "offsetSet");
    if (index < 0) RETURN_THROWS();
    if (!vec_element(v, value, 2)) RETURN_THROWS();
    zval old;
    ZVAL_COPY_VALUE(&old, &v->items[index]);
    ZVAL_COPY(&v->items[index], value);
    zval_ptr_dtor(&old);
}

void php_wasm_capi_vec_offset_unset(INTERNAL_FUNCTION_PARAMETERS) {
    zval *offset;
    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_ZVAL(offset)
    ZEND_PARSE_PARAMETERS_END();
    vec_object *v = vec_this(ZEND_THIS);
    zend_long index = vec_index(v, offset, NULL);
    if (index < 0) return;
    zval old;
    ZVAL_COPY_VALUE(&old, &v->items[index]);
    ZVAL_NULL(&v->items[index]);
    zval_ptr_dtor(&old);
}

zend_result php_wasm_capi_vec_borrow(zval *obj, php_wasm_capi_vec *out, uint32_t arg) {
    vec_object *v = vec_this(obj);
    const php_wasm_capi_type *of = v->of;
    size_t width = of->value_size ? of->value_size : sizeof(void *);
    out->size = v->size;
    out->of = of;
    out->data = v->size ? safe_emalloc(v->size, width, 0) : NULL;
    out->pins = v->size ? ecalloc(v->size, sizeof(php_wasm_capi_node *)) : NULL;
    for (uint32_t i = 0; i < v->size; i++) {
        php_wasm_capi_node *node = Z_TYPE(v->items[i]) == IS_RESOURCE
            ? zend_fetch_resource_ex(&v->items[i], of->name, of->le) : NULL;
        if (!node) {
            if (!EG(exception)) {
                zend_argument_type_error(arg, "element %u must be a %s resource, null given", i, of->name);
            } else {
                zend_clear_exception();
                zend_argument_type_error(arg, "element %u is not a valid %s resource", i, of->name);
            }
            php_wasm_capi_vec_done(out);
            return FAILURE;
        }
        if (of->value_size) memcpy((char *)out->data + i * width, node->ptr, width);
        else ((void **)out->data)[i] = node->ptr;
        php_wasm_capi_pin(node);
        out->pins[i] = node;
    }
    return SUCCESS;
}

void php_wasm_capi_vec_copy_elements(php_wasm_capi_vec *v) {
    for (size_t i = 0; i < v->size; i++) {
        if (v->of->value_size) {
            char *slot = (char *)v->data + i * v->of->value_size, copy[64];
            ZEND_ASSERT(v->of->value_size <= sizeof(copy));
            v->of->copy_value(copy, slot);
            memcpy(slot, copy, v->of->value_size);
        } else {
            ((void **)v->data)[i] = v->of->copy(((void **)v->data)[i]);
        }
    }
}

void php_wasm_capi_vec_done(php_wasm_capi_vec *v) {
    if (v->pins) {
        for (size_t i = 0; i < v->size; i++) php_wasm_capi_release(v->pins[i]);
        efree(v->pins);
    }
    if (v->data) efree(v->data);
    v->data = NULL;
    v->pins = NULL;
    v->size = 0;
}

void php_wasm_capi_vec_return(zval *rv, zend_class_entry *ce, const php_wasm_capi_vec *c, php_wasm_capi_node *keep) {
    object_init_ex(rv, ce);
    vec_object *v = vec_of(Z_OBJ_P(rv));
    vec_resize(v, (uint32_t)c->size);
    for (size_t i = 0; i < c->size; i++) {
        if (c->of->value_size) {
            php_wasm_capi_return_value(&v->items[i], c->of, (char *)c->data + i * c->of->value_size);
        } else if (((void **)c->data)[i]) {
            php_wasm_capi_return(&v->items[i], c->of, ((void **)c->data)[i], false, keep);
        }
    }
}

/* ------------------------------------------------------------------ values */

ZEND_FUNCTION(wasm_val_value) {
    zval *z;
    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_RESOURCE(z)
    ZEND_PARSE_PARAMETERS_END();
    php_wasm_capi_node *node = php_wasm_capi_fetch(z, t_val, 1);
    if (!node) RETURN_THROWS();
    const wasm_val_t *val = node->ptr;
    switch (val->kind) {
        case WASM_I32: RETURN_LONG(val->of.i32);
        case WASM_I64: RETURN_LONG(val->of.i64);
        case WASM_F32: RETURN_DOUBLE(val->of.f32);
        case WASM_F64: RETURN_DOUBLE(val->of.f64);
        default:
            zend_throw_exception_ex(php_wasm_capi_ce_RuntimeException, 0, "a reference value (kind %d) has no PHP value",
                                    val->kind);
            RETURN_THROWS();
    }
}

/* ------------------------------------------------------------------ config and engine */

static const char *const COMPILERS[] = {"cranelift", "llvm", "singlepass"};
static const char *const ENGINES[] = {"jit", "native", "object-file"};

ZEND_FUNCTION(wasm_config_set_compiler) {
    zval *z;
    zend_long compiler;
    ZEND_PARSE_PARAMETERS_START(2, 2)
        Z_PARAM_RESOURCE(z)
        Z_PARAM_LONG(compiler)
    ZEND_PARSE_PARAMETERS_END();
    php_wasm_capi_node *node = php_wasm_capi_fetch(z, t_config, 1);
    if (!node) RETURN_THROWS();
    if (!php_wasm_capi_range(compiler, CRANELIFT, SINGLEPASS, 2)) RETURN_THROWS();
    node->config[0] = compiler;
    if (wasmer_is_backend_available((enum wasmer_backend_t)compiler)) {
        wasm_config_set_backend(node->ptr, (enum wasmer_backend_t)compiler);
    }
    RETURN_TRUE;
}

ZEND_FUNCTION(wasm_config_set_engine) {
    zval *z;
    zend_long engine;
    ZEND_PARSE_PARAMETERS_START(2, 2)
        Z_PARAM_RESOURCE(z)
        Z_PARAM_LONG(engine)
    ZEND_PARSE_PARAMETERS_END();
    php_wasm_capi_node *node = php_wasm_capi_fetch(z, t_config, 1);
    if (!node) RETURN_THROWS();
    if (!php_wasm_capi_range(engine, 0, 2, 2)) RETURN_THROWS();
    node->config[1] = engine;
    RETURN_TRUE;
}

ZEND_FUNCTION(wasm_engine_new_with_config) {
    zval *z;
    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_RESOURCE(z)
    ZEND_PARSE_PARAMETERS_END();
    php_wasm_capi_node *node = php_wasm_capi_fetch(z, t_config, 1);
    if (!node) RETURN_THROWS();
    if (node->config[0] >= 0 && !wasmer_is_backend_available((enum wasmer_backend_t)node->config[0])) {
        zend_throw_exception_ex(php_wasm_capi_ce_RuntimeException, 0, "Wasmer has not been compiled with the `%s` feature.",
                                COMPILERS[node->config[0]]);
        RETURN_THROWS();
    }
    if (node->config[1] > 0) {
        zend_throw_exception_ex(php_wasm_capi_ce_RuntimeException, 0,
                                "the %s engine is not available: libwasmer 7 has one engine (universal, the jit engine)",
                                ENGINES[node->config[1]]);
        RETURN_THROWS();
    }
    /* wasm_engine_new_with_config() takes the config: the resource is closed with it */
    wasm_config_t *config = node->ptr;
    node->ptr = NULL;
    zend_list_close(Z_RES_P(z));
    php_wasm_capi_clear_error();
    wasm_engine_t *engine = wasm_engine_new_with_config(config);
    if (!engine) {
        php_wasm_capi_throw_error(php_wasm_capi_ce_RuntimeException, "wasm_engine_new_with_config() failed");
        RETURN_THROWS();
    }
    php_wasm_capi_return(return_value, t_engine, engine, true, NULL);
}

/* ------------------------------------------------------------------ modules (shared with wasm_legacy.c) */

static const php_wasm_capi_type *t_module;

bool php_wasm_capi_module_serialize(zval *res, zval *return_value) {
    if (Z_RES_P(res)->type != t_module->le) return false;
    php_wasm_capi_node *module = php_wasm_capi_fetch(res, t_module, 1);
    wasm_byte_vec_t out = {0};
    php_wasm_capi_clear_error();
    wasm_module_serialize(module->ptr, &out);
    if (!out.data) {
        php_wasm_capi_throw_error(php_wasm_capi_ce_RuntimeException, "wasm_module_serialize() failed");
        return true;
    }
    RETVAL_STRINGL(out.data, out.size);
    wasm_byte_vec_delete(&out);
    return true;
}

void php_wasm_capi_module_deserialize(zval *store, zend_string *serialized, zval *return_value) {
    php_wasm_capi_node *node = php_wasm_capi_fetch(store, t_store, 1);
    if (!node) return;
    wasm_byte_vec_t bytes = {ZSTR_LEN(serialized), ZSTR_VAL(serialized)};
    php_wasm_capi_clear_error();
    wasm_module_t *module = wasm_module_deserialize(node->ptr, &bytes);
    if (!module) {
        php_wasm_capi_throw_error(php_wasm_capi_ce_RuntimeException, "wasm_module_deserialize() failed");
        return;
    }
    php_wasm_capi_return(return_value, t_module, module, true, node);
}

/* ------------------------------------------------------------------ host functions */

typedef struct {
    zend_fcall_info_cache fcc;
    zval callable;
    wasm_store_t *store;    /* the function's store: it outlives every call of the function */
    wasm_valkind_t *results; /* the kinds of the results */
    size_t result_count;
} host_env;

static void host_env_free(void *p) {
    host_env *env = p;
    zval_ptr_dtor(&env->callable);
    if (env->results) efree(env->results);
    efree(env);
}

static wasm_trap_t *host_trap(host_env *env, const char *message) {
    wasm_message_t text;
    wasm_name_new_from_string_nt(&text, message);
    wasm_trap_t *trap = wasm_trap_new(env->store, &text);
    wasm_byte_vec_delete(&text);
    return trap;
}

static wasm_trap_t *host_call(void *p, const wasm_val_vec_t *args, wasm_val_vec_t *results) {
    host_env *env = p;
    zval *params = args->size ? safe_emalloc(args->size, sizeof(zval), 0) : NULL, rv;
    for (size_t i = 0; i < args->size; i++) php_wasm_capi_return_value(&params[i], t_val, &args->data[i]);
    ZVAL_UNDEF(&rv);
    zend_call_known_function(env->fcc.function_handler, env->fcc.object, env->fcc.called_scope, &rv, (uint32_t)args->size,
                             params, NULL);
    for (size_t i = 0; i < args->size; i++) zval_ptr_dtor(&params[i]);
    if (params) efree(params);
    if (EG(exception)) {
        zval_ptr_dtor(&rv);
        return host_trap(env, "the host function threw an exception");
    }
    php_wasm_capi_vec out = {0, NULL, t_val, NULL};
    zval vec;
    ZVAL_UNDEF(&vec);
    if (Z_TYPE(rv) == IS_OBJECT && instanceof_function(Z_OBJCE(rv), ce_vec_val)) {
        ZVAL_COPY(&vec, &rv);
    } else if (Z_TYPE(rv) == IS_ARRAY) {
        object_init_ex(&vec, ce_vec_val);
        zend_call_known_instance_method_with_1_params(ce_vec_val->constructor, Z_OBJ(vec), NULL, &rv);
    } else if (Z_TYPE(rv) != IS_NULL) {
        zend_type_error("a host function returns a Wasm\\Vec\\Val, an array of wasm_val_t or null, %s given",
                        zend_zval_type_name(&rv));
    }
    zval_ptr_dtor(&rv);
    if (!EG(exception) && Z_TYPE(vec) == IS_OBJECT) php_wasm_capi_vec_borrow(&vec, &out, 1);
    if (!EG(exception) && out.size != env->result_count) {
        zend_throw_exception_ex(php_wasm_capi_ce_RuntimeException, 0, "the host function returned %zu results, its type has %zu",
                                out.size, env->result_count);
    }
    for (size_t i = 0; !EG(exception) && i < out.size; i++) {
        const wasm_val_t *val = &((wasm_val_t *)out.data)[i];
        if (val->kind != env->results[i]) {
            zend_throw_exception_ex(php_wasm_capi_ce_RuntimeException, 0, "result %zu of the host function is of kind %d, "
                                    "its type says %d", i, val->kind, env->results[i]);
        } else {
            results->data[i] = *val;
        }
    }
    php_wasm_capi_vec_done(&out);
    zval_ptr_dtor(&vec);
    return EG(exception) ? host_trap(env, "the host function threw an exception") : NULL;
}

ZEND_FUNCTION(wasm_func_new) {
    zval *zstore, *ztype;
    zend_fcall_info fci;
    zend_fcall_info_cache fcc;
    ZEND_PARSE_PARAMETERS_START(3, 3)
        Z_PARAM_RESOURCE(zstore)
        Z_PARAM_RESOURCE(ztype)
        Z_PARAM_FUNC(fci, fcc)
    ZEND_PARSE_PARAMETERS_END();
    php_wasm_capi_node *store = php_wasm_capi_fetch(zstore, t_store, 1);
    if (!store) RETURN_THROWS();
    php_wasm_capi_node *type = php_wasm_capi_fetch(ztype, t_functype, 2);
    if (!type) RETURN_THROWS();
    host_env *env = ecalloc(1, sizeof(*env));
    ZVAL_COPY(&env->callable, &fci.function_name);
    env->fcc = fcc;
    env->store = store->ptr;
    const wasm_valtype_vec_t *results = wasm_functype_results(type->ptr);
    env->result_count = results->size;
    env->results = results->size ? safe_emalloc(results->size, sizeof(wasm_valkind_t), 0) : NULL;
    for (size_t i = 0; i < results->size; i++) env->results[i] = wasm_valtype_kind(results->data[i]);
    php_wasm_capi_clear_error();
    wasm_func_t *func = wasm_func_new_with_env(store->ptr, type->ptr, host_call, env, host_env_free);
    if (!func) {
        host_env_free(env);
        php_wasm_capi_throw_error(php_wasm_capi_ce_RuntimeException, "wasm_func_new() failed");
        RETURN_THROWS();
    }
    php_wasm_capi_return(return_value, t_func, func, true, store);
}

ZEND_FUNCTION(wasm_func_call) {
    zval *zfunc, *zargs;
    ZEND_PARSE_PARAMETERS_START(2, 2)
        Z_PARAM_RESOURCE(zfunc)
        Z_PARAM_OBJECT_OF_CLASS(zargs, ce_vec_val)
    ZEND_PARSE_PARAMETERS_END();
    php_wasm_capi_node *func = php_wasm_capi_fetch(zfunc, t_func, 1);
    if (!func) RETURN_THROWS();
    php_wasm_capi_vec args;
    if (php_wasm_capi_vec_borrow(zargs, &args, 2) == FAILURE) RETURN_THROWS();
    wasm_functype_t *type = wasm_func_type(func->ptr);
    const wasm_valtype_vec_t *params = wasm_functype_params(type);
    size_t result_count = wasm_functype_results(type)->size;
    bool ok = params->size == args.size;
    if (!ok) {
        zend_argument_value_error(2, "must hold %zu arguments, %zu given", params->size, args.size);
    }
    for (size_t i = 0; ok && i < args.size; i++) {
        wasm_valkind_t kind = ((wasm_val_t *)args.data)[i].kind;
        if (kind != wasm_valtype_kind(params->data[i])) {
            zend_argument_value_error(2, "element %zu must be a value of kind %d, kind %d given", i,
                                      wasm_valtype_kind(params->data[i]), kind);
            ok = false;
        }
    }
    wasm_functype_delete(type);
    if (!ok) {
        php_wasm_capi_vec_done(&args);
        RETURN_THROWS();
    }
    wasm_val_vec_t in = {args.size, args.data}, out;
    wasm_val_vec_new_uninitialized(&out, result_count);
    php_wasm_capi_clear_error();
    PHP_WASM_CAPI_PIN(func); /* a host function may delete the function it runs in */
    wasm_trap_t *trap = wasm_func_call(func->ptr, &in, &out);
    php_wasm_capi_vec_done(&args);
    if (trap) {
        wasm_val_vec_delete(&out);
        php_wasm_capi_throw_trap(trap, php_wasm_capi_ce_RuntimeException);
        RETURN_THROWS();
    }
    php_wasm_capi_vec results = {out.size, out.data, t_val, NULL};
    php_wasm_capi_vec_return(return_value, ce_vec_val, &results, NULL);
    wasm_val_vec_delete(&out);
}

/* ------------------------------------------------------------------ Wasm\MemoryView */

typedef struct {
    php_wasm_capi_node *memory;
    zend_object std;
} view_object;

static zend_object_handlers view_handlers;

static view_object *view_of(zend_object *obj) { return (view_object *)((char *)obj - XtOffsetOf(view_object, std)); }

static zend_object *view_create(zend_class_entry *ce) {
    view_object *v = zend_object_alloc(sizeof(view_object), ce);
    zend_object_std_init(&v->std, ce);
    object_properties_init(&v->std, ce);
    v->std.handlers = &view_handlers;
    return &v->std;
}

static void view_free(zend_object *obj) {
    view_object *v = view_of(obj);
    php_wasm_capi_release(v->memory);
    zend_object_std_dtor(obj);
}

ZEND_FUNCTION(wasm_memory_data) {
    zval *z;
    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_RESOURCE(z)
    ZEND_PARSE_PARAMETERS_END();
    php_wasm_capi_node *memory = php_wasm_capi_fetch(z, t_memory, 1);
    if (!memory) RETURN_THROWS();
    object_init_ex(return_value, php_wasm_capi_ce_MemoryView);
    memory->refs++;
    view_of(Z_OBJ_P(return_value))->memory = memory;
}

/* The view's memory and a range of it, or NULL with an OutOfBoundsException. */
static byte_t *view_range(zval *this_ptr, zend_long offset, zend_long length, const char *method) {
    view_object *v = view_of(Z_OBJ_P(this_ptr));
    if (!v->memory) {
        zend_throw_error(NULL, "Wasm\\MemoryView is made by wasm_memory_data()");
        return NULL;
    }
    size_t size = wasm_memory_data_size(v->memory->ptr);
    if (offset < 0 || length < 0 || (size_t)offset > size || (size_t)length > size - (size_t)offset) {
        zend_throw_exception_ex(php_wasm_capi_ce_OutOfBoundsException, 0, "Wasm\\MemoryView::%s(): bytes " ZEND_LONG_FMT
                                ".." ZEND_LONG_FMT " are out of the memory's %zu bytes", method, offset, offset + length, size);
        return NULL;
    }
    return (byte_t *)wasm_memory_data(v->memory->ptr) + offset;
}

ZEND_METHOD(Wasm_MemoryView, length) {
    ZEND_PARSE_PARAMETERS_NONE();
    if (!view_range(ZEND_THIS, 0, 0, "length")) RETURN_THROWS();
    RETURN_LONG((zend_long)wasm_memory_data_size(view_of(Z_OBJ_P(ZEND_THIS))->memory->ptr));
}

ZEND_METHOD(Wasm_MemoryView, read) {
    zend_long offset, length;
    ZEND_PARSE_PARAMETERS_START(2, 2)
        Z_PARAM_LONG(offset)
        Z_PARAM_LONG(length)
    ZEND_PARSE_PARAMETERS_END();
    byte_t *bytes = view_range(ZEND_THIS, offset, length, "read");
    if (!bytes) RETURN_THROWS();
    RETURN_STRINGL(bytes, length);
}

ZEND_METHOD(Wasm_MemoryView, write) {
    zend_long offset;
    zend_string *data;
    ZEND_PARSE_PARAMETERS_START(2, 2)
        Z_PARAM_LONG(offset)
        Z_PARAM_STR(data)
    ZEND_PARSE_PARAMETERS_END();
    byte_t *bytes = view_range(ZEND_THIS, offset, (zend_long)ZSTR_LEN(data), "write");
    if (!bytes) RETURN_THROWS();
    memcpy(bytes, ZSTR_VAL(data), ZSTR_LEN(data));
}

/* ------------------------------------------------------------------ MINIT */

static const php_wasm_capi_type *type_named(const char *name) {
    for (size_t i = 0; i < php_wasm_capi_type_count; i++) {
        if (strcmp(php_wasm_capi_types[i].name, name) == 0) return &php_wasm_capi_types[i];
    }
    ZEND_UNREACHABLE();
    return NULL;
}

void php_wasm_capi_runtime_minit(int module_number) {
    for (size_t i = 0; i < php_wasm_capi_type_count; i++) {
        php_wasm_capi_types[i].le = zend_register_list_destructors_ex(resource_dtor, NULL, php_wasm_capi_types[i].name,
                                                                      module_number);
    }
    t_store = type_named("wasm_store_t");
    t_functype = type_named("wasm_functype_t");
    t_func = type_named("wasm_func_t");
    t_val = type_named("wasm_val_t");
    t_config = type_named("wasm_config_t");
    t_engine = type_named("wasm_engine_t");
    t_memory = type_named("wasm_memory_t");
    t_module = type_named("wasm_module_t");
    php_wasm_capi_ce_RuntimeException = zend_hash_str_find_ptr(CG(class_table), ZEND_STRL("wasm\\exception\\runtimeexception"));
    ZEND_ASSERT(php_wasm_capi_ce_RuntimeException);

    memcpy(&vec_handlers, zend_get_std_object_handlers(), sizeof(zend_object_handlers));
    vec_handlers.offset = XtOffsetOf(vec_object, std);
    vec_handlers.free_obj = vec_free;
    vec_handlers.clone_obj = NULL;
    memcpy(&view_handlers, zend_get_std_object_handlers(), sizeof(zend_object_handlers));
    view_handlers.offset = XtOffsetOf(view_object, std);
    view_handlers.free_obj = view_free;
    view_handlers.clone_obj = NULL;
    php_wasm_capi_ce_MemoryView = register_class_Wasm_MemoryView();
    php_wasm_capi_ce_MemoryView->create_object = view_create;

    php_wasm_capi_minit(module_number);
}

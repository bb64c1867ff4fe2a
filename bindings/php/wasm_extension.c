/* The `wasm` extension's module functions (globals, request start and end,
   phpinfo) and the registration of its runtime support: the classes of
   wasm_runtime.stub.php and the object handlers. (The hand-written members of
   wasm_members.stub.php are added to the public classes by the generated MINIT,
   from each class's `support` in public/php.yaml.) */
#include "php_wasm_support.h"
#include "ext/standard/info.h"
#include "ext/spl/spl_exceptions.h"
#include "zend_interfaces.h"
#include "wasm_runtime_arginfo.h"
#include "wasm_capi.h"

ZEND_DECLARE_MODULE_GLOBALS(wasm)

zend_class_entry *php_wasm_ce_Exports, *php_wasm_ce_FunctionType, *php_wasm_ce_MemoryType, *php_wasm_ce_GlobalType,
    *php_wasm_ce_TableType, *php_wasm_ce_ImportType, *php_wasm_ce_ExportType;
zend_function *php_wasm_invoke;

zend_result php_wasm_support_minit(void) {
    wg_set_host_callbacks(php_wasm_host_call, php_wasm_host_release);
    wg_set_externref_release(php_wasm_externref_release);

    php_wasm_ce_Exports = register_class_Wasm_Exports(zend_ce_arrayaccess, zend_ce_countable, zend_ce_aggregate);
    zend_class_entry *extern_type = register_class_Wasm_Type_ExternType();
    php_wasm_ce_FunctionType = register_class_Wasm_Type_FunctionType(extern_type);
    php_wasm_ce_MemoryType = register_class_Wasm_Type_MemoryType(extern_type);
    php_wasm_ce_GlobalType = register_class_Wasm_Type_GlobalType(extern_type);
    php_wasm_ce_TableType = register_class_Wasm_Type_TableType(extern_type);
    php_wasm_ce_ImportType = register_class_Wasm_Type_ImportType();
    php_wasm_ce_ExportType = register_class_Wasm_Type_ExportType();
    php_wasm_ce_views[0] = register_class_Wasm_Memory_Int8Array(zend_ce_arrayaccess, zend_ce_countable);
    php_wasm_ce_views[1] = register_class_Wasm_Memory_Uint8Array(zend_ce_arrayaccess, zend_ce_countable);
    php_wasm_ce_views[2] = register_class_Wasm_Memory_Int16Array(zend_ce_arrayaccess, zend_ce_countable);
    php_wasm_ce_views[3] = register_class_Wasm_Memory_Uint16Array(zend_ce_arrayaccess, zend_ce_countable);
    php_wasm_ce_views[4] = register_class_Wasm_Memory_Int32Array(zend_ce_arrayaccess, zend_ce_countable);
    php_wasm_ce_views[5] = register_class_Wasm_Memory_Uint32Array(zend_ce_arrayaccess, zend_ce_countable);
    php_wasm_ce_views[6] = register_class_Wasm_Memory_Int64Array(zend_ce_arrayaccess, zend_ce_countable);
    php_wasm_ce_views[7] = register_class_Wasm_Memory_Float32Array(zend_ce_arrayaccess, zend_ce_countable);
    php_wasm_ce_views[8] = register_class_Wasm_Memory_Float64Array(zend_ce_arrayaccess, zend_ce_countable);

    php_wasm_invoke = zend_hash_str_find_ptr(&php_wasm_ce_Function_->function_table, "__invoke", sizeof("__invoke") - 1);
    php_wasm_instance_minit();

    /* Instance::$exports (read-only, set by the constructor): the first property */
    zval undef;
    ZVAL_UNDEF(&undef);
    zend_string *exports_name = zend_string_init_interned("exports", sizeof("exports") - 1, 1);
    zend_string *exports_class = zend_string_init_interned("Wasm\\Exports", sizeof("Wasm\\Exports") - 1, 1);
    zend_declare_typed_property(php_wasm_ce_Instance, exports_name, &undef, ZEND_ACC_PUBLIC | ZEND_ACC_READONLY, NULL,
                                (zend_type)ZEND_TYPE_INIT_CLASS(exports_class, 0, 0));
    zend_string_release(exports_name);

    php_wasm_objects_minit();
    if (php_wasm_wasi_minit() == FAILURE) return FAILURE;
    php_wasm_exports_minit();
    php_wasm_views_minit();
    php_wasm_legacy_minit(EG(current_module)->module_number);
    php_wasm_capi_runtime_minit(EG(current_module)->module_number); /* wasmer-php 1.1.0's API (wasm_capi.h) */
    return SUCCESS;
}

PHP_GINIT_FUNCTION(wasm) {
#if defined(COMPILE_DL_WASM) && defined(ZTS)
    ZEND_TSRMLS_CACHE_UPDATE();
#endif
    ZVAL_UNDEF(&wasm_globals->default_store);
    ZVAL_UNDEF(&wasm_globals->host_keep);
    wasm_globals->after_call = 0;
    wasm_globals->last_error = NULL;
    wasm_globals->kept_stores = NULL;
}

PHP_MSHUTDOWN_FUNCTION(wasm) {
    php_wasm_legacy_mshutdown();
    return SUCCESS;
}

PHP_RINIT_FUNCTION(wasm) {
#if defined(ZTS) && defined(COMPILE_DL_WASM)
    ZEND_TSRMLS_CACHE_UPDATE();
#endif
    ZVAL_UNDEF(&PHP_WASM_G(default_store));
    ZVAL_UNDEF(&PHP_WASM_G(host_keep));
    PHP_WASM_G(after_call) = 0;
    PHP_WASM_G(last_error) = NULL;
    PHP_WASM_G(kept_stores) = NULL;
    return SUCCESS;
}

PHP_RSHUTDOWN_FUNCTION(wasm) {
    if (PHP_WASM_G(after_call) & PHP_WASM_AFTER_KEEP) php_wasm_release_host_keep();
    zval_ptr_dtor(&PHP_WASM_G(default_store));
    ZVAL_UNDEF(&PHP_WASM_G(default_store));
    php_wasm_legacy_rshutdown();
    wg_drain();
    if (PHP_WASM_G(last_error)) zend_string_release(PHP_WASM_G(last_error));
    PHP_WASM_G(last_error) = NULL;
    return SUCCESS;
}

PHP_MINFO_FUNCTION(wasm) {
    zend_string *version = NULL;
    php_info_print_table_start();
    php_info_print_table_header(2, "wasm support (WebAssembly through libwasmer)", "enabled");
    php_info_print_table_row(2, "extension version", PHP_WASM_VERSION);
    if (glue_version(&version) == SUCCESS) {
        php_info_print_table_row(2, "libwasmer version", ZSTR_VAL(version));
        zend_string_release(version);
    } else {
        zend_clear_exception();
    }
    php_info_print_table_row(2, "api.yaml", PHP_WASM_SPEC_HASH);
    php_info_print_table_end();
}

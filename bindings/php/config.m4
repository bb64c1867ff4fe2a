dnl The `wasm` PHP extension (Wasm\ namespace): phpize && ./configure --with-wasm=WASMER_DIR && make
dnl wasm.c (generated) holds the public members rendered from api.yaml; the wasm_*.c files are the
dnl runtime support (plain C, php_wasm_support.h); wasmgen.c is the shared C glue over libwasmer.
PHP_ARG_WITH([wasm],
  [for wasm support (WebAssembly through libwasmer)],
  [AS_HELP_STRING([--with-wasm=DIR], [Wasmer install prefix holding include/wasm.h and lib/libwasmer.so])])

if test "$PHP_WASM" != "no"; then
  if test "$PHP_WASM" = "yes"; then
    PHP_WASM="$WASMER_DIR"
  fi
  dnl libwasmer.so, or libwasmer.dylib on macOS (PHP's SHLIB_SUFFIX_NAME)
  if test -z "$PHP_WASM" || test ! -r "$PHP_WASM/include/wasm.h" || test ! -r "$PHP_WASM/lib/libwasmer.$SHLIB_SUFFIX_NAME"; then
    AC_MSG_ERROR([--with-wasm=DIR: DIR must be a Wasmer install with include/wasm.h and lib/libwasmer.$SHLIB_SUFFIX_NAME (got '$PHP_WASM')])
  fi
  PHP_ADD_INCLUDE([$PHP_WASM/include])
  PHP_ADD_LIBRARY_WITH_PATH([wasmer], [$PHP_WASM/lib], [WASM_SHARED_LIBADD])
  PHP_SUBST([WASM_SHARED_LIBADD])
  PHP_NEW_EXTENSION([wasm], [wasm.c wasm_extension.c wasm_objects.c wasm_values.c wasm_types.c wasm_host.c wasm_function.c wasm_memory.c wasm_views.c wasm_members.c wasm_instance.c wasm_exports.c wasm_legacy.c wasm_wasi.c wasm_capi.c wasm_capi_runtime.c wasmgen.c], [$ext_shared], [], [-std=gnu11 -DZEND_ENABLE_STATIC_TSRMLS_CACHE=1])
  PHP_ADD_EXTENSION_DEP([wasm], [spl])
fi

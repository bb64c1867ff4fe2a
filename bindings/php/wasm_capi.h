/* wasmer-php 1.1.0's API: the wasm C API as PHP functions over resources (public/php_capi.yaml).
   wasm_capi.c is rendered from that file (templates/php/wasm_capi.c.jinja); this is what it builds
   on, written by hand in wasm_capi_runtime.c.

   Ownership. A resource holds a counted node; the node holds the C object (or, for a value type
   such as wasm_val_t, a copy of the struct) and frees it when its last holder goes. A node may keep
   another node alive: an object borrowed from another (wasm_func_as_extern(), an element of a vector
   returned by the C API) keeps its owner, an object of a store keeps the store. wasm_*_delete()
   closes the resource at once (using it again is PHP's TypeError "supplied resource is not a valid
   ... resource"), and the C object goes when nothing depends on it any more, so nothing is freed
   twice or used after it was freed. */
#ifndef PHP_WASM_CAPI_H
#define PHP_WASM_CAPI_H

#include "php_wasm_support.h"
#include <wasmer.h>

typedef struct php_wasm_capi_type {
    const char *name;                            /* the C type, also the resource type's name */
    size_t value_size;                           /* a value type: the size of the struct; 0: an object */
    void (*del)(void *ptr);                      /* frees what a node owns */
    void *(*copy)(const void *ptr);              /* an object's copy; NULL: a copy shares the node */
    void (*copy_value)(void *dst, const void *src); /* a value type's copy */
    int le;                                      /* the resource list entry (set at MINIT) */
} php_wasm_capi_type;

typedef struct php_wasm_capi_node {
    uint32_t refs;
    const php_wasm_capi_type *type;
    void *ptr;                       /* the C object, or the value struct */
    bool owned;                      /* the node frees ptr */
    struct php_wasm_capi_node *keep; /* kept alive while this node lives, or NULL */
    zend_long config[2];             /* a wasm_config_t: the compiler and the engine asked for, or -1 */
} php_wasm_capi_node;

/* A vector as the C API lays it out: { size, data } (data: pointers, or structs of a value type),
   and the type of its elements. */
typedef struct {
    size_t size;
    void *data;
    const php_wasm_capi_type *of;
    php_wasm_capi_node **pins; /* a borrowed vector: its elements' nodes, held until vec_done */
} php_wasm_capi_vec;

/* Rendered (wasm_capi.c): the types held by resources, and the Wasm\Vec\* classes. */
extern php_wasm_capi_type php_wasm_capi_types[];
extern const size_t php_wasm_capi_type_count;
extern zend_class_entry *php_wasm_capi_ce_InstantiationException, *php_wasm_capi_ce_OutOfBoundsException;
extern zend_class_entry *php_wasm_capi_ce_RuntimeException, *php_wasm_capi_ce_MemoryView;

/* Resources. fetch: the live node of a resource of `type`, or NULL with PHP's TypeError. */
php_wasm_capi_node *php_wasm_capi_fetch(zval *zv, const php_wasm_capi_type *type, uint32_t arg);
/* A new resource for a new node of `ptr` (owned or borrowed), keeping `keep` (may be NULL). */
void php_wasm_capi_return(zval *rv, const php_wasm_capi_type *type, void *ptr, bool owned, php_wasm_capi_node *keep);
/* A new resource holding a copy of the value struct at `value`. */
void php_wasm_capi_return_value(zval *rv, const php_wasm_capi_type *type, const void *value);
/* Another resource on the same node (the copy of an immutable object libwasmer cannot copy). */
void php_wasm_capi_return_node(zval *rv, php_wasm_capi_node *node);
/* A node freeing `ptr` with `type`'s del when the last element borrowed from it goes (an out vector). */
php_wasm_capi_node *php_wasm_capi_holder(const php_wasm_capi_type *type, void *ptr);
void php_wasm_capi_release(php_wasm_capi_node *node);
/* A node held during a call that may run wasm (a host function may delete the call's arguments);
   PHP_WASM_CAPI_PIN(node) holds it until the end of the enclosing block, whichever way it is left. */
static inline void php_wasm_capi_pin(php_wasm_capi_node *node) { node->refs++; }
static inline void php_wasm_capi_unpin(php_wasm_capi_node **pinned) { php_wasm_capi_release(*pinned); }
#define PHP_WASM_CAPI_PIN(node) \
    php_wasm_capi_node *pinned_##node __attribute__((cleanup(php_wasm_capi_unpin))) = node; \
    php_wasm_capi_pin(node)
/* A copy of the node's object (its type's copy), keeping what the node keeps; NULL with an exception. */
void *php_wasm_capi_copy(php_wasm_capi_node *node);

/* Errors: libwasmer's last error is cleared before a call and read after it. */
void php_wasm_capi_clear_error(void);
bool php_wasm_capi_error_pending(void);
/* Throws `ce` with libwasmer's last error, or `fallback` when there is none. */
void php_wasm_capi_throw_error(zend_class_entry *ce, const char *fallback);
/* A trap out of wasm: a host function's pending exception goes on as itself, else `ce` with the trap's
   message. Deletes the trap. */
void php_wasm_capi_throw_trap(wasm_trap_t *trap, zend_class_entry *ce);
/* An int argument in min..max, or a ValueError naming the function's argument. */
bool php_wasm_capi_range(zend_long value, zend_long min, zend_long max, uint32_t arg);

/* Wasm\Vec\* objects: elements are resources of `of` (checked when the vector goes to C). */
zend_class_entry *php_wasm_capi_vec_register(zend_class_entry *ce, const php_wasm_capi_type *of);
/* The elements as a temporary C vector (borrowed pointers, or value structs), their nodes held so that
   a host function deleting one during the call frees nothing in use; release with vec_done. */
zend_result php_wasm_capi_vec_borrow(zval *obj, php_wasm_capi_vec *out, uint32_t arg);
/* Replaces each borrowed element by a copy the C API takes ownership of (the data array stays ours). */
void php_wasm_capi_vec_copy_elements(php_wasm_capi_vec *v);
void php_wasm_capi_vec_done(php_wasm_capi_vec *v);
/* A new Wasm\Vec\* of class `ce` over a C vector: each element a resource borrowed from `keep`
   (objects) or a copy (values). */
void php_wasm_capi_vec_return(zval *rv, zend_class_entry *ce, const php_wasm_capi_vec *v, php_wasm_capi_node *keep);
/* The methods of every Wasm\Vec\* class (the rendered ZEND_METHODs call these). */
void php_wasm_capi_vec_construct(INTERNAL_FUNCTION_PARAMETERS);
void php_wasm_capi_vec_count(INTERNAL_FUNCTION_PARAMETERS);
void php_wasm_capi_vec_offset_exists(INTERNAL_FUNCTION_PARAMETERS);
void php_wasm_capi_vec_offset_get(INTERNAL_FUNCTION_PARAMETERS);
void php_wasm_capi_vec_offset_set(INTERNAL_FUNCTION_PARAMETERS);
void php_wasm_capi_vec_offset_unset(INTERNAL_FUNCTION_PARAMETERS);

/* Copies of the types libwasmer 7 exports no copy function for, rebuilt from their parts. */
void *php_wasm_capi_valtype_copy(const void *valtype);
void *php_wasm_capi_globaltype_copy(const void *globaltype);
void *php_wasm_capi_tabletype_copy(const void *tabletype);
void *php_wasm_capi_memorytype_copy(const void *memorytype);

/* wasm_module_serialize() and wasm_module_deserialize() are shared with the 0.5.1 API (wasm_legacy.c):
   their 1.1.0 forms. serialize returns false when `res` is not a wasm_module_t (the 0.5.1 form). */
bool php_wasm_capi_module_serialize(zval *res, zval *return_value);
void php_wasm_capi_module_deserialize(zval *store, zend_string *serialized, zval *return_value);

/* MINIT (after the rendered registrations): resource types, Wasm\MemoryView, host function support. */
void php_wasm_capi_runtime_minit(int module_number);
void php_wasm_capi_minit(int module_number); /* rendered */

#endif

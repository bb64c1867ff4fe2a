/* templates/c/runtime/imports.c: plain C of the shared glue, rendered verbatim into wasmgen.c. */

/* ------------------------------------------------------------------ imports */

/* Defines (or replaces) the import module.name as `item` (copied; a host function is
   taken as its callable, made in the instance's store). */
static int wg_import_put(wg_imports *self, const char *module, size_t module_len, const char *name,
                             size_t name_len, wg_extern *item) {
    WG_NOT_NULL(item, "item");
    /* copying an extern touches its store: under that store's lock. A host
       function is taken as its callable (made in the instance's store). */
    wasm_extern_t *copy = NULL;
    wg_lock(item->store);
    if (!item->env) copy = wasm_extern_copy(item->ext);
    if (copy || item->env) wg_store_retain(item->store);
    wg_unlock(item->store);
    if (!copy && !item->env) return wg_fail_wasmer(WG_ERR_RUNTIME_ERROR, "cannot copy extern");
    struct wg_import *it = NULL;
    for (size_t i = 0; i < self->len && !it; i++) {
        struct wg_import *cand = &self->items[i];
        if (strlen(cand->module) == module_len && strlen(cand->name) == name_len &&
            memcmp(cand->module, module, module_len) == 0 && memcmp(cand->name, name, name_len) == 0) {
            it = cand;
            wg_import_clear(it, 1);
        }
    }
    if (!it) {
        if (self->len == self->cap) {
            size_t cap = self->cap ? self->cap * 2 : 8;
            struct wg_import *items = realloc(self->items, cap * sizeof *items);
            if (!items) {
                wg_lock(item->store);
                if (copy) wasm_extern_delete(copy);
                wg_store_release_locked(item->store);
                return wg_fail(WG_ERR_RUNTIME_ERROR, "out of memory");
            }
            self->items = items;
            self->cap = cap;
        }
        it = &self->items[self->len++];
        it->module = wg_strndup(module, module_len);
        it->name = wg_strndup(name, name_len);
        it->wasi = NULL;
    }
    it->ext = copy;
    it->host = item->host;
    it->store = item->store;
    it->env = item->env;
    if (it->env) __atomic_add_fetch(&it->env->refs, 1, __ATOMIC_ACQ_REL);
    return WG_OK;
}

/* The import module.name, or NULL. */
static struct wg_import *wg_import_find(wg_imports *self, const char *module, size_t module_len, const char *name,
                                         size_t name_len) {
    for (size_t i = 0; i < self->len; i++) {
        struct wg_import *it = &self->items[i];
        if (strlen(it->module) == module_len && strlen(it->name) == name_len &&
            memcmp(it->module, module, module_len) == 0 && memcmp(it->name, name, name_len) == 0)
            return it;
    }
    return NULL;
}

/* templates/c/runtime/calls.c: plain C of the shared glue, rendered verbatim into wasmgen.c. */

/* ------------------------------------------------------------------ host functions */

static wg_host_call_fn wg_host_call;
static wg_host_release_fn wg_host_release;

void wg_set_host_callbacks(wg_host_call_fn call, wg_host_release_fn release) {
    wg_host_call = call;
    wg_host_release = release;
}

void wg_set_host_error(const char *message, size_t len) {
    wg_tls_register();
    free(wg_host_msg);
    wg_host_msg = wg_strndup(message ? message : "", message ? len : 0);
}

/* A host callable: the language's handle and the signature, shared (counted) by
   every wasm function made for it (one per store: see Instance.new). The
   language's release callback runs when the last one is gone. */
typedef struct wg_host_env {
    uint64_t handle;
    size_t refs; /* atomic */
    uint32_t nparams, nresults;
    uint8_t kinds[];
} wg_host_env;

/* One wasm function's env: the callable and the store the function lives in
   (not counted: the store owns this record). */
typedef struct wg_host_fn {
    wg_host_env *env;
    wg_store *store;
} wg_host_fn;

static void wg_host_env_unref(wg_host_env *env) {
    if (__atomic_sub_fetch(&env->refs, 1, __ATOMIC_ACQ_REL)) return;
    if (wg_host_release) wg_host_release(env->handle);
    free(env);
}

#define WG_STACK_VALS 16

/* A host function's failure as the trap libwasmer raises in wasm (the message is
   the language's exception's, kept for the caller: wg_fail_trap). */
static wasm_trap_t *wg_host_trap(wg_host_fn *fn, const char *failure) {
    wg_host_failed = 1;
    wasm_message_t msg;
    wasm_name_new_from_string_nt(&msg, failure);
    wasm_trap_t *trap = wasm_trap_new(fn->store->store, &msg);
    wasm_byte_vec_delete(&msg);
    return trap;
}

static wasm_trap_t *wg_trampoline(void *envp, const wasm_val_vec_t *args, wasm_val_vec_t *results) {
    wg_host_fn *fn = envp;
    wg_host_env *env = fn->env;
    wg_val a_stack[WG_STACK_VALS], r_stack[WG_STACK_VALS];
    wg_val *a = env->nparams <= WG_STACK_VALS ? a_stack : malloc(sizeof(wg_val) * env->nparams);
    wg_val *r = env->nresults <= WG_STACK_VALS ? r_stack : malloc(sizeof(wg_val) * env->nresults);
    const char *failure = NULL;
    if (!a || !r) failure = "out of memory";
    else if (!wg_host_call) failure = "no host dispatcher registered (wg_set_host_callbacks)";
    if (!failure) {
        /* the arguments' references belong to libwasmer; funcrefs become new handles */
        for (uint32_t i = 0; i < env->nparams; i++) a[i] = wg_from_wasm(fn->store, &args->data[i], 0);
        for (uint32_t i = 0; i < env->nresults; i++) r[i].bits = 0;
        if (wg_host_call(env->handle, a, r) != 0) failure = wg_host_msg ? wg_host_msg : "host function failed";
        for (uint32_t i = 0; !failure && i < env->nresults; i++)
            failure = wg_check_val(fn->store, env->kinds[env->nparams + i], r[i]);
        /* results' references are taken over by libwasmer */
        for (uint32_t i = 0; !failure && i < env->nresults; i++)
            results->data[i] = wg_to_wasm(fn->store->store, env->kinds[env->nparams + i], r[i]);
    }
    if (a != a_stack) free(a);
    if (r != r_stack) free(r);
    return failure ? wg_host_trap(fn, failure) : NULL;
}

/* ------------------------------------------------------------------ the typed fast path */

/* Whether calls and host functions take libwasmer's typed fast path (wasmgen_fast.h)
   where a signature has one: when the glue was built with it, unless the environment
   says WASMGEN_FAST_PATH=0 (read once per process: the conformance matrix and the
   benchmarks run both ways). */
static int wg_fast_enabled(void) {
    static int state; /* 0 not read yet, 1 on, 2 off */
    int on = __atomic_load_n(&state, __ATOMIC_RELAXED);
    if (!on) {
        const char *env = getenv("WASMGEN_FAST_PATH");
#if WG_FAST
        on = (env && strcmp(env, "0") == 0) || wasmgen_fast_version() != WASMGEN_FAST_VERSION ? 2 : 1;
#else
        (void)env;
        on = 2;
#endif
        __atomic_store_n(&state, on, __ATOMIC_RELAXED);
    }
    return on == 1;
}

/* Decided once per function handle, when its wasm function exists: the typed call,
   or NULL (its signature has none, or the fast path is off). */
static void wg_fast_attach(wg_extern *w) {
#if WG_FAST
    if (w->ext && !w->fast && w->kind == WASM_EXTERN_FUNC && wg_fast_enabled())
        w->fast = wasmgen_fast_func_new(wasm_extern_as_func(w->ext));
#else
    (void)w;
#endif
}

static void wg_fast_detach(wg_extern *w) {
#if WG_FAST
    if (w->fast) wasmgen_fast_func_delete(w->fast);
#endif
    w->fast = NULL;
}

#if WG_FAST
/* A host function on the fast path: only numbers cross, as wg_val's bits. */
static wasm_trap_t *wg_fast_trampoline(void *envp, const uint64_t *args, uint64_t *results) {
    wg_host_fn *fn = envp;
    if (!wg_host_call) return wg_host_trap(fn, "no host dispatcher registered (wg_set_host_callbacks)");
    if (fn->env->nresults) results[0] = 0;
    if (wg_host_call(fn->env->handle, (const wg_val *)args, (wg_val *)results) == 0) return NULL;
    return wg_host_trap(fn, wg_host_msg ? wg_host_msg : "host function failed");
}
#endif

static void wg_host_fn_finalize(void *envp) {
    wg_host_fn *fn = envp;
    wg_host_env_unref(fn->env);
    free(fn);
}

static wasm_valtype_vec_t wg_valtypes(const uint8_t *kinds, size_t len) {
    wasm_valtype_vec_t vec;
    wasm_valtype_vec_new_uninitialized(&vec, len);
    for (size_t i = 0; i < len; i++) vec.data[i] = wasm_valtype_new(kinds[i]);
    return vec;
}

/* A wasm function in `store` calling the host callable `env` (which it counts). */
static wasm_func_t *wg_host_func_new(wg_store *store, wg_host_env *env) {
    wg_host_fn *fn = malloc(sizeof *fn);
    if (!fn) return NULL;
    fn->env = env;
    fn->store = store;
    wasm_valtype_vec_t ps = wg_valtypes(env->kinds, env->nparams), rs = wg_valtypes(env->kinds + env->nparams, env->nresults);
    wasm_functype_t *type = wasm_functype_new(&ps, &rs);
    wasm_func_t *func = NULL;
#if WG_FAST
    if (wg_fast_enabled()) func = wasmgen_fast_func_new_host(store->store, type, wg_fast_trampoline, fn, wg_host_fn_finalize);
#endif
    if (!func) func = wasm_func_new_with_env(store->store, type, wg_trampoline, fn, wg_host_fn_finalize);
    wasm_functype_delete(type);
    if (!func) free(fn);
    else __atomic_add_fetch(&env->refs, 1, __ATOMIC_ACQ_REL);
    return func;
}

static int wg_check_kinds(const uint8_t *kinds, size_t len, const char *what) {
    for (size_t i = 0; i < len; i++) {
        if (!wg_known_kind(kinds[i]))
            return wg_fail(WG_ERR_ARGUMENT_ERROR, "%s[%zu]: unknown value kind %u", what, i, kinds[i]);
    }
    return WG_OK;
}

/* Whether two function externs are the same function (by reference identity:
   this does not touch the function's VM reference, which panics for host ones). */
static int wg_same_func(wasm_extern_t *a, wasm_extern_t *b) {
    wasm_ref_t *ra = wasm_func_as_ref(wasm_extern_as_func(a)), *rb = wasm_func_as_ref(wasm_extern_as_func(b));
    int same = ra && rb && wasm_ref_same(ra, rb);
    if (ra) wasm_ref_delete(ra);
    if (rb) wasm_ref_delete(rb);
    return same;
}

/* Host <-> wasm re-entry (a host function calling wasm calling a host function
   ...) nests on the thread's own stack: wasm runs on libwasmer's stacks, but each
   host function runs on the caller's. When less than a reserve is left (256 KiB,
   or a quarter of a smaller stack), a call fails as a trap instead of the process
   dying on the guard page (a language runtime may not check its native stack:
   Go's cgo calls, PHP). A thread's stack bounds are read once; a call running on
   another stack (a fiber's, a coroutine's) is not checked. */
#define WG_STACK_RESERVE (256 * 1024)
static _Thread_local uintptr_t wg_stack_lo, wg_stack_hi, wg_stack_reserve;

static int wg_check_stack(void) {
    if (!wg_stack_hi) {
        pthread_attr_t attr;
        void *addr = NULL;
        size_t size = 0;
        if (pthread_getattr_np(pthread_self(), &attr) == 0) {
            pthread_attr_getstack(&attr, &addr, &size);
            pthread_attr_destroy(&attr);
        }
        wg_stack_lo = (uintptr_t)addr;
        wg_stack_hi = size ? (uintptr_t)addr + size : 1;
        wg_stack_reserve = size / 4 < WG_STACK_RESERVE ? size / 4 : WG_STACK_RESERVE;
    }
    uintptr_t sp = (uintptr_t)__builtin_frame_address(0);
    if (sp < wg_stack_lo || sp >= wg_stack_hi || sp - wg_stack_lo >= wg_stack_reserve) return WG_OK;
    return wg_fail(WG_ERR_TRAP, "call stack exhausted: less than %zu KiB of this thread's stack left "
                   "(host functions and wasm calling each other too deeply)", (size_t)wg_stack_reserve / 1024);
}

/* Calls a function: arguments converted on the stack (no heap allocation up to
   WG_STACK_VALS values), results written to out after the call. */
/* A host function made by wg_function_new_host is only its callable until it is
   called directly: then its wasm function is made in its store, once. (Made per
   instantiation in the instance's store instead, a host function given as an
   import grows no store: libwasmer frees store objects only with the store.) */
static int wg_materialize(wg_extern *self) {
    if (self->ext) return WG_OK;
    wasm_func_t *func = self->env ? wg_host_func_new(self->store, self->env) : NULL;
    if (!func) return wg_fail_wasmer(WG_ERR_RUNTIME_ERROR, "cannot create host function");
    self->ext = wasm_func_as_extern(func);
    wg_fast_attach(self);
    return WG_OK;
}

static int wg_call(wg_extern *self, const wg_val *args, wg_val *out) {
    if (wg_check_stack() != WG_OK) return WG_ERR_TRAP;
    if (wg_materialize(self) != WG_OK) return WG_ERR_RUNTIME_ERROR;
    uint32_t np = self->nparams, nr = self->nresults;
    if ((np && !args) || (nr && !out))
        return wg_fail(WG_ERR_ARGUMENT_ERROR, "no value area given (for call_scratch, call scratch first)");
#if WG_FAST
    if (self->fast) { /* numbers only: wg_val's bits are the fast path's values */
        wg_host_failed = 0;
        wasm_trap_t *trap = wasmgen_fast_func_call(self->fast, (const uint64_t *)args, (uint64_t *)out);
        return trap ? wg_fail_trap(trap) : WG_OK;
    }
#endif
    wasm_val_t a_stack[WG_STACK_VALS], r_stack[WG_STACK_VALS];
    wasm_val_t *av = np <= WG_STACK_VALS ? a_stack : malloc(sizeof(wasm_val_t) * np);
    wasm_val_t *rv = nr <= WG_STACK_VALS ? r_stack : malloc(sizeof(wasm_val_t) * nr);
    if (!av || !rv) {
        if (av != a_stack) free(av);
        if (rv != r_stack) free(rv);
        return wg_fail(WG_ERR_RUNTIME_ERROR, "out of memory");
    }
    for (uint32_t i = 0; i < np; i++) {
        const char *bad = wg_check_val(self->store, self->kinds[i], args[i]);
        if (bad) {
            if (av != a_stack) free(av);
            if (rv != r_stack) free(rv);
            return wg_fail(WG_ERR_ARGUMENT_ERROR, "argument %u: %s", i, bad);
        }
    }
    for (uint32_t i = 0; i < np; i++) av[i] = wg_to_wasm(self->store->store, self->kinds[i], args[i]);
    wasm_val_vec_t avec = {np, av}, rvec = {nr, rv};
    wg_host_failed = 0;
    wasm_trap_t *trap = wasm_func_call(wasm_extern_as_func(self->ext), &avec, &rvec);
    wg_delete_refs(av, np);
    int rc = WG_OK;
    if (trap) rc = wg_fail_trap(trap);
    else
        for (uint32_t i = 0; i < nr; i++) out[i] = wg_from_wasm(self->store, &rv[i], 1);
    if (av != a_stack) free(av);
    if (rv != r_stack) free(rv);
    return rc;
}

/* The floor every binding is compared with: sum(1, 2) and a host-import round
   trip (add1 -> env.sum) called from C directly through the wasm C API.
   Prints one JSON line per case: {"lang": "c", "case": ..., "ns": ...}. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <wasmer.h>

static const char *WAT =
    "(module"
    "  (import \"env\" \"sum\" (func $sum (param i32 i32) (result i32)))"
    "  (func (export \"sum\") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)"
    "  (func (export \"add1\") (param i32 i32) (result i32) local.get 0 local.get 1 call $sum i32.const 1 i32.add))";

static wasm_trap_t *host_sum(void *env, const wasm_val_vec_t *args, wasm_val_vec_t *results) {
    (void)env;
    results->data[0].kind = WASM_I32;
    results->data[0].of.i32 = args->data[0].of.i32 + args->data[1].of.i32;
    return NULL;
}

static double now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static double bench(wasm_func_t *f, long n) {
    wasm_val_t a[2] = {WASM_I32_VAL(1), WASM_I32_VAL(2)}, r[1] = {WASM_INIT_VAL};
    wasm_val_vec_t args = WASM_ARRAY_VEC(a), res = WASM_ARRAY_VEC(r);
    double best = 1e18;
    for (int round = 0; round < 5; round++) {
        double t = now_ns();
        for (long i = 0; i < n; i++) {
            wasm_trap_t *trap = wasm_func_call(f, &args, &res);
            if (trap) { fprintf(stderr, "trap\n"); exit(1); }
        }
        double per = (now_ns() - t) / n;
        if (per < best) best = per;
    }
    return best;
}

int main(int argc, char **argv) {
    long n = argc > 1 ? atol(argv[1]) : 200000;
    wasm_engine_t *engine = wasm_engine_new();
    wasm_store_t *store = wasm_store_new(engine);
    wasm_byte_vec_t wat, wasm;
    wasm_byte_vec_new(&wat, strlen(WAT), WAT);
    wat2wasm(&wat, &wasm);
    wasm_module_t *module = wasm_module_new(store, &wasm);
    if (!module) { fprintf(stderr, "compile failed\n"); return 1; }
    wasm_functype_t *ft = wasm_functype_new_2_1(wasm_valtype_new_i32(), wasm_valtype_new_i32(), wasm_valtype_new_i32());
    int dummy = 0;
    wasm_func_t *host = wasm_func_new_with_env(store, ft, host_sum, &dummy, NULL);
    wasm_extern_t *imports_data[1] = {wasm_func_as_extern(host)};
    wasm_extern_vec_t imports = WASM_ARRAY_VEC(imports_data);
    wasm_instance_t *instance = wasm_instance_new(store, module, &imports, NULL);
    if (!instance) { fprintf(stderr, "instantiate failed\n"); return 1; }
    wasm_extern_vec_t exports;
    wasm_instance_exports(instance, &exports);
    wasm_func_t *sum = wasm_extern_as_func(exports.data[0]);
    wasm_func_t *add1 = wasm_extern_as_func(exports.data[1]);
    printf("{\"lang\": \"c\", \"case\": \"sum\", \"ns\": %.1f}\n", bench(sum, n));
    printf("{\"lang\": \"c\", \"case\": \"host_roundtrip\", \"ns\": %.1f}\n", bench(add1, n));
    wasm_extern_vec_delete(&exports);
    wasm_instance_delete(instance);
    wasm_func_delete(host);
    wasm_functype_delete(ft);
    wasm_module_delete(module);
    wasm_byte_vec_delete(&wasm);
    wasm_byte_vec_delete(&wat);
    wasm_store_delete(store);
    wasm_engine_delete(engine);
    return 0;
}

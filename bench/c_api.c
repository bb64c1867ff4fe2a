/* The floor every binding is compared with: sum(1, 2) and a host-import round
   trip (add1 -> env.sum) called from C directly through the wasm C API.
   Prints one JSON line per case: {"lang": "c", "case": ..., "ns": ...}.

   Memory: 1 KiB, 64 KiB and 1 MiB written and read through the C API (a bounds check
   against wasm_memory_data_size, then memcpy to or from wasm_memory_data: what the glue's
   Memory.read/write do under the store's lock), beside C's own memcpy between two heap
   buffers of the same size: {"workload": "memory", "impl": "c_api" | "language"}, "ns"
   the median per operation of 7 rounds (p25, p75, min and max beside it).

   The typed fast path (wasmgen_fast.h, when libwasmer has it): the same two cases
   through wasmgen_fast_func_call, the round trip's import made by
   wasmgen_fast_func_new_host in a second instance: {"impl": "c_fast_path"}. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <wasmer.h>
#if __has_include(<wasmgen_fast.h>)
#include <wasmgen_fast.h>
#define FAST 1
#endif

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

#ifdef FAST
static wasm_trap_t *fast_host_sum(void *env, const uint64_t *args, uint64_t *results) {
    (void)env;
    results[0] = (uint32_t)((int32_t)args[0] + (int32_t)args[1]);
    return NULL;
}
#endif

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

#ifdef FAST
static double bench_fast(wasm_func_t *f, long n) {
    wasmgen_fast_func_t *fast = wasmgen_fast_func_new(f);
    if (!fast) { fprintf(stderr, "no fast path for (i32, i32) -> i32\n"); exit(1); }
    uint64_t args[2] = {1, 2}, result = 0;
    double best = 1e18;
    for (int round = 0; round < 5; round++) {
        double t = now_ns();
        for (long i = 0; i < n; i++) {
            wasm_trap_t *trap = wasmgen_fast_func_call(fast, args, &result);
            if (trap) { fprintf(stderr, "trap\n"); exit(1); }
            __asm__ __volatile__("" : : "r"(result) : "memory");
        }
        double per = (now_ns() - t) / n;
        if (per < best) best = per;
    }
    wasmgen_fast_func_delete(fast);
    return best;
}

/* sum and add1 of a second instance whose import is a fast-path host function. */
static void fast_cases(wasm_store_t *store, wasm_module_t *module, wasm_functype_t *ft, long n) {
    int dummy = 0;
    wasm_func_t *host = wasmgen_fast_func_new_host(store, ft, fast_host_sum, &dummy, NULL);
    if (!host) { fprintf(stderr, "no fast host function for (i32, i32) -> i32\n"); exit(1); }
    wasm_extern_t *imports_data[1] = {wasm_func_as_extern(host)};
    wasm_extern_vec_t imports = WASM_ARRAY_VEC(imports_data);
    wasm_instance_t *instance = wasm_instance_new(store, module, &imports, NULL);
    if (!instance) { fprintf(stderr, "instantiate failed\n"); exit(1); }
    wasm_extern_vec_t exports;
    wasm_instance_exports(instance, &exports);
    printf("{\"lang\": \"c\", \"case\": \"sum\", \"impl\": \"c_fast_path\", \"ns\": %.1f}\n",
           bench_fast(wasm_extern_as_func(exports.data[0]), n));
    printf("{\"lang\": \"c\", \"case\": \"host_roundtrip\", \"impl\": \"c_fast_path\", \"ns\": %.1f}\n",
           bench_fast(wasm_extern_as_func(exports.data[1]), n));
    wasm_extern_vec_delete(&exports);
    wasm_instance_delete(instance);
    wasm_func_delete(host);
}
#endif

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

enum { MEM_WRITE, MEM_READ, MEMCPY };

/* One round of n operations of kind `op` on `size` bytes; returns ns per operation. */
static double memory_round(int op, wasm_memory_t *memory, uint8_t *src, uint8_t *dst, size_t size, long n) {
    double t = now_ns();
    for (long i = 0; i < n; i++) {
        size_t off = (size_t)(i & 7);
        if (op == MEMCPY) {
            memcpy(dst, src, size);
        } else {
            if (off + size > wasm_memory_data_size(memory)) { fprintf(stderr, "out of bounds\n"); exit(1); }
            uint8_t *data = (uint8_t *)wasm_memory_data(memory);
            if (op == MEM_WRITE) memcpy(data + off, src, size);
            else memcpy(dst, data + off, size);
        }
        __asm__ __volatile__("" : : "r"(dst), "r"(src) : "memory");  /* the copies are not dead */
    }
    return (now_ns() - t) / (double)n;
}

static void memory_cases(wasm_store_t *store) {
    wasm_limits_t limits = {17, 17};
    wasm_memorytype_t *mt = wasm_memorytype_new(&limits);
    wasm_memory_t *memory = wasm_memory_new(store, mt);
    wasm_memorytype_delete(mt);
    if (!memory) { fprintf(stderr, "memory failed\n"); exit(1); }
    const char *labels[] = {"1KiB", "64KiB", "1MiB"};
    size_t sizes[] = {1 << 10, 64 << 10, 1 << 20};
    const char *names[] = {"memory_write_", "memory_read_", "memcpy_"};
    const char *impls[] = {"c_api", "c_api", "language"};
    for (int k = 0; k < 3; k++) {
        size_t size = sizes[k];
        long reps = (64L << 20) / (long)size;
        if (reps < 20) reps = 20;
        uint8_t *src = malloc(size), *dst = malloc(size);
        for (size_t i = 0; i < size; i++) src[i] = (uint8_t)i;
        memset(dst, 0, size);
        for (int op = MEM_WRITE; op <= MEMCPY; op++) {
            double times[7];
            memory_round(op, memory, src, dst, size, reps);  /* warm up */
            for (int r = 0; r < 7; r++) times[r] = memory_round(op, memory, src, dst, size, reps);
            qsort(times, 7, sizeof times[0], cmp_double);
            printf("{\"lang\": \"c\", \"case\": \"%s%s\", \"ns\": %.1f, \"median\": %.1f, \"p25\": %.1f, \"p75\": %.1f, "
                   "\"min\": %.1f, \"max\": %.1f, \"samples\": 7, \"workload\": \"memory\", \"impl\": \"%s\", \"bytes\": %zu}\n",
                   names[op], labels[k], times[3], times[3], times[1], times[5], times[0], times[6], impls[op], size);
        }
        memcpy((uint8_t *)wasm_memory_data(memory), src, size);
        if (memcmp(wasm_memory_data(memory), src, size) || memcmp(dst, src, size)) {
            fprintf(stderr, "memory round trip differs\n");
            exit(1);
        }
        free(src);
        free(dst);
    }
    wasm_memory_delete(memory);
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
#ifdef FAST
    fast_cases(store, module, ft, n);
#endif
    memory_cases(store);
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

#define _GNU_SOURCE /* memmem */
/* Tests of the shared glue (bindings/c/wasmgen.c) under threads, deep re-entry and
   repetition, through the glue's own API as every binding calls it. Run by
   `nox -s test` and, under valgrind, by `nox -s memcheck` (with the argument
   `--memcheck`: fewer repetitions, no RSS bound). Prints "N passed, M failed"
   and exits non-zero on a failure. */
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"


static const char SUM[] = "(module (func (export \"sum\") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add))";
static const char ADD1[] =
    "(module (import \"env\" \"sum\" (func $sum (param i32 i32) (result i32)))"
    " (memory (export \"memory\") 1)"
    " (func (export \"add1\") (param i32 i32) (result i32) local.get 0 local.get 1 call $sum i32.const 1 i32.add))";
static const char REENTER[] =
    "(module (import \"env\" \"reenter\" (func $r (param i32) (result i32)))"
    " (func (export \"down\") (param i32) (result i32)"
    "  local.get 0 i32.eqz if (result i32) i32.const 0 else local.get 0 i32.const 1 i32.sub call $r i32.const 1 i32.add end))";

static wg_engine *engine;
static const uint8_t I32x2[] = {WG_I32, WG_I32}, I32[] = {WG_I32};

/* host functions: env 1 = sum, env 2 = reenter through `down` */
static wg_extern *down;
static int released;

static int in_host, deleted;

static int host_call(uint64_t env, const wg_val *args, wg_val *results) {
    if (env == 1) {
        results[0].i32 = args[0].i32 + args[1].i32;
        return 0;
    }
    if (env == 10) { /* the fast path's values: the first argument back, bit for bit */
        results[0].bits = args[0].bits;
        return 0;
    }
    if (env == 11) { /* the third argument back */
        results[0] = args[2];
        return 0;
    }
    if (env == 12) {
        wg_set_host_error("host says no", 12);
        return 1;
    }
    if (env == 3) { /* holds its store's lock until another thread has deleted something of it */
        __atomic_store_n(&in_host, 1, __ATOMIC_SEQ_CST);
        while (!__atomic_load_n(&deleted, __ATOMIC_SEQ_CST)) sched_yield();
        results[0].i32 = args[0].i32;
        return 0;
    }
    wg_val r;
    if (wg_function_call(down, args, &r) != WG_OK) {
        const char *m = wg_error_message();
        wg_set_host_error(m, strlen(m));
        return 1;
    }
    results[0] = r;
    return 0;
}

static void host_release(uint64_t env) {
    (void)env;
    __atomic_add_fetch(&released, 1, __ATOMIC_SEQ_CST);
}

static wg_module *compile(wg_store *store, const char *wat) {
    wg_module *m = NULL;
    int rc = wg_module_new(store, (const uint8_t *)wat, strlen(wat), &m);
    CHECK(rc == WG_OK, "compile");
    return m;
}

static wg_extern *export0(wg_instance *inst, uint32_t index) {
    wg_extern *e = NULL;
    if (wg_instance_export(inst, index, &e) != WG_OK) {
        failed++;
        fprintf(stderr, "FAIL: export %u: %s\n", index, wg_error_message());
    }
    return e;
}

/* ---- one instance called from 4 threads at once */

static wg_extern *shared_sum;
enum { THREADS = 4 };
static int CALLS = 20000, CYCLES = 20000, memcheck;

static void *caller(void *arg) {
    intptr_t t = (intptr_t)arg, wrong = 0;
    for (int i = 0; i < CALLS; i++) {
        wg_val a[2] = {{.i32 = i}, {.i32 = (int32_t)t}}, r = {.i32 = -1};
        if (wg_function_call(shared_sum, a, &r) != WG_OK || r.i32 != i + t) wrong++;
    }
    return (void *)wrong;
}

static void test_threads(void) {
    wg_store *store = NULL;
    wg_store_new(engine, &store);
    wg_module *m = compile(store, SUM);
    wg_instance *inst = NULL;
    CHECK(wg_instance_new(store, m, NULL, false, &inst) == WG_OK, "instantiate");
    shared_sum = export0(inst, 0);
    pthread_t th[THREADS];
    for (intptr_t t = 0; t < THREADS; t++) pthread_create(&th[t], NULL, caller, (void *)t);
    intptr_t wrong = 0;
    for (int t = 0; t < THREADS; t++) {
        void *w;
        pthread_join(th[t], &w);
        wrong += (intptr_t)w;
    }
    CHECK(wrong == 0, "threads sharing one instance: %ld wrong results of %d", (long)wrong, THREADS * CALLS);
    wg_extern_delete(shared_sum);
    wg_instance_delete(inst);
    wg_module_delete(m);
    wg_store_delete(store);
}

/* ---- host <-> wasm re-entry, deeper than the thread's stack allows */

static void *reenter(void *arg) {
    int32_t depth = (int32_t)(intptr_t)arg;
    wg_store *store = NULL;
    wg_store_new(engine, &store);
    wg_module *m = compile(store, REENTER);
    wg_imports *imports = NULL;
    wg_extern *host = NULL;
    wg_imports_new(&imports);
    wg_function_new_host(store, I32, 1, I32, 1, 2, &host);
    wg_imports_define(imports, "env", 3, "reenter", 7, host);
    wg_instance *inst = NULL;
    CHECK(wg_instance_new(store, m, imports, false, &inst) == WG_OK, "instantiate");
    down = export0(inst, 0);
    wg_val a = {.i32 = depth}, r = {.i32 = -1};
    int rc = wg_function_call(down, &a, &r);
    intptr_t result = rc == WG_OK ? r.i32 : -rc;
    wg_val three = {.i32 = 3};
    CHECK(wg_function_call(down, &three, &r) == WG_OK && r.i32 == 3, "the instance works after depth %d", depth);
    wg_extern_delete(down);
    wg_instance_delete(inst);
    wg_imports_delete(imports);
    wg_extern_delete(host);
    wg_module_delete(m);
    wg_store_delete(store);
    return (void *)result;
}

static void test_reentry(void) {
    int depths[] = {100, 100000, 10};
    size_t stacks[] = {2 << 20, 2 << 20, 192 << 10}; /* 2 MiB: the deep case must run out of it; a small stack works */
    for (int i = 0; i < 3; i++) {
        pthread_attr_t attr;
        pthread_attr_init(&attr);
        pthread_attr_setstacksize(&attr, stacks[i]);
        pthread_t th;
        void *res;
        pthread_create(&th, &attr, reenter, (void *)(intptr_t)depths[i]);
        pthread_join(th, &res);
        intptr_t r = (intptr_t)res;
        if (depths[i] <= 100) CHECK(r == depths[i], "depth %d returns %d (stack %zu KiB), got %ld", depths[i], depths[i],
                                    stacks[i] / 1024, (long)r);
        else CHECK(r == -WG_ERR_TRAP || r == -WG_ERR_HOST_ERROR, "depth %d fails with a trap, got %ld", depths[i], (long)r);
    }
}

/* ---- the typed fast path (wasmgen_fast.h): on when the glue was built with it and the
   environment does not say WASMGEN_FAST_PATH=0; every value type bit for bit through a
   call and a host import, traps, host errors, and signatures it does not cover. The
   same checks hold on both paths (nox -s test runs this program both ways). */

static const char FAST[] =
    "(module"
    " (import \"env\" \"i64\" (func $i64 (param i64) (result i64)))"
    " (import \"env\" \"f32\" (func $f32 (param f32) (result f32)))"
    " (import \"env\" \"f64\" (func $f64 (param f64 f64 f64) (result f64)))"
    " (import \"env\" \"fail\" (func $fail (param i32) (result i32)))"
    " (import \"env\" \"wide\" (func $wide (param i32 i32 i32 i32 i32) (result i32)))"
    " (func (export \"i64\") (param i64) (result i64) local.get 0 call $i64)"
    " (func (export \"f32\") (param f32) (result f32) local.get 0 call $f32)"
    " (func (export \"f64\") (param f64 f64 f64) (result f64) local.get 0 local.get 1 local.get 2 call $f64)"
    " (func (export \"fail\") (param i32) (result i32) local.get 0 call $fail)"
    " (func (export \"trap\") unreachable)"
    " (func (export \"neg\") (param i32) (result i32) i32.const 0 local.get 0 i32.sub)"
    " (func (export \"wide\") (param i32 i32 i32 i32 i32) (result i32)"
    "   local.get 0 local.get 1 local.get 2 local.get 3 local.get 4 call $wide))";

static void test_fast_path(void) {
    bool on = false;
    const char *env = getenv("WASMGEN_FAST_PATH");
    CHECK(wg_fast_path(&on) == WG_OK, "fast_path");
#if __has_include(<wasmgen_fast.h>)
    CHECK(on == !(env && !strcmp(env, "0")), "fast path %s (WASMGEN_FAST_PATH=%s)", on ? "on" : "off", env ? env : "");
#else
    CHECK(!on, "no wasmgen_fast.h: the fast path is off");
#endif
    wg_store *store = NULL;
    wg_store_new(engine, &store);
    wg_module *m = compile(store, FAST);
    static const uint8_t I64[] = {WG_I64}, F32[] = {WG_F32}, F64x3[] = {WG_F64, WG_F64, WG_F64}, F64[] = {WG_F64},
                         I32x5[] = {WG_I32, WG_I32, WG_I32, WG_I32, WG_I32};
    wg_extern *hosts[5] = {NULL};
    wg_function_new_host(store, I64, 1, I64, 1, 10, &hosts[0]);
    wg_function_new_host(store, F32, 1, F32, 1, 10, &hosts[1]);
    wg_function_new_host(store, F64x3, 3, F64, 1, 11, &hosts[2]);
    wg_function_new_host(store, I32, 1, I32, 1, 12, &hosts[3]);
    wg_function_new_host(store, I32x5, 5, I32, 1, 11, &hosts[4]);
    const char *names[] = {"i64", "f32", "f64", "fail", "wide"};
    wg_imports *imports = NULL;
    wg_imports_new(&imports);
    for (int i = 0; i < 5; i++) wg_imports_define(imports, "env", 3, names[i], strlen(names[i]), hosts[i]);
    wg_instance *inst = NULL;
    CHECK(wg_instance_new(store, m, imports, false, &inst) == WG_OK, "instantiate");
    wg_extern *f[7];
    for (uint32_t i = 0; i < 7; i++) f[i] = export0(inst, i);

    wg_val a[5], r;
    a[0].bits = 0x8000000000000001ull; /* i64: the sign bit and the low bit */
    r.bits = 0;
    CHECK(wg_function_call(f[0], a, &r) == WG_OK && r.bits == 0x8000000000000001ull, "i64 round trip: %llx",
          (unsigned long long)r.bits);
    a[0].bits = 0x7fa00001u; /* f32: a signalling NaN with a payload, upper half zero */
    r.bits = ~0ull;
    CHECK(wg_function_call(f[1], a, &r) == WG_OK && (uint32_t)r.bits == 0x7fa00001u, "f32 NaN payload: %llx",
          (unsigned long long)r.bits);
    a[0].f64 = 1.5, a[1].f64 = -2.25, a[2].bits = 0xfff0000000000123ull; /* the third back: a negative NaN */
    CHECK(wg_function_call(f[2], a, &r) == WG_OK && r.bits == 0xfff0000000000123ull, "f64 third argument: %llx",
          (unsigned long long)r.bits);
    a[0].i32 = 7;
    CHECK(wg_function_call(f[3], a, &r) == WG_ERR_HOST_ERROR && strstr(wg_error_message(), "host says no"),
          "a host error through the fast trampoline");
    CHECK(wg_function_call(f[4], NULL, NULL) == WG_ERR_TRAP && strstr(wg_error_message(), "unreachable"),
          "a trap: %s", wg_error_message());
    a[0].bits = 0xffffffff00000005ull; /* an i32 reads the low half only */
    CHECK(wg_function_call(f[5], a, &r) == WG_OK && r.i32 == -5, "i32 from the low half: %d", r.i32);
    for (int i = 0; i < 5; i++) a[i].i32 = 10 * (i + 1);
    CHECK(wg_function_call(f[6], a, &r) == WG_OK && r.i32 == 30, "5 params (beyond the fast path's table): %d", r.i32);
    a[0].i32 = 1;
    CHECK(wg_function_call(f[3], a, &r) == WG_ERR_HOST_ERROR, "the instance still fails the same way");
    CHECK(wg_function_call(hosts[0], (wg_val[]){{.bits = 42}}, &r) == WG_OK && r.bits == 42,
          "a host function called directly");
    for (int i = 0; i < 7; i++) wg_extern_delete(f[i]);
    wg_instance_delete(inst);
    wg_imports_delete(imports);
    for (int i = 0; i < 5; i++) wg_extern_delete(hosts[i]);
    wg_module_delete(m);
    wg_store_delete(store);
}

/* ---- a delete from another thread while the store is busy is queued, not waited for */

static wg_extern *victim;

static void *deleter(void *arg) {
    (void)arg;
    while (!__atomic_load_n(&in_host, __ATOMIC_SEQ_CST)) sched_yield();
    int before = __atomic_load_n(&released, __ATOMIC_SEQ_CST);
    wg_extern_delete(victim); /* the store is locked by the call in the main thread: must not block */
    intptr_t queued = __atomic_load_n(&released, __ATOMIC_SEQ_CST) == before;
    __atomic_store_n(&deleted, 1, __ATOMIC_SEQ_CST);
    return (void *)queued;
}

static void test_busy_store_defers_deletes(void) {
    static const char WAIT[] = "(module (import \"env\" \"wait\" (func $w (param i32) (result i32)))"
                               " (func (export \"f\") (param i32) (result i32) local.get 0 call $w))";
    wg_store *store = NULL;
    wg_store_new(engine, &store);
    wg_module *m = compile(store, WAIT);
    wg_extern *wait = NULL;
    wg_function_new_host(store, I32, 1, I32, 1, 3, &wait);
    wg_function_new_host(store, I32x2, 2, I32, 1, 1, &victim);
    wg_imports *imports = NULL;
    wg_imports_new(&imports);
    wg_imports_define(imports, "env", 3, "wait", 4, wait);
    wg_instance *inst = NULL;
    CHECK(wg_instance_new(store, m, imports, false, &inst) == WG_OK, "instantiate");
    wg_extern *f = export0(inst, 0);
    int before = released;
    pthread_t th;
    pthread_create(&th, NULL, deleter, NULL);
    wg_val a = {.i32 = 5}, r;
    CHECK(wg_function_call(f, &a, &r) == WG_OK && r.i32 == 5, "the call holding the store");
    void *queued;
    pthread_join(th, &queued);
    CHECK(queued, "a delete while another thread holds the store is queued (it returned at once)");
    CHECK(released == before + 1, "and done when that thread's call ends (released %d of 1)", released - before);
    wg_extern_delete(f);
    wg_instance_delete(inst);
    wg_imports_delete(imports);
    wg_extern_delete(wait);
    wg_module_delete(m);
    wg_store_delete(store);
}

/* ---- compile once, instantiate many: every instance freed with its handles */

static long rss_kib(void) {
    FILE *f = fopen("/proc/self/statm", "r");
    long pages = 0, resident = 0;
    if (f) {
        if (fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = 0;
        fclose(f);
    }
    return resident * 4;
}

/* Each cycle makes its host function, imports, instance, and releases them. */
static void cycles(wg_store *store, wg_module *m, int n, int *wrong) {
    for (int i = 0; i < n; i++) {
        wg_extern *host = NULL;
        wg_function_new_host(store, I32x2, 2, I32, 1, 1, &host);
        wg_imports *imports = NULL;
        wg_imports_new(&imports);
        wg_imports_define(imports, "env", 3, "sum", 3, host);
        wg_extern_delete(host);
        wg_instance *inst = NULL;
        if (wg_instance_new(store, m, imports, true, &inst) != WG_OK) {
            (*wrong)++;
            wg_imports_delete(imports);
            continue;
        }
        wg_extern *add1 = export0(inst, 1);
        wg_val a[2] = {{.i32 = i}, {.i32 = 1}}, r;
        if (wg_function_call(add1, a, &r) != WG_OK || r.i32 != i + 2) (*wrong)++;
        wg_extern_delete(add1);
        wg_instance_delete(inst);
        wg_imports_delete(imports);
    }
}

static void test_cycles(void) {
    wg_store *store = NULL;
    wg_store_new(engine, &store);
    wg_module *m = compile(store, ADD1);
    int wrong = 0;
    int released_before = released;
    cycles(store, m, CYCLES / 10, &wrong);
    long before = rss_kib();
    cycles(store, m, CYCLES, &wrong);
    long grown = rss_kib() - before;
    CHECK(wrong == 0, "instantiate cycles: %d wrong", wrong);
    if (!memcheck) CHECK(grown < 5 * 1024, "%d instantiate/call/release cycles grew RSS by %ld KiB", CYCLES, grown);
    printf("cycles: %d instantiate/call/release, RSS %+ld KiB\n", CYCLES, grown);
    CHECK(released - released_before == CYCLES + CYCLES / 10, "every cycle's host callable released with its "
          "instance: %d of %d", released - released_before, CYCLES + CYCLES / 10);
    /* a host function called directly is made in its store, once */
    wg_extern *host = NULL;
    wg_function_new_host(store, I32x2, 2, I32, 1, 1, &host);
    wg_val a[2] = {{.i32 = 40}, {.i32 = 2}}, r;
    CHECK(wg_function_call(host, a, &r) == WG_OK && r.i32 == 42, "a host function called directly");
    CHECK(wg_function_call(host, a, &r) == WG_OK && r.i32 == 42, "and again");
    wg_extern_delete(host);
    wg_module_delete(m);
    CHECK(released == released_before + CYCLES + CYCLES / 10, "a host callable is released with its store");
    wg_store_delete(store);
    CHECK(released == released_before + CYCLES + CYCLES / 10 + 1, "... once the store is gone");
}

/* ---- f32 <-> double by bits */

static void test_f32_bits(void) {
    uint32_t cases[] = {0x7fa00000u, 0xffa0f1e2u, 0x7fc00000u, 0x7f800001u, 0x3f800000u, 0x80000000u, 0x7f800000u};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        CHECK(wg_f64_to_f32_bits(wg_f32_bits_to_f64(cases[i])) == cases[i], "f32 bits 0x%08x round-trip", cases[i]);
    CHECK(wg_f64_to_f32_bits(1.5) == 0x3fc00000u, "1.5 narrows as C does");
}

/* The text format's keywords from before WebAssembly 1.0 (which the old embeddings'
   parser took) give the binary of today's names; strings, comments and $names keep them. */
static void test_old_wat_keywords(void) {
    static const char OLD[] =
        "(module (table 1 anyfunc) (global $get_local (mut i32) (i32.const 0)) (memory 1)"
        " (data (i32.const 0) \"get_local anyfunc\") ;; get_local in a comment\n"
        " (func (export \"f\") (param i64 f32) (result i32) (local i32) (; set_local (; nested ;) ;)"
        "  get_local 0 i32.wrap/i64 set_local 2 get_local 1 i32.trunc_s:sat/f32 get_local 2 i32.add"
        "  current_memory drop get_global $get_local set_global $get_local i32.const 0 grow_memory drop))";
    static const char NEW[] =
        "(module (table 1 funcref) (global $get_local (mut i32) (i32.const 0)) (memory 1)"
        " (data (i32.const 0) \"get_local anyfunc\")\n"
        " (func (export \"f\") (param i64 f32) (result i32) (local i32)"
        "  local.get 0 i32.wrap_i64 local.set 2 local.get 1 i32.trunc_sat_f32_s local.get 2 i32.add"
        "  memory.size drop global.get $get_local global.set $get_local i32.const 0 memory.grow drop))";
    wg_bytes old = {0}, now = {0};
    CHECK(wg_wat2wasm((const uint8_t *)OLD, strlen(OLD), &old) == WG_OK, "old keywords parse");
    CHECK(wg_wat2wasm((const uint8_t *)NEW, strlen(NEW), &now) == WG_OK, "today's keywords parse");
    CHECK(old.len == now.len && old.data && now.data && memcmp(old.data, now.data, old.len) == 0,
          "the same binary (%zu and %zu bytes)", old.len, now.len);
    wg_bytes_free(&old);
    wg_bytes_free(&now);
    static const char STRING_ONLY[] = "(module (data \"anyfunc\"))";
    CHECK(wg_wat2wasm((const uint8_t *)STRING_ONLY, strlen(STRING_ONLY), &old) == WG_OK && old.len > 8 &&
              memmem(old.data, old.len, "anyfunc", 7), "a string keeps its text");
    wg_bytes_free(&old);
}

/* Memory.read / Memory.write / wg_memory_read_into / wg_memory_lock: round trips at 0, the
   middle and the last byte; out of bounds (offset past the end, length past the end,
   offset + length overflowing) is an ArgumentError and changes nothing; after grow the
   bulk path sees the new pages. */
static void test_memory_bulk(void) {
    wg_store *store;
    CHECK(wg_store_new(engine, &store) == WG_OK, "store");
    wg_extern *mem;
    CHECK(wg_memory_new(store, 1, 3, &mem) == WG_OK, "memory");
    const uint64_t size = 65536;
    uint8_t pattern[768];
    for (size_t i = 0; i < sizeof pattern; i++) pattern[i] = (uint8_t)i;
    const uint64_t offsets[] = {0, size / 2, size - 1};
    const size_t lens[] = {4, sizeof pattern, 1};
    for (int i = 0; i < 3; i++) {
        CHECK(wg_memory_write(mem, offsets[i], pattern, lens[i]) == WG_OK, "write at %llu", (unsigned long long)offsets[i]);
        wg_bytes out = {NULL, 0};
        CHECK(wg_memory_read(mem, offsets[i], lens[i], &out) == WG_OK && out.len == lens[i] &&
              !memcmp(out.data, pattern, lens[i]), "read at %llu", (unsigned long long)offsets[i]);
        wg_bytes_free(&out);
        uint8_t into[768] = {0};
        CHECK(wg_memory_read_into(mem, offsets[i], into, lens[i]) == WG_OK && !memcmp(into, pattern, lens[i]),
              "read_into at %llu", (unsigned long long)offsets[i]);
    }
    wg_buffer whole;
    CHECK(wg_memory_lock(mem, &whole) == WG_OK && whole.len == size, "lock");
    uint8_t *before = malloc(size);
    memcpy(before, whole.data, size);
    wg_memory_unlock(mem);
    const uint64_t bad[][2] = {{size + 1, 0}, {size - 1, 2}, {0, size + 1}, {UINT64_MAX, 2}, {2, UINT64_MAX - 1}};
    uint8_t *junk = malloc(size + 1);  /* the glue checks the bounds before it reads the source */
    memset(junk, 0xee, size + 1);
    for (int i = 0; i < 5; i++) {
        wg_bytes out = {NULL, 0};
        uint8_t one = 0xee;
        CHECK(wg_memory_read(mem, bad[i][0], bad[i][1], &out) == WG_ERR_ARGUMENT_ERROR && !out.data, "read out of bounds %d", i);
        CHECK(wg_memory_write(mem, bad[i][0], junk, (size_t)bad[i][1]) == WG_ERR_ARGUMENT_ERROR, "write out of bounds %d", i);
        CHECK(wg_memory_read_into(mem, bad[i][0], &one, bad[i][1]) == WG_ERR_ARGUMENT_ERROR && one == 0xee,
              "read_into out of bounds %d", i);
    }
    free(junk);
    CHECK(wg_memory_lock(mem, &whole) == WG_OK && !memcmp(before, whole.data, size), "nothing written out of bounds");
    wg_memory_unlock(mem);
    free(before);
    uint32_t previous;
    CHECK(wg_memory_grow(mem, 1, &previous) == WG_OK && previous == 1, "grow");
    CHECK(wg_memory_write(mem, size + 5, (const uint8_t *)"grown", 5) == WG_OK, "write after grow");
    uint8_t got[5];
    CHECK(wg_memory_read_into(mem, size + 5, got, 5) == WG_OK && !memcmp(got, "grown", 5), "read after grow");
    CHECK(wg_memory_write(mem, 2 * size, (const uint8_t *)"x", 1) == WG_ERR_ARGUMENT_ERROR, "the new end");
    wg_extern_delete(mem);
    wg_store_delete(store);
}

/* The bulk path under threads: two threads write and read back their own 4 KiB regions
   while a third grows the memory (each grow may move it): every copy holds the store's
   lock, so each read sees the thread's last write. */
static wg_extern *bulk_mem;

static void *bulk_worker(void *arg) {
    long id = (long)(intptr_t)arg, wrong = 0;
    uint8_t out[4096], in[4096];
    for (int i = 0; i < CALLS / 20; i++) {
        memset(out, (int)(id * 64 + i % 64), sizeof out);
        if (wg_memory_write(bulk_mem, (uint64_t)id * 8192, out, sizeof out) != WG_OK ||
            wg_memory_read_into(bulk_mem, (uint64_t)id * 8192, in, sizeof in) != WG_OK || memcmp(in, out, sizeof in))
            wrong++;
    }
    return (void *)(intptr_t)wrong;
}

static void *bulk_grower(void *arg) {
    (void)arg;
    uint32_t previous;
    for (int i = 0; i < 64; i++) {
        wg_memory_grow(bulk_mem, 1, &previous);
        sched_yield();
    }
    return NULL;
}

static void test_memory_bulk_threads(void) {
    wg_store *store;
    CHECK(wg_store_new(engine, &store) == WG_OK, "store");
    CHECK(wg_memory_new(store, 1, 65, &bulk_mem) == WG_OK, "memory");
    pthread_t t[3];
    pthread_create(&t[0], NULL, bulk_worker, (void *)(intptr_t)1);
    pthread_create(&t[1], NULL, bulk_worker, (void *)(intptr_t)2);
    pthread_create(&t[2], NULL, bulk_grower, NULL);
    long wrong = 0;
    for (int i = 0; i < 3; i++) {
        void *r;
        pthread_join(t[i], &r);
        wrong += (long)(intptr_t)r;
    }
    uint64_t size;
    CHECK(wrong == 0, "bulk copies under growth: %ld wrong", wrong);
    CHECK(wg_memory_data_size(bulk_mem, &size) == WG_OK && size == 65 * 65536ull, "grown to 65 pages");
    wg_extern_delete(bulk_mem);
    wg_store_delete(store);
}

int main(int argc, char **argv) {
    if (argc > 1 && !strcmp(argv[1], "--memcheck")) {
        memcheck = 1;
        CALLS = 500;
        CYCLES = 300;
    }
    wg_set_host_callbacks(host_call, host_release);
    CHECK(wg_engine_new(WG_COMPILER_CRANELIFT, &engine) == WG_OK, "engine");
    test_f32_bits();
    test_fast_path();
    test_old_wat_keywords();
    test_threads();
    test_reentry();
    test_busy_store_defers_deletes();
    test_cycles();
    test_memory_bulk();
    test_memory_bulk_threads();
    wg_engine_delete(engine);
    printf("%d passed, %d failed\n", passed, failed);
    return failed != 0;
}

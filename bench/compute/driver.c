/* The compute workloads from C: nbody and hash compiled natively (linked in) and the same
   sources compiled to wasm32, run through the wasm C API with cranelift and with singlepass.
   Usage: driver NBODY_WASM HASH_WASM. Prints first the reference line the other languages are
   checked against ({"reference": ...}: nbody(CHECK_STEPS) and hash of 1 MiB), then one JSON line
   per case; every implementation's result is checked equal to the native one before it is timed. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <wasmer.h>

double nbody(int n);
int fill(int n);
unsigned hash(int n);

#define CHECK_STEPS 1000
#define NBODY_STEPS 100000 /* steps per timed sample; ns reported per step */
#define MIB (1 << 20)
#define SAMPLES 9

static volatile double sink;

static double now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

typedef double (*run_fn)(void *ctx, int n);

/* median, p25, p75 of `samples` samples of ns per unit (each sample: one call of run(ctx, n) / units),
   after a warm-up call when `warm` */
static void measure_n(const char *json_head, run_fn run, void *ctx, int n, double units, int samples, int warm) {
    double s[SAMPLES];
    if (warm) sink += run(ctx, n);
    for (int i = 0; i < samples; i++) {
        double t = now_ns();
        sink += run(ctx, n);
        s[i] = (now_ns() - t) / units;
    }
    qsort(s, samples, sizeof s[0], cmp);
    printf("{%s, \"ns\": %.2f, \"median\": %.2f, \"p25\": %.2f, \"p75\": %.2f, \"samples\": %d, \"checked\": true}\n",
           json_head, s[samples / 2], s[samples / 2], s[samples / 4], s[3 * samples / 4], samples);
    fflush(stdout);
}

static void measure(const char *json_head, run_fn run, void *ctx, int n, double units) {
    measure_n(json_head, run, ctx, n, units, SAMPLES, 1);
}

static double native_nbody(void *ctx, int n) { (void)ctx; return nbody(n); }
static double native_hash(void *ctx, int n) { (void)ctx; return hash(n); }

struct wasm_fn { wasm_func_t *f; int kind; };

static wasm_val_t call1(struct wasm_fn *w, int n) {
    wasm_val_t a[1] = {WASM_I32_VAL(n)}, r[1] = {WASM_INIT_VAL};
    wasm_val_vec_t args = WASM_ARRAY_VEC(a), res = WASM_ARRAY_VEC(r);
    wasm_trap_t *trap = wasm_func_call(w->f, &args, &res);
    if (trap) { fprintf(stderr, "trap\n"); exit(1); }
    return r[0];
}
static double wasm_nbody(void *ctx, int n) { return call1(ctx, n).of.f64; }
static double wasm_hash(void *ctx, int n) { return (unsigned)call1(ctx, n).of.i32; }

static wasm_byte_vec_t read_file(const char *path) {
    wasm_byte_vec_t v;
    FILE *f = fopen(path, "rb");
    if (!f) { perror(path); exit(1); }
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    wasm_byte_vec_new_uninitialized(&v, size);
    if (fread(v.data, 1, size, f) != (size_t)size) { perror(path); exit(1); }
    fclose(f);
    return v;
}

/* the export called `name` of a fresh instance of `bytes` in `store` */
static wasm_func_t *export(wasm_store_t *store, wasm_byte_vec_t *bytes, const char *name) {
    wasm_module_t *module = wasm_module_new(store, bytes);
    if (!module) { fprintf(stderr, "compile failed\n"); exit(1); }
    wasm_extern_vec_t imports = WASM_EMPTY_VEC;
    wasm_instance_t *instance = wasm_instance_new(store, module, &imports, NULL);
    if (!instance) { fprintf(stderr, "instantiate failed\n"); exit(1); }
    wasm_exporttype_vec_t types;
    wasm_module_exports(module, &types);
    wasm_extern_vec_t exports;
    wasm_instance_exports(instance, &exports);
    for (size_t i = 0; i < types.size; i++) {
        const wasm_name_t *en = wasm_exporttype_name(types.data[i]);
        if (en->size == strlen(name) && memcmp(en->data, name, en->size) == 0) return wasm_extern_as_func(exports.data[i]);
    }
    fprintf(stderr, "no export %s\n", name);
    exit(1);
}

/* boot: compile, deserialize (of the serialized module) and instantiate, ns per operation */
struct boot { wasm_store_t *store; wasm_byte_vec_t *bytes; wasm_byte_vec_t *artifact; wasm_module_t *module; };

static double boot_compile(void *ctx, int n) {
    struct boot *b = ctx;
    double r = 0;
    for (int i = 0; i < n; i++) {
        wasm_module_t *m = wasm_module_new(b->store, b->bytes);
        if (!m) { fprintf(stderr, "compile failed\n"); exit(1); }
        r += 1;
        wasm_module_delete(m);
    }
    return r;
}

static double boot_deserialize(void *ctx, int n) {
    struct boot *b = ctx;
    double r = 0;
    for (int i = 0; i < n; i++) {
        wasm_module_t *m = wasm_module_deserialize(b->store, b->artifact);
        if (!m) { fprintf(stderr, "deserialize failed\n"); exit(1); }
        r += 1;
        wasm_module_delete(m);
    }
    return r;
}

static double boot_instantiate(void *ctx, int n) {
    struct boot *b = ctx;
    double r = 0;
    wasm_extern_vec_t imports = WASM_EMPTY_VEC;
    for (int i = 0; i < n; i++) {
        wasm_instance_t *inst = wasm_instance_new(b->store, b->module, &imports, NULL);
        if (!inst) { fprintf(stderr, "instantiate failed\n"); exit(1); }
        r += 1;
        wasm_instance_delete(inst);
    }
    return r;
}

/* the big module's compile is seconds: 3 samples, no warm-up */
static void boot(const char *size, const char *path, int reps, int big) {
    wasm_engine_t *engine = wasm_engine_new();
    wasm_store_t *store = wasm_store_new(engine);
    wasm_byte_vec_t bytes = read_file(path), artifact;
    struct boot b = {store, &bytes, &artifact, wasm_module_new(store, &bytes)};
    if (!b.module) { fprintf(stderr, "compile failed\n"); exit(1); }
    wasm_module_serialize(b.module, &artifact);
    char head[160];
    snprintf(head, sizeof head, "\"lang\": \"c\", \"case\": \"compile_%s\", \"workload\": \"boot\", \"impl\": \"c_api\"", size);
    measure_n(head, boot_compile, &b, reps, reps, big ? 3 : SAMPLES, !big);
    snprintf(head, sizeof head, "\"lang\": \"c\", \"case\": \"deserialize_%s\", \"workload\": \"boot\", \"impl\": \"c_api\"", size);
    measure(head, boot_deserialize, &b, reps, reps);
    snprintf(head, sizeof head, "\"lang\": \"c\", \"case\": \"instantiate_%s\", \"workload\": \"boot\", \"impl\": \"c_api\"", size);
    measure(head, boot_instantiate, &b, reps * 10, reps * 10);
    wasm_module_delete(b.module);
    wasm_byte_vec_delete(&artifact);
    wasm_byte_vec_delete(&bytes);
    wasm_store_delete(store);
    wasm_engine_delete(engine);
}

int main(int argc, char **argv) {
    if (argc < 3) { fprintf(stderr, "usage: driver NBODY_WASM HASH_WASM [BIG_WASM]\n"); return 2; }
    double ref_nbody = nbody(CHECK_STEPS);
    fill(MIB);
    unsigned ref_hash = hash(MIB);
    printf("{\"reference\": {\"nbody_steps\": %d, \"nbody\": %.17g, \"hash_bytes\": %d, \"hash\": %u}}\n",
           CHECK_STEPS, ref_nbody, MIB, ref_hash);
    measure("\"lang\": \"c\", \"case\": \"nbody\", \"workload\": \"nbody\", \"impl\": \"native\"",
            native_nbody, NULL, NBODY_STEPS, NBODY_STEPS);
    measure("\"lang\": \"c\", \"case\": \"hash_1MiB\", \"workload\": \"hash\", \"impl\": \"native\"",
            native_hash, NULL, MIB, 1);
    wasm_byte_vec_t nb = read_file(argv[1]), hb = read_file(argv[2]);
    const char *names[2] = {"cranelift", "singlepass"};
    enum wasmer_backend_t backends[2] = {CRANELIFT, SINGLEPASS};
    for (int b = 0; b < 2; b++) {
        wasm_config_t *config = wasm_config_new();
        wasm_config_set_backend(config, backends[b]);
        wasm_engine_t *engine = wasm_engine_new_with_config(config);
        wasm_store_t *store = wasm_store_new(engine);
        struct wasm_fn fn = {export(store, &nb, "nbody"), 0};
        struct wasm_fn fl = {NULL, 0}, hs = {NULL, 0};
        char head[200];
        double got = wasm_nbody(&fn, CHECK_STEPS);
        if (got != ref_nbody) { fprintf(stderr, "nbody %s: %.17g != %.17g\n", names[b], got, ref_nbody); return 1; }
        snprintf(head, sizeof head, "\"lang\": \"c\", \"case\": \"nbody\", \"workload\": \"nbody\", \"impl\": \"c_api\", \"variant\": \"%s\"", names[b]);
        measure(head, wasm_nbody, &fn, NBODY_STEPS, NBODY_STEPS);
        /* hash: fill is another instance's memory, so fill this one's through its own export */
        wasm_store_delete(store);
        store = wasm_store_new(engine);
        wasm_module_t *module = wasm_module_new(store, &hb);
        wasm_extern_vec_t imports = WASM_EMPTY_VEC;
        wasm_instance_t *instance = wasm_instance_new(store, module, &imports, NULL);
        wasm_exporttype_vec_t types;
        wasm_module_exports(module, &types);
        wasm_extern_vec_t exports;
        wasm_instance_exports(instance, &exports);
        for (size_t i = 0; i < types.size; i++) {
            const wasm_name_t *en = wasm_exporttype_name(types.data[i]);
            if (en->size == 4 && memcmp(en->data, "fill", 4) == 0) fl.f = wasm_extern_as_func(exports.data[i]);
            if (en->size == 4 && memcmp(en->data, "hash", 4) == 0) hs.f = wasm_extern_as_func(exports.data[i]);
        }
        if (call1(&fl, MIB).of.i32 != MIB) { fprintf(stderr, "fill failed\n"); return 1; }
        unsigned h = (unsigned)call1(&hs, MIB).of.i32;
        if (h != ref_hash) { fprintf(stderr, "hash %s: %u != %u\n", names[b], h, ref_hash); return 1; }
        snprintf(head, sizeof head, "\"lang\": \"c\", \"case\": \"hash_1MiB\", \"workload\": \"hash\", \"impl\": \"c_api\", \"variant\": \"%s\"", names[b]);
        measure(head, wasm_hash, &hs, MIB, 1);
        wasm_store_delete(store);
        wasm_engine_delete(engine);
    }
    boot("small", argv[1], 10, 0);
    if (argc > 3) boot("big", argv[3], 1, 1);
    return 0;
}

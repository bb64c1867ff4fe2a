/* Ruby's FFI floor: the cheapest call into a C extension, BenchFloor.sum(a, b) (bench/ruby/compute.rb); and
   native nbody in Ruby's process, BenchFloor.nbody(n): bench/compute/nbody.c built with clang -O2 as
   WASMGEN_BENCH_NATIVE, loaded by BenchFloor.load_nbody(path). */
#include <dlfcn.h>
#include <ruby.h>

static VALUE bench_sum(VALUE self, VALUE a, VALUE b) {
    (void)self;
    return INT2FIX(FIX2INT(a) + FIX2INT(b));
}

static double (*nbody_native)(int);

static VALUE bench_load_nbody(VALUE self, VALUE path) {
    (void)self;
    void *lib = dlopen(StringValueCStr(path), RTLD_NOW);
    if (lib) nbody_native = (double (*)(int))dlsym(lib, "nbody");
    if (!nbody_native) rb_raise(rb_eLoadError, "native nbody: %s", dlerror());
    return Qnil;
}

static VALUE bench_nbody(VALUE self, VALUE n) {
    (void)self;
    return DBL2NUM(nbody_native(NUM2INT(n)));
}

void Init_bench_floor(void) {
    VALUE m = rb_define_module("BenchFloor");
    rb_define_module_function(m, "sum", bench_sum, 2);
    rb_define_module_function(m, "load_nbody", bench_load_nbody, 1);
    rb_define_module_function(m, "nbody", bench_nbody, 1);
}
